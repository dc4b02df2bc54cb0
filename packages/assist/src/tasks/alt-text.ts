import {
  DraftSchema,
  LocaleSchema,
  parse,
  TemplateSchema,
  type Diagnostic,
  type Draft,
  type ImageValue,
  type Template,
} from '@hubspoke/core';
import { z } from 'zod';
import { BrandCheckSchema, ProviderSchema, SignalSchema } from '../option-schemas.js';
import { assistDiagnostic, passes, runBrandCheck, type BrandCheck } from './brand-check.js';
import { callReport, totals, type CallReport, type CallTotals } from './calls.js';
import { canEditEntry, entryText, slotEntries, slotRole, type SlotEntry } from '../text/draft-text.js';
import { fileNameWords } from '../text/file-name-words.js';
import { fit } from '../providers/offline/subject-rules.js';
import { DATA_RULE, quoteData } from './prompt.js';
import type { ContentPart, Provider } from '../providers/provider.js';
import type { AltTextImage, AltTextTask } from './tasks.js';
import { cleanModelText } from './untrusted-output.js';
import { textLength } from '../text/text-length.js';

export interface AltTextOptions {
  provider: Provider;
  draft: Draft;
  template: Template;
  /** Default: every locale the draft has content for. */
  locales?: string[];
  /** Default 125 characters (what screen-reader guidance commonly recommends). */
  maxLength?: number;
  /** Optional brand guardrails for the `alt` field. */
  brandCheck?: BrandCheck;
  blockOn?: 'error' | 'warning';
  /** Alt texts that count as missing. Default: image, picture, photo, graphic, banner, logo, img. */
  genericTerms?: string[];
  signal?: AbortSignal;
}

export interface AltTextSuggestion {
  instanceId: string;
  slotId: string;
  locale: string;
  src: string;
  /** Absent when no acceptable text was found; `''` when the model judged the image decorative. */
  alt?: string;
  rationale?: string;
  diagnostics: Diagnostic[];
}

export interface AltTextResult extends CallTotals {
  suggestions: AltTextSuggestion[];
}

const DEFAULT_GENERIC = ['image', 'picture', 'photo', 'graphic', 'banner', 'logo', 'img'];

const OptionsSchema = z
  .object({
    provider: ProviderSchema,
    draft: DraftSchema,
    template: TemplateSchema,
    locales: z.array(LocaleSchema).optional(),
    maxLength: z.number().int().min(20).max(1000).optional(),
    brandCheck: BrandCheckSchema.optional(),
    blockOn: z.enum(['error', 'warning']).optional(),
    genericTerms: z.array(z.string()).optional(),
    signal: SignalSchema.optional(),
  })
  .strict();

export const AltTextOutputSchema = z.object({
  images: z
    .array(z.object({ id: z.string(), alt: z.string().max(2000), rationale: z.string().max(500).optional() }))
    .max(200),
});

/** True when an image value has no useful alt text: missing, blank where alt is required, a generic word, or a file name. */
export function lacksAltText(
  value: ImageValue,
  requireAlt: boolean,
  genericTerms: readonly string[] = DEFAULT_GENERIC,
): boolean {
  const alt = value.alt?.trim();
  if (alt === undefined) return true;
  if (alt === '') return value.alt !== '' || requireAlt;
  return genericTerms.includes(alt.toLowerCase()) || /\.(?:png|jpe?g|gif|webp|svg|avif)$/i.test(alt);
}

/**
 * Suggests alt text for images that lack it, from the file name, the text around the image
 * and, when the provider takes images, the image itself. Suggestions are cleaned, held to
 * the length limit and optionally brand-checked; apply them with {@link applyAltText}.
 */
