import { z } from 'zod';
import { normalizeColor } from '../document/css.js';
import type { TextSegment, TextUnit } from '../types.js';

/** Options shared by the contrast rules (light and dark). */
export interface ContrastOptions {
  min: number;
  minLarge: number;
  defaultColor: string;
  defaultBackground: string;
}

const DEFAULTS: ContrastOptions = { min: 4.5, minLarge: 3, defaultColor: '#000000', defaultBackground: '#ffffff' };

export const contrastOptionsSchema = z
  .object({
    min: z.number().min(1).max(21).default(DEFAULTS.min),
    minLarge: z.number().min(1).max(21).default(DEFAULTS.minLarge),
    defaultColor: z.string().default(DEFAULTS.defaultColor),
    defaultBackground: z.string().default(DEFAULTS.defaultBackground),
  })
  .strict()
  .default(DEFAULTS);

/** One visible run of styled text, with its resolved colours and the contrast WCAG asks of it. */
export interface TextRun {
  readonly segment: TextSegment;
  readonly color: string;
  readonly background: string;
  readonly large: boolean;
  readonly required: number;
  /** The run's trimmed text span within the unit (what a finding points at). */
  readonly start: number;
  readonly end: number;
}

/** A segment's text span without its surrounding blanks, or undefined when it is blank. */
export function visibleSpan(unit: TextUnit, segment: TextSegment): { start: number; end: number } | undefined {
  const slice = unit.text.slice(segment.start, segment.end);
  const trimmed = slice.trim();
  if (trimmed === '') return undefined;
  const start = segment.start + slice.length - slice.trimStart().length;
  return { start, end: start + trimmed.length };
}

/** The non-blank styled runs of a unit; colours a run does not set take the options' defaults. */
export function* textRuns(unit: TextUnit, options: ContrastOptions): Generator<TextRun> {
  const defaultColor = normalizeColor(options.defaultColor) ?? DEFAULTS.defaultColor;
  const defaultBackground = normalizeColor(options.defaultBackground) ?? DEFAULTS.defaultBackground;
  for (const segment of unit.segments ?? []) {
    const span = visibleSpan(unit, segment);
    if (span === undefined) continue;
    const size = segment.fontSizePx ?? 16;
    // WCAG "large": 18pt (24px), or 14pt (18.66px) bold.
    const large = size >= 24 || (segment.bold && size >= 18.66);
    yield {
      segment,
      color: segment.color ?? defaultColor,
      background: segment.background ?? defaultBackground,
      large,
      required: large ? options.minLarge : options.min,
      ...span,
    };
  }
}
