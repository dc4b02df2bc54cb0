import { BannedTermSchema, PreferredTermSchema, type BannedTerm } from '@hubspoke/core';
import { z } from 'zod';
import { matchCase } from '../text/case.js';
import type { ReportDescriptor, RuleContext, RuleVisitors, TermMatch } from '../types.js';
import { defineRule } from './define-rule.js';

export const bannedTerm = defineRule<{ terms: BannedTerm[] }, BannedTerm>({
  meta: {
    type: 'problem',
    docs: {
      description: 'Terms the brand never uses: `brandKit.voice.bannedTerms` plus `options.terms`',
      recommended: true,
    },
    messages: { banned: '"{{text}}" is a banned term{{reason}}' },
    schema: z
      .object({ terms: z.array(BannedTermSchema).default([]) })
      .strict()
      .default({ terms: [] }),
  },
  terms: (options, kit) =>
    [...kit.voice.bannedTerms, ...options.terms].map((t) => ({
      term: t.term,
      caseSensitive: t.caseSensitive,
      locales: t.locales,
      payload: t,
    })),
  create: (context) => ({
    term(match) {
      const reason = match.spec.payload.reason;
      context.report({
        messageId: 'banned',
        data: { text: match.text, reason: reason === undefined ? '' : `: ${reason}` },
        at: match,
        facts: { term: match.spec.term },
      });
    },
  }),
});

/** A substitution hit: the preferred word, and whether this hit is the preferred word itself. */
export interface Preferred {
  readonly use: string;
  readonly caseSensitive: boolean;
  /** `true` for the preferred word itself: a hit protects the words inside it. */
  readonly protect: boolean;
}

/**
 * Which substitution hits to report: longest first, none overlapping, and none inside an
 * occurrence of the preferred word itself (`log` inside `log in`), so fixing twice is a no-op.
 */
export function substitutionsToReport(
  hits: readonly TermMatch<Preferred>[],
  unitOrder: ReadonlyMap<TermMatch['unit'], number>,
): TermMatch<Preferred>[] {
  const rank = (m: TermMatch<Preferred>) => unitOrder.get(m.unit) ?? 0;
  const sorted = [...hits].sort((a, b) => rank(a) - rank(b) || a.start - b.start || b.end - a.end);
  const taken: TermMatch<Preferred>[] = [];
  for (const hit of sorted) {
    if (hit.spec.payload.protect) continue;
    const inside = (o: TermMatch<Preferred>) => o.unit === hit.unit && o.start <= hit.start && o.end >= hit.end;
    if (hits.some((o) => o.spec.payload.protect && o.spec.payload.use === hit.spec.payload.use && inside(o))) continue;
    if (taken.some((o) => o.unit === hit.unit && o.start < hit.end && hit.start < o.end)) continue;
    taken.push(hit);
  }
  return taken;
}

/**
 * Visitors of a substitution rule: collect hits in document order, then at `end` report each
 * (see `substitutionsToReport`) with a case-preserving replacement as a fix.
 */
export function substitutionVisitors<Options>(
  context: RuleContext<Options>,
  describe: (replacement: string, text: string) => Pick<ReportDescriptor, 'messageId' | 'message' | 'data'>,
): RuleVisitors<Preferred> {
  const hits: TermMatch<Preferred>[] = [];
  const unitOrder = new Map<TermMatch['unit'], number>();
  return {
    term(match) {
      if (!unitOrder.has(match.unit)) unitOrder.set(match.unit, unitOrder.size);
      hits.push(match);
    },
    end() {
      for (const hit of substitutionsToReport(hits, unitOrder)) {
        const { use, caseSensitive } = hit.spec.payload;
        const replacement = caseSensitive ? use : matchCase(hit.text, use);
        const target = context.unitTarget(hit.unit, hit.start, hit.end);
        context.report({
          ...describe(replacement, hit.text),
          at: hit,
          fix:
            target === undefined
              ? undefined
              : { description: `Replace "${hit.text}" with "${replacement}"`, target, text: replacement },
        });
      }
    },
  };
}

export const preferredTerm = defineRule<{ terms: z.output<typeof PreferredTermSchema>[] }, Preferred>({
  meta: {
    type: 'suggestion',
    docs: {
      description:
        "Say the brand's word: replaces each `insteadOf` with `use` (`brandKit.voice.preferredTerms`), keeping the case of the replaced word",
      recommended: true,
    },
    fixable: 'code',
    messages: { prefer: 'Use "{{use}}" instead of "{{text}}"' },
    schema: z
      .object({ terms: z.array(PreferredTermSchema).default([]) })
      .strict()
      .default({ terms: [] }),
  },
  terms: (options, kit) =>
    [...kit.voice.preferredTerms, ...options.terms].flatMap((t) => [
      ...t.insteadOf.map((bad) => ({
        term: bad,
        caseSensitive: t.caseSensitive,
        locales: t.locales,
        payload: { use: t.use, caseSensitive: t.caseSensitive, protect: false },
      })),
      {
        term: t.use,
        caseSensitive: t.caseSensitive,
        locales: t.locales,
        payload: { use: t.use, caseSensitive: t.caseSensitive, protect: true },
      },
    ]),
  create: (context) => substitutionVisitors(context, (use, text) => ({ messageId: 'prefer', data: { use, text } })),
});