export async function suggestAltText(options: AltTextOptions): Promise<AltTextResult> {
  const o = parse(OptionsSchema, options, 'options');
  const maxLength = o.maxLength ?? 125;
  const generic = o.genericTerms ?? DEFAULT_GENERIC;
  const suggestions: AltTextSuggestion[] = [];
  const calls: CallReport[] = [];

  for (const locale of o.locales ?? Object.keys(o.draft.content)) {
    const entries = slotEntries(o.draft, o.template, locale);
    const targets = entries.filter(
      (e): e is SlotEntry & { value: ImageValue } =>
        e.def.kind === 'image' &&
        canEditEntry(e, 'alt') &&
        typeof e.value === 'object' &&
        'src' in e.value &&
        lacksAltText(e.value, e.def.requireAlt, generic),
    );
    if (targets.length === 0) continue;
    const images: AltTextImage[] = targets.map((t, i) => {
      const nearby = entries
        .filter((e) => e.instanceId === t.instanceId && e !== t)
        .sort((a, b) => Number(slotRole(b) === 'heading') - Number(slotRole(a) === 'heading'))
        .map(entryText)
        .filter((text): text is string => text !== undefined && text.trim() !== '')
        .join('\n')
        .slice(0, 600);
      return {
        id: `img-${i + 1}`,
        src: t.value.src,
        fileNameWords: fileNameWords(t.value.src),
        ...(nearby === '' ? {} : { nearbyText: nearby }),
      };
    });
    const task: AltTextTask = { kind: 'alt-text', locale, maxLength, images };
    const answer = await o.provider.complete(
      {
        system: systemPrompt(task),
        messages: [{ role: 'user', content: userContent(task, o.provider.info.images) }],
        schema: AltTextOutputSchema,
        task,
      },
      options.signal === undefined ? {} : { signal: options.signal },
    );
    calls.push(callReport(task.kind, answer));
    const byId = new Map(answer.value.images.map((a) => [a.id, a]));

    for (const [i, target] of targets.entries()) {
      const location = { instanceId: target.instanceId, slotId: target.slotId, property: 'alt', locale };
      const base = { instanceId: target.instanceId, slotId: target.slotId, locale, src: target.value.src };
      const offered = byId.get(`img-${i + 1}`);
      if (offered === undefined) {
        suggestions.push({
          ...base,
          diagnostics: [
            assistDiagnostic(
              'alt-text-missing',
              'warning',
              'No alt text could be suggested; write one by hand',
              location,
            ),
          ],
        });
        continue;
      }
      const diagnostics: Diagnostic[] = [];
      const cleaned = cleanModelText(offered.alt, { singleLine: true });
      if (cleaned.removed.length > 0)
        diagnostics.push(
          assistDiagnostic(
            'output-cleaned',
            'warning',
            'Removed markup or tokens from the generated alt text',
            location,
            { removed: cleaned.removed.slice(0, 5) },
          ),
        );
      const alt = cleaned.text.replace(/^(?:an?\s+)?(?:image|picture|photo(?:graph)?)\s+(?:of|showing)\s+/i, '');
      const rationale =
        offered.rationale === undefined
          ? {}
          : { rationale: cleanModelText(offered.rationale, { singleLine: true }).text };
      if (alt === '') {
        diagnostics.push(
          assistDiagnostic(
            'alt-text-decorative',
            'warning',
            'Judged decorative: an empty alt is right only if the image adds nothing to the message',
            location,
          ),
        );
        suggestions.push({ ...base, alt: '', ...rationale, diagnostics });
        continue;
      }
      if (textLength(alt) > maxLength) {
        diagnostics.push(
          assistDiagnostic(
            'too-long',
            'error',
            `${textLength(alt)} characters, more than the ${maxLength} allowed`,
            location,
            { text: fit(alt, 200) },
          ),
        );
        suggestions.push({ ...base, ...rationale, diagnostics });
        continue;
      }
      if (generic.includes(alt.toLowerCase())) {
        diagnostics.push(
          assistDiagnostic('alt-text-generic', 'error', `"${alt}" does not describe the image`, location),
        );
        suggestions.push({ ...base, ...rationale, diagnostics });
        continue;
      }
      if (o.brandCheck !== undefined)
        diagnostics.push(...(await runBrandCheck(o.brandCheck, { field: 'alt', text: alt, locale })));
      const ok = passes(diagnostics, o.blockOn ?? 'error');
      suggestions.push({ ...base, ...(ok ? { alt } : {}), ...rationale, diagnostics });
    }
  }
  return { suggestions, ...totals(calls) };
}

/** A copy of `draft` with every suggested alt text filled in (`alt` present in the suggestion). */
export function applyAltText(draft: Draft, suggestions: readonly AltTextSuggestion[]): Draft {
  const next = structuredClone(parse(DraftSchema, draft, 'draft'));
  for (const s of suggestions) {
    if (s.alt === undefined) continue;
    const value = next.content[s.locale]?.slots[s.instanceId]?.[s.slotId];
    if (typeof value === 'object' && 'src' in value && value.src === s.src) value.alt = s.alt;
  }
  return next;
}

function systemPrompt(task: AltTextTask): string {
  return [
    'You write alt text for the images in a marketing email, for people using screen readers.',
    `Write in the language of locale ${task.locale}, at most ${task.maxLength} characters per image.`,
    'Say what the image shows that matters for the email; do not start with "image of" or "picture of"; do not repeat the nearby text word for word.',
    'If an image is purely decorative, answer an empty string for it.',
    'Plain text only. Answer for every image id.',
    DATA_RULE,
  ].join('\n');
}

function userContent(task: AltTextTask, withImages: boolean): ContentPart[] {
  const data = task.images.map(({ id, fileNameWords: words, nearbyText }) => ({
    id,
    fileNameWords: words,
    nearbyText,
  }));
  const parts: ContentPart[] = [
    { type: 'text', text: `Write alt text for each image.\n\n${quoteData({ images: data })}` },
  ];
  if (withImages) {
    for (const image of task.images) {
      if (/^https?:\/\//i.test(image.src))
        parts.push({ type: 'text', text: `The image with id ${image.id}:` }, { type: 'image', url: image.src });
    }
  }
  return parts;
}
