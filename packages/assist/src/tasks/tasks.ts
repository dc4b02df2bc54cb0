import type { TranslateUnitInput } from '../providers/provider.js';

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
