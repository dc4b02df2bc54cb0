// The public face of assist's helper functions: arguments checked in O(1) (core's `guarded`),
// sizes bounded before any work proportional to the input, shapes checked with zod so a bad
// argument is E_VALIDATION with a path (never E_INTERNAL, never a raw TypeError). The modules
// keep the plain functions for internal use.
import {
  DiagnosticSchema,
  DraftSchema,
  guarded,
  HubspokeError,
  LocaleSchema,
  parse,
  TemplateSchema,
} from '@hubspoke/core';
import { z } from 'zod';
import { PricingSchema, ProviderSchema } from './option-schemas.js';
import * as chat from './providers/chat-translator.js';
import * as provider from './providers/provider.js';
import * as altText from './tasks/alt-text.js';
import * as brand from './tasks/brand-check.js';
import * as prompt from './tasks/prompt.js';
import * as untrusted from './tasks/untrusted-output.js';
import * as draftText from './text/draft-text.js';
import * as fileNames from './text/file-name-words.js';
import * as tokens from './text/tokens.js';
import * as units from './text/units.js';

/** Longest text the text helpers take (characters); documented in the README's Limits. */
export const MAX_TEXT_LENGTH = 1_048_576;
/** Most tokens an allow-list may hold. */
export const MAX_ALLOWED_TOKENS = 10_000;
/** Deepest nesting and most values `quoteData` takes. */
export const MAX_DATA_DEPTH = 256;
export const MAX_DATA_VALUES = 1_000_000;

/** Refuses data nested deeper than MAX_DATA_DEPTH or with more than MAX_DATA_VALUES values, without recursion. */
function checkShape(data: unknown): void {
  const stack: [unknown, number][] = [[data, 0]];
  let seen = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, depth] = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DATA_DEPTH)
      throw new HubspokeError('E_VALIDATION', `Invalid data: nested deeper than ${MAX_DATA_DEPTH} levels (the limit)`, {
        path: 'data',
        details: { limit: MAX_DATA_DEPTH },
      });
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (++seen > MAX_DATA_VALUES)
        throw new HubspokeError('E_VALIDATION', `Invalid data: more than ${MAX_DATA_VALUES} values (the limit)`, {
          path: 'data',
          details: { limit: MAX_DATA_VALUES },
        });
      stack.push([child, depth + 1]);
    }
  }
}

/** Most diagnostics `passes` reads. */
export const MAX_DIAGNOSTICS = 100_000;

