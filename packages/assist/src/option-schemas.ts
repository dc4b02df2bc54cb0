import { z } from 'zod';
import type { BrandCheck } from './tasks/brand-check.js';
import type { Provider, Translator } from './providers/provider.js';
import type { TranslationMemory } from './memory/translation-memory.js';

// Shapes for the non-JSON parts of options (functions, objects with methods), so option
// objects can be validated strictly and a misspelt option is an error, not a no-op.

const hasMethod = (value: unknown, name: string): boolean =>
  typeof (value as Record<string, unknown> | null | undefined)?.[name] === 'function';

export const ProviderSchema = z.custom<Provider>((p) => hasMethod(p, 'complete'), {
  error: 'expected a provider with complete()',
});
export const TranslatorSchema = z.custom<Translator | Provider>(
  (t) => hasMethod(t, 'translate') || hasMethod(t, 'complete'),
  {
    error: 'expected a translator with translate() or a provider with complete()',
  },
);
export const MemorySchema = z.custom<TranslationMemory>((m) => hasMethod(m, 'lookup') && hasMethod(m, 'add'), {
  error: 'expected a translation memory',
});
export const BrandCheckSchema = z.custom<BrandCheck>((f) => typeof f === 'function', { error: 'expected a function' });
export const SignalSchema = z.custom<AbortSignal>((s) => s instanceof AbortSignal, {
  error: 'expected an AbortSignal',
});
const FunctionSchema = z.custom<(...args: never[]) => unknown>((f) => typeof f === 'function', {
  error: 'expected a function',
});

export const PricingSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { error: 'expected a currency code like "USD"' })
      .optional(),
    inputPerMillionTokens: z.number().nonnegative().optional(),
    outputPerMillionTokens: z.number().nonnegative().optional(),
    perMillionCharacters: z.number().nonnegative().optional(),
  })
  .strict();

export const HttpSettingsShape = {
  timeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  retryBaseDelayMs: z.number().int().min(0).optional(),
  maxRetryDelayMs: z.number().int().min(0).optional(),
  onRetry: FunctionSchema.optional(),
  fetch: FunctionSchema.optional(),
  pricing: PricingSchema.optional(),
};
