import { z } from 'zod';
import { textWithoutData } from '@hubspoke/core';
import { defineRule } from './define-rule.js';

const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

const Options = z
  .object({
    maxLength: z.number().int().positive().optional(),
    maxEmoji: z.number().int().min(0).optional(),
    maxExclamations: z.number().int().min(0).optional(),
    allowAllCaps: z.boolean().optional(),
    spamTerms: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .default({ spamTerms: [] });

export const subjectLine = defineRule<z.output<typeof Options>, null>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Subject lines follow `brandKit.subjectLine` (options override it): length (characters as seen, tokens counted as their fallback), emoji, exclamation marks, all caps, spam-trigger terms',
      recommended: true,
    },
    messages: {
      tooLong: 'Subject is {{length}} characters; at most {{max}}',
      emoji: 'Subject has {{count}} emoji; at most {{max}}',
      exclamations: 'Subject has {{count}} exclamation marks; at most {{max}}',
      allCaps: 'Subject is written in capitals',
      spam: 'Subject contains the spam-trigger term "{{text}}"',
    },
    schema: Options,
    scope: ['subject'],
  },
  terms: (options, kit) =>
    [...kit.subjectLine.spamTerms, ...options.spamTerms].map((term) => ({ term, caseSensitive: false, payload: null })),
  create(context) {
    const policy = {
      ...context.brandKit.subjectLine,
      ...Object.fromEntries(Object.entries(context.options).filter(([, v]) => v !== undefined)),
    };
    return {
      text(unit) {
        const seen = textWithoutData(unit.text);
        const whole = { unit, start: 0, end: unit.text.length };
        const length = graphemes(seen);
        if (length > policy.maxLength)
          context.report({
            messageId: 'tooLong',
            data: { length, max: policy.maxLength },
            at: whole,
            facts: { length },
          });
        const emoji = seen.match(EMOJI)?.length ?? 0;
        if (emoji > policy.maxEmoji)
          context.report({ messageId: 'emoji', data: { count: emoji, max: policy.maxEmoji }, at: whole });
        const bangs = (seen.match(/[!¡]/g) ?? []).length;
        if (bangs > policy.maxExclamations)
          context.report({ messageId: 'exclamations', data: { count: bangs, max: policy.maxExclamations }, at: whole });
        const letters = seen.replace(/[^\p{L}]/gu, '');
        if (
          !policy.allowAllCaps &&
          letters.length >= 4 &&
          letters === letters.toUpperCase() &&
          letters !== letters.toLowerCase()
        ) {
          context.report({ messageId: 'allCaps', at: whole });
        }
      },
      term(match) {
        context.report({ messageId: 'spam', data: { text: match.text }, at: match });
      },
    };
  },
});
