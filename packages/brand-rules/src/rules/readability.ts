import { z } from 'zod';
import { metricsFor, readingGrade } from '../text/readability.js';
import { defineRule } from './define-rule.js';

/** Spaces + 1: an upper bound on words, cheap enough to skip short blocks before counting syllables. */
function roughWordCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf(' '); i !== -1; i = text.indexOf(' ', i + 1)) n++;
  return n;
}

export const readability = defineRule<{ minWords: number; max?: number | undefined }>({
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'Each block of body text stays under the reading grade of `brandKit.voice.maxReadingGrade` for its locale (or `*`), where a formula exists: Flesch–Kincaid for English, the Wiener Sachtextformel for German',
      recommended: true,
    },
    messages: { tooHard: 'Reading grade {{grade}} is above {{max}} for {{locale}} ({{metric}})' },
    schema: z
      .object({ minWords: z.number().int().min(1).default(30), max: z.number().positive().optional() })
      .strict()
      .default({ minWords: 30 }),
    scope: ['body', '~cta', '~footer'],
  },
  create(context) {
    const metrics = metricsFor(context.locale);
    const language = context.locale.split('-')[0] ?? context.locale;
    const limits = context.brandKit.voice.maxReadingGrade;
    const max = context.options.max ?? limits[context.locale] ?? limits[language] ?? limits['*'];
    return {
      text(unit) {
        if (max === undefined || metrics.length === 0 || roughWordCount(unit.text) < context.options.minWords) return;
        const result = readingGrade(unit.text, context.locale, metrics);
        if (result === undefined || result.words < context.options.minWords || result.grade <= max) return;
        context.report({
          messageId: 'tooHard',
          data: { grade: result.grade, max, locale: context.locale, metric: metrics.join(', ') },
          at: { unit, start: 0, end: unit.text.length },
          facts: { grade: result.grade, words: result.words },
        });
      },
    };
  },
});
