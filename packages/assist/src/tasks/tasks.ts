import { LocaleSchema } from '@hubspoke/core';
import { z } from 'zod';
import { TranslateRequestSchema, type TranslateUnitInput } from '../providers/provider.js';

/** Voice for generated subject lines and preheaders. */
export type Tone = 'neutral' | 'friendly' | 'urgent' | 'playful' | 'formal';

/** Text from the draft that gives a task its context. */
export interface DraftContext {
  headline?: string;
  body?: string;
  subject?: string;
  preheader?: string;
}

export interface SubjectVariantsTask {
  kind: 'subject-variants';
  field: 'subject' | 'preheader';
  locale: string;
  count: number;
  tone: Tone;
  maxLength: number;
  /** What the spoke wrote so far, if anything. */
  current?: string;
  context: DraftContext;
  /** Candidates already offered or rejected: do not repeat them. */
  avoid: string[];
}

export interface AltTextImage {
  id: string;
  src: string;
  /** Words from the file name, e.g. `spring sale hero` for `spring-sale_hero@2x.jpg`. */
  fileNameWords: string;
  /** Text of the same module (headings first), for context. */
  nearbyText?: string;
}

export interface AltTextTask {
  kind: 'alt-text';
  locale: string;
  maxLength: number;
  images: AltTextImage[];
}

export interface TranslateTask {
  kind: 'translate';
  sourceLocale: string;
  targetLocale: string;
  units: TranslateUnitInput[];
}

export interface ContentSuggestionsTask {
  kind: 'content-suggestions';
  locale: string;
  items: { id: string; role: 'heading' | 'body' | 'cta'; text: string }[];
}

/** A job as structured data, carried beside the prompt so rule-based providers can answer it. */
export type AssistTask = SubjectVariantsTask | AltTextTask | TranslateTask | ContentSuggestionsTask;

const text = z.string().max(100_000);

/**
 * The shape of a task, checked by a provider that reads it (the offline provider) before it reads
 * any field: the tasks the library builds always fit; a caller's own may carry extra keys.
 */
export const AssistTaskSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('subject-variants'),
    field: z.enum(['subject', 'preheader']),
    locale: LocaleSchema,
    count: z.number().int().min(1).max(100),
    tone: z.enum(['neutral', 'friendly', 'urgent', 'playful', 'formal']),
    maxLength: z.number().int().positive(),
    current: text.optional(),
    context: z.object({ headline: text, body: text, subject: text, preheader: text }).partial(),
    avoid: z.array(text).max(1_000),
  }),
  z.object({
    kind: z.literal('alt-text'),
    locale: LocaleSchema,
    maxLength: z.number().int().positive(),
    images: z
      .array(z.object({ id: z.string().min(1).max(256), src: text, fileNameWords: text, nearbyText: text.optional() }))
      .max(1_000),
  }),
  TranslateRequestSchema.extend({ kind: z.literal('translate') }),
  z.object({
    kind: z.literal('content-suggestions'),
    locale: LocaleSchema,
    items: z
      .array(z.object({ id: z.string().min(1).max(256), role: z.enum(['heading', 'body', 'cta']), text }))
      .max(1_000),
  }),
]);
