import { MAX_REGEX_INPUT } from '../config/regex-guard.js';
import { isCaseStyle, wholeTextRegex, type DataRule } from '../config/schema.js';
import { toSentenceCase, toTitleCase } from '../text/case.js';
import { readingGrade } from '../text/readability.js';
import type { RuleContext, RuleMeta, RuleModule, TermMatch, TextUnit } from '../types.js';
import { defineRule } from './define-rule.js';
import { substitutionVisitors, type Preferred } from './terms.js';

/** Vale's `%s` placeholders, filled in order. */
function fill(message: string, ...values: (string | number)[]): string {
  let i = 0;
  return message.replace(/%s/g, () => String(values[i++] ?? ''));
}

function regex(source: string, ignorecase: boolean): RegExp {
  return new RegExp(source, ignorecase ? 'giu' : 'gu');
}

/**
 * Whether a user regex may run on this text: longer text is not matched (a guarded pattern can
 * still be quadratic), and the rule reports that it was skipped rather than pass it silently.
 */
function regexMayRun(context: RuleContext<undefined>, unit: TextUnit): boolean {
  if (unit.text.length <= MAX_REGEX_INPUT) return true;
  context.report({
    message: `Text of ${unit.text.length} characters not checked: regular expressions run on at most ${MAX_REGEX_INPUT}`,
    at: whole(unit),
    facts: { length: unit.text.length, max: MAX_REGEX_INPUT },
  });
  return false;
}

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    yield m;
  }
}

function meta(rule: DataRule, extra: Partial<RuleMeta<undefined>> = {}): RuleMeta<undefined> {
  return {
    type: rule.level === 'error' ? 'problem' : 'suggestion',
    docs: {
      description: rule.description ?? `${rule.kind} rule`,
      ...(rule.link === undefined ? {} : { url: rule.link }),
    },
    messages: { match: rule.message },
    ...(rule.scope === undefined ? {} : { scope: rule.scope }),
    ...extra,
  };
}

function whole(unit: TextUnit) {
  return { unit, start: 0, end: unit.text.length };
}

