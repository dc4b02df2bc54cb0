import {
  DraftSchema,
  LocaleSchema,
  parse,
  TemplateSchema,
  type Diagnostic,
  type Draft,
  type Template,
} from '@hubspoke/core';
import { z } from 'zod';
import { BrandCheckSchema, ProviderSchema, SignalSchema } from '../option-schemas.js';
import { assistDiagnostic, passes, runBrandCheck, type BrandCheck } from './brand-check.js';
import { callReport, totals, type CallReport, type CallTotals } from './calls.js';
import { draftContext } from '../text/draft-text.js';
import { dataMessage, DATA_RULE } from './prompt.js';
import type { Provider } from '../providers/provider.js';
import type { DraftContext, SubjectVariantsTask, Tone } from './tasks.js';
import { cleanModelText, tokensIn } from './untrusted-output.js';
import { visibleLength } from '../text/text-length.js';

export interface SubjectVariantsOptions {
  provider: Provider;
  /** Every candidate goes through it; only passing ones are returned. */
  brandCheck: BrandCheck;
  locale: string;
  /** Default `subject`. */
  field?: 'subject' | 'preheader';
  /** How many variants to return, 1–10. Default 5. */
  count?: number;
  /** Default `neutral`. */
  tone?: Tone;
  /** Default 60 for subjects, 110 for preheaders (mobile inbox widths). */
  maxLength?: number;
  /** The spoke's current text; defaults to the draft's subject or preheader in `locale`. */
  current?: string;
  /** Context from the draft; taken from `draft` and `template` when given. */
  context?: DraftContext;
  draft?: Draft;
  template?: Template;
  /** The lowest severity that rejects a candidate. Default `error`. */
  blockOn?: 'error' | 'warning';
  /** Ask again, up to this many rounds, while fewer than `count` candidates pass. Default 2. */
  maxRounds?: number;
  signal?: AbortSignal;
}

export interface Variant {
  text: string;
  /** What the brand check (and this package) said; nothing at or above `blockOn`. */
  diagnostics: Diagnostic[];
  rationale?: string;
}

export interface RejectedVariant {
  text: string;
  /** `surplus`: it passed, but `count` variants had passed already. */
  reason: 'brand' | 'length' | 'duplicate' | 'empty' | 'surplus';
  diagnostics: Diagnostic[];
}

export interface SubjectVariantsResult extends CallTotals {
  field: 'subject' | 'preheader';
  locale: string;
  variants: Variant[];
  /** Everything the provider offered that was not returned, and why. */
  rejected: RejectedVariant[];
}

const OptionsSchema = z
  .object({
    locale: LocaleSchema,
    field: z.enum(['subject', 'preheader']).optional(),
    count: z.number().int().min(1).max(10).optional(),
    tone: z.enum(['neutral', 'friendly', 'urgent', 'playful', 'formal']).optional(),
    maxLength: z.number().int().min(10).max(1000).optional(),
    current: z.string().max(1000).optional(),
    context: z
      .object({ headline: z.string(), body: z.string(), subject: z.string(), preheader: z.string() })
      .partial()
      .optional(),
    draft: DraftSchema.optional(),
    template: TemplateSchema.optional(),
    blockOn: z.enum(['error', 'warning']).optional(),
    maxRounds: z.number().int().min(1).max(5).optional(),
    provider: ProviderSchema,
    brandCheck: BrandCheckSchema,
    signal: SignalSchema.optional(),
  })
  .strict();

export const VariantsOutputSchema = z.object({
  variants: z.array(z.object({ text: z.string().max(1000), rationale: z.string().max(500).optional() })).max(30),
});

/**
 * Subject-line or preheader candidates that pass the caller's brand check. Model output is
 * cleaned as untrusted input (markup, tokens the spoke did not type, invisible characters),
 * held to the length limit, de-duplicated, then checked; rejects are reported, not dropped.
 */