function text(value: string, path: string, max = MAX_TEXT_LENGTH): string {
  if (value.length > max)
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${path}: at most ${max} characters (the assist text limit), got ${value.length}`,
      { path, details: { limit: max, length: value.length } },
    );
  return value;
}

/** The tokens of an allow-list, at most MAX_ALLOWED_TOKENS strings, read without walking a huge input. */
function tokenList(value: unknown, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  const iterable = typeof value === 'object' && value !== null && Symbol.iterator in value;
  if (!iterable)
    throw new HubspokeError('E_VALIDATION', `Invalid ${path}: expected an iterable of token strings`, { path });
  const list: string[] = [];
  try {
    for (const token of value as Iterable<unknown>) {
      if (typeof token !== 'string' || token.length > 1000)
        throw new HubspokeError(
          'E_VALIDATION',
          `Invalid ${path}[${list.length}]: expected a token string of at most 1000 characters`,
          {
            path: `${path}[${list.length}]`,
          },
        );
      if (list.length >= MAX_ALLOWED_TOKENS)
        throw new HubspokeError('E_VALIDATION', `Invalid ${path}: at most ${MAX_ALLOWED_TOKENS} tokens`, {
          path,
          details: { limit: MAX_ALLOWED_TOKENS },
        });
      list.push(token);
    }
  } catch (error) {
    if (error instanceof HubspokeError) throw error;
    throw new HubspokeError('E_VALIDATION', `Invalid ${path}: reading it failed`, { path, cause: error });
  }
  return list;
}

const UsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  characters: z.number(),
  estimated: z.boolean().optional(),
});
const CleanOptionsSchema = z
  .object({ allowedTokens: z.unknown().optional(), singleLine: z.boolean().optional() })
  .strict();
const StripOptionsSchema = z.object({ markup: z.boolean().optional() }).strict();
const ChatTranslatorOptionsSchema = z.object({ batchSize: z.number().int().min(1).max(100).optional() }).strict();
const ImageValueSchema = z.looseObject({ alt: z.string().max(MAX_TEXT_LENGTH).optional() });
const GenericTermsSchema = z.array(z.string().max(1000)).max(10_000);
const PlaceholderSchema = z.object({
  id: z.string().max(1000),
  kind: z.string().max(100),
  original: z.string().max(MAX_TEXT_LENGTH),
});
const UnitSchema = z.looseObject({
  id: z.string().max(10_000),
  location: z.looseObject({}),
  format: z.enum(['text', 'html']),
  source: z.string().max(MAX_TEXT_LENGTH),
  placeholders: z.array(PlaceholderSchema).max(100_000),
  maxLength: z.number().int().min(0).optional(),
  note: z.string().max(MAX_TEXT_LENGTH).optional(),
});

export const addUsage = guarded('addUsage', ['a:object', 'b:object'], (a: provider.Usage, b: provider.Usage) =>
  provider.addUsage(parse(UsageSchema, a, 'a') as provider.Usage, parse(UsageSchema, b, 'b') as provider.Usage),
);
export const costOf = guarded(
  'costOf',
  ['usage:object', 'pricing:object?'],
  (usage: provider.Usage, pricing: provider.Pricing | undefined) =>
    provider.costOf(
      parse(UsageSchema, usage, 'usage') as provider.Usage,
      pricing === undefined ? undefined : (parse(PricingSchema, pricing, 'pricing') as provider.Pricing),
    ),
);
export const chatTranslator = guarded(
  'chatTranslator',
  ['provider:object', 'options:object?'],
  (p: provider.Provider, options: { batchSize?: number } = {}) => {
    parse(ProviderSchema, p, 'provider');
    if (typeof (p.info as unknown) !== 'object' || (p.info as unknown) === null)
      throw new HubspokeError('E_VALIDATION', 'Invalid provider.info: expected the provider facts object', {
        path: 'provider.info',
      });
    return chat.chatTranslator(p, parse(ChatTranslatorOptionsSchema, options, 'options') as { batchSize?: number });
  },
);
export const stripUntrusted = guarded(
  'stripUntrusted',
  ['input:string', 'allowedTokens:iterable?', 'options:object?'],
  (input: string, allowedTokens?: Iterable<string>, options: { markup?: boolean } = {}) =>
    untrusted.stripUntrusted(
      text(input, 'input'),
      tokenList(allowedTokens, 'allowedTokens'),
      parse(StripOptionsSchema, options, 'options') as { markup?: boolean },
    ),
);
export const cleanModelText = guarded(
  'cleanModelText',
  ['input:string', 'options:object?'],
  (input: string, options: untrusted.CleanOptions = {}) => {
    const o = parse(CleanOptionsSchema, options, 'options');
    const allowedTokens = tokenList(o.allowedTokens, 'options.allowedTokens');
    return untrusted.cleanModelText(text(input, 'input'), {
      ...(allowedTokens === undefined ? {} : { allowedTokens }),
      ...(o.singleLine === undefined ? {} : { singleLine: o.singleLine }),
    });
  },
);
export const findTokens = guarded('findTokens', ['text:string'], (value: string) =>
  tokens.findTokens(text(value, 'text')),
);
export const fileNameWords = guarded('fileNameWords', ['src:string'], (src: string) =>
  fileNames.fileNameWords(text(src, 'src', 8192)),
);
export const segment = guarded(
  'segment',
  ['value:string', 'format:string'],
  (value: string, format: 'text' | 'html') => {
    if ((format as unknown) !== 'text' && (format as unknown) !== 'html')
      throw new HubspokeError('E_VALIDATION', 'Invalid format: expected "text" or "html"', { path: 'format' });
    return units.segment(text(value, 'value'), format);
  },
);
export const restore = guarded(
  'restore',
  ['unit:object', 'target:string'],
  (unit: units.TranslationUnit, target: string) =>
    units.restore(parse(UnitSchema, unit, 'unit') as units.TranslationUnit, text(target, 'target')),
);
export const extractUnits = guarded(
  'extractUnits',
  ['draft:object', 'template:object', 'locale:string'],
  (draft: unknown, template: unknown, locale: string) =>
    units.extractUnits(
      parse(DraftSchema, draft, 'draft'),
      parse(TemplateSchema, template, 'template'),
      parse(LocaleSchema, locale, 'locale'),
    ),
);
export const draftContext = guarded(
  'draftContext',
  ['draft:object', 'template:object', 'locale:string'],
  (draft: unknown, template: unknown, locale: string) =>
    draftText.draftContext(
      parse(DraftSchema, draft, 'draft'),
      parse(TemplateSchema, template, 'template'),
      parse(LocaleSchema, locale, 'locale'),
    ),
);
export const lacksAltText = guarded(
  'lacksAltText',
  ['value:object', 'requireAlt:boolean', 'genericTerms:array?'],
  (value: unknown, requireAlt: boolean, genericTerms?: readonly string[]) =>
    altText.lacksAltText(
      parse(ImageValueSchema, value, 'value') as Parameters<typeof altText.lacksAltText>[0],
      requireAlt,
      ...(genericTerms === undefined ? [] : [parse(GenericTermsSchema, genericTerms, 'genericTerms')]),
    ),
);
export const passes = guarded(
  'passes',
  ['diagnostics:array', 'blockOn:string'],
  (diagnostics: readonly unknown[], blockOn: 'error' | 'warning') => {
    if ((blockOn as unknown) !== 'error' && (blockOn as unknown) !== 'warning')
      throw new HubspokeError('E_VALIDATION', 'Invalid blockOn: expected "error" or "warning"', { path: 'blockOn' });
    return brand.passes(parse(z.array(DiagnosticSchema).max(MAX_DIAGNOSTICS), diagnostics, 'diagnostics'), blockOn);
  },
);
export const quoteData = guarded('quoteData', ['data:any'], (data: unknown) => {
  if (typeof data === 'string') text(data, 'data');
  checkShape(data);
  let quoted: string;
  try {
    quoted = prompt.quoteData(data);
  } catch (cause) {
    throw new HubspokeError(
      'E_VALIDATION',
      'Invalid data: expected JSON data (no cycles, no BigInt, nested at most as deep as the stack allows)',
      { path: 'data', cause },
    );
  }
  if (quoted.length > 16 * MAX_TEXT_LENGTH)
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid data: its JSON is longer than ${16 * MAX_TEXT_LENGTH} characters`,
      {
        path: 'data',
      },
    );
  return quoted;
});