/** Turns a Vale-style data rule into a rule module. */
export function compileDataRule(id: string, rule: DataRule): RuleModule<undefined> {
  switch (rule.kind) {
    case 'existence': {
      const exceptions = new Set(rule.exceptions);
      return defineRule<undefined, null>({
        meta: meta(rule),
        terms: () =>
          rule.tokens.map((t) =>
            typeof t === 'string'
              ? { term: t, caseSensitive: rule.caseSensitive, nonword: rule.nonword, payload: null }
              : { term: t.term, caseSensitive: t.caseSensitive, nonword: rule.nonword, payload: null },
          ),
        create: (context) => ({
          term(match) {
            if (exceptions.has(match.text)) return;
            context.report({ message: fill(rule.message, match.text), at: match });
          },
        }),
      });
    }
    case 'substitution': {
      const byUse = new Map<string, string[]>();
      for (const [bad, good] of Object.entries(rule.swap)) byUse.set(good, [...(byUse.get(good) ?? []), bad]);
      return defineRule<undefined, Preferred>({
        meta: meta(rule, { fixable: 'code' }),
        terms: () =>
          [...byUse].flatMap(([use, bads]) => [
            ...bads.map((bad) => ({
              term: bad,
              caseSensitive: rule.caseSensitive,
              payload: { use, caseSensitive: rule.caseSensitive, protect: false },
            })),
            ...(use === ''
              ? []
              : [
                  {
                    term: use,
                    caseSensitive: rule.caseSensitive,
                    payload: { use, caseSensitive: rule.caseSensitive, protect: true },
                  },
                ]),
          ]),
        create: (context) =>
          substitutionVisitors(context, (replacement, text) => ({ message: fill(rule.message, replacement, text) })),
      });
    }
    case 'occurrence': {
      const re = regex(rule.token, rule.ignorecase);
      return defineRule<undefined>({
        meta: meta(rule),
        create: (context) => ({
          text(unit) {
            if (!regexMayRun(context, unit)) return;
            const count = [...matches(re, unit.text)].length;
            if ((rule.max !== undefined && count > rule.max) || (rule.min !== undefined && count < rule.min)) {
              context.report({ message: fill(rule.message, count), at: whole(unit), facts: { count } });
            }
          },
        }),
      });
    }
    case 'consistency': {
      const pairs = Object.entries(rule.either);
      return defineRule<undefined, { pair: number; side: 0 | 1 }>({
        meta: meta(rule),
        terms: () =>
          pairs.flatMap(([a, b], pair) => [
            { term: a, caseSensitive: rule.caseSensitive, payload: { pair, side: 0 as const } },
            { term: b, caseSensitive: rule.caseSensitive, payload: { pair, side: 1 as const } },
          ]),
        create(context) {
          const hits: TermMatch<{ pair: number; side: 0 | 1 }>[] = [];
          return {
            term(match) {
              hits.push(match);
            },
            end() {
              pairs.forEach((variants, pair) => {
                const mine = hits.filter((h) => h.spec.payload.pair === pair);
                const sides = [
                  mine.filter((h) => h.spec.payload.side === 0),
                  mine.filter((h) => h.spec.payload.side === 1),
                ] as const;
                if (sides[0].length === 0 || sides[1].length === 0) return;
                // The more frequent variant wins; on a tie, the one used first.
                const loser = sides[0].length > sides[1].length ? 1 : sides[1].length > sides[0].length ? 0 : 1;
                for (const hit of sides[loser])
                  context.report({ message: fill(rule.message, hit.text, variants[loser === 0 ? 1 : 0]), at: hit });
              });
            },
          };
        },
      });
    }
    case 'conditional': {
      const first = regex(rule.first, false);
      const second = regex(rule.second, false);
      const exceptions = new Set(rule.exceptions);
      return defineRule<undefined>({
        meta: meta(rule),
        create(context: RuleContext<undefined>) {
          return {
            end() {
              const units = context.units.filter((unit) => regexMayRun(context, unit));
              const defined = new Set<string>();
              for (const unit of units) for (const m of matches(second, unit.text)) defined.add(m[1] ?? m[0]);
              for (const unit of units) {
                for (const m of matches(first, unit.text)) {
                  const key = m[1] ?? m[0];
                  if (defined.has(key) || exceptions.has(key)) continue;
                  context.report({
                    message: fill(rule.message, key),
                    at: { unit, start: m.index, end: m.index + m[0].length },
                  });
                }
              }
            },
          };
        },
      });
    }
    case 'capitalization': {
      const exceptions = new Set(rule.exceptions);
      const pattern = isCaseStyle(rule.match) ? undefined : new RegExp(wholeTextRegex(rule.match), 'u');
      const expected = (text: string): string | undefined => {
        switch (rule.match) {
          case '$title':
            return toTitleCase(text, exceptions);
          case '$sentence':
            return toSentenceCase(text, exceptions);
          case '$lower':
            return text.toLowerCase();
          case '$upper':
            return text.toUpperCase();
          default:
            return pattern?.test(text) === true ? text : undefined;
        }
      };
      return defineRule<undefined>({
        meta: meta(rule, { hasSuggestions: true }),
        create: (context) => ({
          text(unit) {
            if (pattern !== undefined && !regexMayRun(context, unit)) return;
            const want = expected(unit.text);
            if (want === unit.text) return;
            const target = want === undefined ? undefined : context.unitTarget(unit, 0, unit.text.length);
            context.report({
              message: fill(rule.message, unit.text),
              at: whole(unit),
              suggest:
                target === undefined || want === undefined
                  ? undefined
                  : [{ description: `Write "${want}"`, target, text: want }],
            });
          },
        }),
      });
    }
    case 'readability':
      return defineRule<undefined>({
        meta: meta(rule),
        create: (context) => ({
          text(unit) {
            const result = readingGrade(unit.text, context.locale, rule.metrics);
            if (result === undefined || result.words < rule.minWords || result.grade <= rule.grade) return;
            context.report({
              message: fill(rule.message, result.grade),
              at: whole(unit),
              facts: { grade: result.grade },
            });
          },
        }),
      });
    case 'pattern': {
      const re = regex(rule.pattern, rule.ignorecase);
      const replace = rule.replace;
      return defineRule<undefined>({
        meta: meta(rule, replace === undefined ? {} : { fixable: 'code' }),
        create: (context) => ({
          text(unit) {
            if (!regexMayRun(context, unit)) return;
            for (const m of matches(re, unit.text)) {
              const end = m.index + m[0].length;
              const target = replace === undefined ? undefined : context.unitTarget(unit, m.index, end);
              const text =
                replace === undefined ? '' : m[0].replace(new RegExp(re.source, re.flags.replace('g', '')), replace);
              context.report({
                message: fill(rule.message, m[0]),
                at: { unit, start: m.index, end },
                fix:
                  target === undefined || text === m[0]
                    ? undefined
                    : { description: `Replace with "${text}"`, target, text },
              });
            }
          },
        }),
      });
    }
  }
}
