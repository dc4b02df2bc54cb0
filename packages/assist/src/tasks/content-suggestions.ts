import {
  DraftSchema,
  LocaleSchema,
  parse,
  TemplateSchema,
  type Diagnostic,
  type Draft,
  type Fix,
  type Location,
  type Template,
} from '@hubspoke/core';
import { z } from 'zod';
import { BrandCheckSchema, ProviderSchema, SignalSchema } from '../option-schemas.js';
import { assistDiagnostic, passes, runBrandCheck, type BrandCheck } from './brand-check.js';
import { callReport, totals, type CallReport, type CallTotals } from './calls.js';
import { canEditEntry, entryText, slotEntries, slotRole, type SlotEntry } from '../text/draft-text.js';
import { dataMessage, DATA_RULE } from './prompt.js';
import type { Provider } from '../providers/provider.js';
import type { ContentSuggestionsTask } from './tasks.js';
import { cleanModelText, tokensIn } from './untrusted-output.js';
import { textLength } from '../text/text-length.js';

export interface ContentSuggestionsOptions {
  draft: Draft;
  template: Template;
  /** Default: the draft's default locale. */
  locale?: string;
  /** Adds a model's readability and call-to-action suggestions; offline providers add nothing here. */
  provider?: Provider;
  /** Suggested rewrites that fail it are offered without the rewrite. */
  brandCheck?: BrandCheck;
  /** Sentences longer than this many words are flagged. Default 25. */
  maxSentenceWords?: number;
  signal?: AbortSignal;
}

export interface ContentSuggestionsResult extends CallTotals {
  diagnostics: Diagnostic[];
}

// Link texts that do not say where the link goes (WCAG 2.4.4 link purpose).
const GENERIC_CTA = new Set([
  'click here',
  'here',
  'read more',
  'learn more',
  'more',
  'this link',
  'link',
  'go',
  'submit',
  'more info',
  'details',
  'click',
  'continue',
  'hier klicken',
  'hier',
  'mehr',
  'weiterlesen',
  'mehr erfahren',
  'klicken sie hier',
  'cliquez ici',
  'ici',
  'en savoir plus',
  'lire la suite',
  'plus',
  'haga clic aquí',
  'haz clic aquí',
  'aquí',
  'leer más',
  'más información',
  'más',
]);

const OptionsSchema = z
  .object({
    draft: DraftSchema,
    template: TemplateSchema,
    locale: LocaleSchema.optional(),
    provider: ProviderSchema.optional(),
    brandCheck: BrandCheckSchema.optional(),
    maxSentenceWords: z.number().int().min(5).max(200).optional(),
    signal: SignalSchema.optional(),
  })
  .strict();

export const SuggestionsOutputSchema = z.object({
  suggestions: z
    .array(
      z.object({
        id: z.string(),
        kind: z.enum(['readability', 'cta-clarity']),
        message: z.string().max(2000),
        replacement: z.string().max(5000).optional(),
      }),
    )
    .max(50),
});

/**
 * Readability and call-to-action suggestions as core diagnostics: local rules (long
 * sentences, generic or long call-to-action text) always; a model's suggestions too when a
 * provider is given, with any rewrite cleaned, length-checked and brand-checked.
 */
export async function suggestContent(options: ContentSuggestionsOptions): Promise<ContentSuggestionsResult> {
  const o = parse(OptionsSchema, options, 'options');
  const locale = o.locale ?? o.draft.defaultLocale;
  // Locked slots are the hub's text: a spoke could not act on a suggestion.
  const entries = slotEntries(o.draft, o.template, locale).flatMap((entry) => {
    const text = canEditEntry(entry, 'text') ? entryText(entry) : undefined;
    return text === undefined || text.trim() === '' ? [] : [{ entry, text, role: slotRole(entry) }];
  });
  const diagnostics: Diagnostic[] = [];
  const calls: CallReport[] = [];
  const maxWords = o.maxSentenceWords ?? 25;

  for (const { entry, text, role } of entries) {
    const location = locationOf(entry, locale);
    if (role === 'cta') diagnostics.push(...ctaFindings(text, location));
    else diagnostics.push(...sentenceFindings(text, location, maxWords, entry.def.kind === 'text'));
  }

  if (o.provider !== undefined && !o.provider.info.offline && entries.length > 0) {
    const items = entries.map(({ text, role }, i) => ({ id: `item-${i + 1}`, role, text }));
    const task: ContentSuggestionsTask = { kind: 'content-suggestions', locale, items };
    const answer = await o.provider.complete(
      {
        system: systemPrompt(locale),
        messages: [dataMessage('Review these texts.', { items })],
        schema: SuggestionsOutputSchema,
        task,
      },
      options.signal === undefined ? {} : { signal: options.signal },
    );
    calls.push(callReport(task.kind, answer));
    for (const suggestion of answer.value.suggestions) {
      const index = Number(/^item-(\d+)$/.exec(suggestion.id)?.[1] ?? NaN) - 1;
      const item = entries[index];
      if (item === undefined) continue;
      const message = cleanModelText(suggestion.message, { singleLine: true }).text.slice(0, 500);
      if (message === '') continue;
      const location = locationOf(item.entry, locale);
      const fix = await rewrite(suggestion.replacement, item, location, o.brandCheck, locale);
      diagnostics.push({
        ...assistDiagnostic(`model-${suggestion.kind}`, 'suggestion', message, location, {
          provider: answer.provider,
          model: answer.model,
        }),
        ...(fix === undefined ? {} : { suggestions: [fix] }),
      });
    }
  }
  return { diagnostics, ...totals(calls) };
}