export async function suggestSubjectLines(options: SubjectVariantsOptions): Promise<SubjectVariantsResult> {
  const o = parse(OptionsSchema, options, 'options');
  const field = o.field ?? 'subject';
  const count = o.count ?? 5;
  const maxLength = o.maxLength ?? (field === 'subject' ? 60 : 110);
  const blockOn = o.blockOn ?? 'error';
  const context: DraftContext =
    options.context ??
    (o.draft !== undefined && o.template !== undefined ? draftContext(o.draft, o.template, o.locale) : {});
  const current = o.current ?? context[field];
  const allowedTokens = tokensIn([current ?? '', context.subject ?? '', context.headline ?? ''].join(' '));

  const variants: Variant[] = [];
  const rejected: RejectedVariant[] = [];
  const calls: CallReport[] = [];
  const seen = new Set<string>(current === undefined ? [] : [current.trim().toLowerCase()]);
  const location = { field, locale: o.locale } as const;

  for (let round = 0; round < (o.maxRounds ?? 2) && variants.length < count; round++) {
    const task: SubjectVariantsTask = {
      kind: 'subject-variants',
      field,
      locale: o.locale,
      count: Math.min(10, count - variants.length + 2),
      tone: o.tone ?? 'neutral',
      maxLength,
      ...(current === undefined ? {} : { current }),
      context,
      avoid: [...variants.map((v) => v.text), ...rejected.map((r) => r.text)],
    };
    const answer = await options.provider.complete(
      {
        system: systemPrompt(task),
        messages: [
          dataMessage(`Write ${task.count} ${field} candidates for this email.`, {
            current,
            context,
            avoid: task.avoid,
          }),
        ],
        schema: VariantsOutputSchema,
        task,
      },
      options.signal === undefined ? {} : { signal: options.signal },
    );
    calls.push(callReport(task.kind, answer));
    if (answer.value.variants.length === 0) break;

    for (const offered of answer.value.variants) {
      const cleaned = cleanModelText(offered.text, { allowedTokens, singleLine: true });
      const own: Diagnostic[] = [];
      if (cleaned.removed.length > 0) {
        own.push(
          assistDiagnostic(
            'output-cleaned',
            'warning',
            `Removed ${cleaned.removed.length} piece(s) of markup or unknown tokens from the generated text`,
            location,
            { removed: cleaned.removed.slice(0, 5) },
          ),
        );
      }
      const text = cleaned.text;
      const key = text.toLowerCase();
      if (text === '') {
        rejected.push({ text: offered.text.slice(0, 200), reason: 'empty', diagnostics: own });
      } else if (seen.has(key)) {
        rejected.push({ text, reason: 'duplicate', diagnostics: own });
      } else if (visibleLength(text) > maxLength) {
        seen.add(key);
        own.push(
          assistDiagnostic(
            'too-long',
            'error',
            `${visibleLength(text)} characters, more than the ${maxLength} allowed`,
            location,
            { length: visibleLength(text), maxLength },
          ),
        );
        rejected.push({ text, reason: 'length', diagnostics: own });
      } else {
        seen.add(key);
        const diagnostics = [...own, ...(await runBrandCheck(o.brandCheck, { field, text, locale: o.locale }))];
        if (!passes(diagnostics, blockOn)) rejected.push({ text, reason: 'brand', diagnostics });
        else if (variants.length >= count) rejected.push({ text, reason: 'surplus', diagnostics });
        else
          variants.push({
            text,
            diagnostics,
            ...(offered.rationale === undefined
              ? {}
              : { rationale: cleanModelText(offered.rationale, { singleLine: true }).text }),
          });
      }
    }
  }
  return { field, locale: o.locale, variants, rejected, ...totals(calls) };
}

function systemPrompt(task: SubjectVariantsTask): string {
  const what =
    task.field === 'subject' ? 'email subject lines' : 'email preheaders (the preview text shown after the subject)';
  return [
    `You write ${what} for a marketing team.`,
    `Write ${task.count} distinct candidates in the language of locale ${task.locale}, in a ${task.tone} tone, each at most ${task.maxLength} characters.`,
    'Stay true to the email: no claims, prices, deadlines or offers that its text does not state.',
    'Personalization tokens such as {{ contact.firstName }} may be kept exactly as written in the data; never invent new ones.',
    'Plain text only: no HTML, no Markdown, no quotes around a candidate. Do not repeat anything listed in "avoid".',
    'Give each candidate a one-sentence rationale.',
    DATA_RULE,
  ].join('\n');
}
