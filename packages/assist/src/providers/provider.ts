import { LocaleSchema } from '@hubspoke/core';
import { z } from 'zod';
import type { AssistTask } from '../tasks/tasks.js';

/** A part of a message: text, or an image the model may look at (when the provider supports images). */
export type ContentPart = { type: 'text'; text: string } | { type: 'image'; url: string };

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string | ContentPart[];
}

interface RequestBase {
  /** Instructions. Never contains spoke-written text: that travels quoted in `messages`. */
  system: string;
  messages: ChatMessage[];
  /** The job as structured data; rule-based providers answer from it, model providers ignore it. */
  task?: AssistTask;
  temperature?: number;
  maxOutputTokens?: number;
}

export type TextRequest = RequestBase & { schema?: undefined };
export type JsonRequest<T> = RequestBase & { schema: z.ZodType<T> };
export type CompletionRequest<T = unknown> = TextRequest | JsonRequest<T>;

export interface CompletionOptions {
  signal?: AbortSignal;
  /** Called with each streamed piece of text (streaming providers only). */
  onDelta?: (text: string) => void;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Billed characters, for character-priced translation services. */
  characters: number;
  /** Set when the service reported no usage and tokens were estimated (about 4 characters per token). */
  estimated?: true;
}

export interface Cost {
  amount: number;
  currency: string;
}

/** Prices per million units; a provider without pricing reports no cost. */
export interface Pricing {
  currency?: string;
  inputPerMillionTokens?: number;
  outputPerMillionTokens?: number;
  perMillionCharacters?: number;
}

export interface ProviderInfo {
  /** e.g. `openai-compatible`, `deepl`, `offline`. */
  id: string;
  model: string;
  /** True for rule-based providers that never call a network. */
  offline: boolean;
  /** Whether image parts in messages reach the model. */
  images: boolean;
}

/** Who answered a call, and what it used and cost. */
export interface CallFacts {
  usage: Usage;
  cost?: Cost;
  provider: string;
  model: string;
  /** HTTP requests made, counting retries and the JSON repair retry. */
  attempts: number;
  durationMs: number;
  /** A plain statement about the answer, e.g. that it is rule-based. */
  notice?: string;
}

export interface CompletionResult<T> extends CallFacts {
  /** The raw text the provider answered. */
  text: string;
  /** The text for text requests; the schema-validated value for JSON requests. */
  value: T;
}

/** The contract every text-generating provider meets. */
export interface Provider {
  readonly info: ProviderInfo;
  complete(request: TextRequest, options?: CompletionOptions): Promise<CompletionResult<string>>;
  complete<T>(request: JsonRequest<T>, options?: CompletionOptions): Promise<CompletionResult<T>>;
}

/** One segment to translate: escaped text with `<x id="…"/>` placeholders. */
export interface TranslateUnitInput {
  id: string;
  source: string;
  maxLength?: number;
  /** Help for the translator (slot label); never instructions from the spoke. */
  note?: string;
  /** A similar, previously approved translation (fuzzy translation-memory match). */
  reference?: { source: string; target: string; score: number };
}

export interface TranslateRequest {
  sourceLocale: string;
  targetLocale: string;
  units: TranslateUnitInput[];
}

/** What every translator checks first (extra keys on a unit are left alone: callers may carry their own). */
export const TranslateRequestSchema = z.object({
  sourceLocale: LocaleSchema,
  targetLocale: LocaleSchema,
  units: z
    .array(
      z.object({
        id: z.string().min(1).max(256),
        source: z.string().max(100_000),
        maxLength: z.number().int().positive().optional(),
        note: z.string().max(10_000).optional(),
        reference: z.object({ source: z.string(), target: z.string(), score: z.number() }).optional(),
      }),
    )
    .max(10_000),
});

export interface TranslateResult extends CallFacts {
  units: { id: string; target: string }[];
}

/** The contract every translation service meets. */
export interface Translator {
  readonly info: ProviderInfo;
  translate(request: TranslateRequest, options?: { signal?: AbortSignal }): Promise<TranslateResult>;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, characters: 0 });

export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    characters: a.characters + b.characters,
  };
  if (a.estimated === true || b.estimated === true) sum.estimated = true;
  return sum;
}

/** The price of `usage` under `pricing`, or undefined when no price is configured. */
export function costOf(usage: Usage, pricing: Pricing | undefined): Cost | undefined {
  if (pricing === undefined) return undefined;
  const amount =
    (usage.inputTokens * (pricing.inputPerMillionTokens ?? 0) +
      usage.outputTokens * (pricing.outputPerMillionTokens ?? 0) +
      usage.characters * (pricing.perMillionCharacters ?? 0)) /
    1_000_000;
  return { amount, currency: pricing.currency ?? 'USD' };
}