function locationOf(entry: SlotEntry, locale: string): Location {
  return {
    instanceId: entry.instanceId,
    slotId: entry.slotId,
    locale,
    ...(entry.def.kind === 'link' ? { property: 'text' } : {}),
  };
}

function ctaFindings(text: string, location: Location): Diagnostic[] {
  const normalized = text
    .trim()
    .toLowerCase()
    .replace(/[.!…»›→>]+$/u, '')
    .trim();
  const findings: Diagnostic[] = [];
  if (GENERIC_CTA.has(normalized)) {
    findings.push(
      assistDiagnostic(
        'cta-generic',
        'warning',
        `"${text.trim()}" does not say what happens next; name the action and what it leads to, e.g. "Read the pricing guide"`,
        location,
      ),
    );
  }
  const words = normalized.split(/\s+/).filter(Boolean).length;
  if (words > 5)
    findings.push(
      assistDiagnostic(
        'cta-length',
        'suggestion',
        `A call to action of ${words} words is hard to scan; 2–5 words work best`,
        location,
        { words },
      ),
    );
  return findings;
}

function sentenceFindings(text: string, location: Location, maxWords: number, withOffsets: boolean): Diagnostic[] {
  const findings: Diagnostic[] = [];
  for (const match of text.matchAll(/[^.!?。！？]+[.!?。！？]*/gu)) {
    const sentence = match[0];
    const words = sentence.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
    if (words <= maxWords) continue;
    const start = match.index + (sentence.length - sentence.trimStart().length);
    const end = match.index + sentence.trimEnd().length;
    findings.push(
      assistDiagnostic(
        'long-sentence',
        'suggestion',
        `A sentence of ${words} words is hard to read in an email; split it (at most ${maxWords} words)`,
        withOffsets ? { ...location, start, end } : location,
        { words },
      ),
    );
  }
  return findings;
}

async function rewrite(
  replacement: string | undefined,
  item: { entry: SlotEntry; text: string; role: 'heading' | 'body' | 'cta' },
  location: Location,
  brandCheck: BrandCheck | undefined,
  locale: string,
): Promise<Fix | undefined> {
  // A rewrite replaces the whole value, which only makes sense for plain text.
  if (replacement === undefined || item.entry.def.kind === 'richText') return undefined;
  const text = cleanModelText(replacement, { allowedTokens: tokensIn(item.text) }).text;
  const def = item.entry.def;
  const max = def.kind === 'text' ? def.maxLength : def.kind === 'link' ? def.maxTextLength : undefined;
  if (text === '' || text === item.text || (max !== undefined && textLength(text) > max)) return undefined;
  if (brandCheck !== undefined && !passes(await runBrandCheck(brandCheck, { field: item.role, text, locale }), 'error'))
    return undefined;
  return { description: 'Use the suggested wording', location, edits: [{ start: 0, end: item.text.length, text }] };
}

function systemPrompt(locale: string): string {
  return [
    'You are an editor of marketing emails. Review each item for readability (short sentences, plain words, one idea per sentence) and, for items with role "cta", call-to-action clarity (says what happens next, 2–5 words, starts with a verb).',
    `The texts are in locale ${locale}; write messages and rewrites in that language.`,
    'Return only real problems, at most one per item and kind, each with a short message and, when useful, a full replacement text of the same item.',
    'Keep personalization tokens such as {{ contact.firstName }} exactly as written; plain text only.',
    DATA_RULE,
  ].join('\n');
}
