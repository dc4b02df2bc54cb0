import { isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftWith, kit, template } from '../__fixtures__/email.js';
import { lint } from '../engine/linter.js';
import { defineConfig, type LintConfig } from './define-config.js';
import { MAX_REGEX_INPUT, findRegexHazard } from './regex-guard.js';
import type { DataRuleInput } from './schema.js';

function thrown(fn: () => unknown): { code: string; path: string | undefined; message: string } {
  try {
    fn();
  } catch (error) {
    if (isHubspokeError(error)) return { code: error.code, path: error.path, message: error.message };
    throw error;
  }
  throw new Error('expected a HubspokeError');
}

const pattern = (source: string, extra: Partial<DataRuleInput> = {}): LintConfig => ({
  dataRules: { 'acme/x': { kind: 'pattern', message: 'x', pattern: source, ...extra } as DataRuleInput },
});

/** Patterns the guard must accept: common brand-rule shapes, and safe loops it must not confuse with ambiguous ones. */
const SAFE_PATTERNS = [
  '\\b(?:free|win)\\b',
  '\\b(?:lorem|ipsum|dolor|sit|amet)\\b',
  `\\b(?:${Array.from({ length: 300 }, (_, i) => `w${i.toString(36)}`).join('|')})\\b`,
  `\\b(?:${Array.from({ length: 500 }, (_, i) => `w${i.toString(36).padStart(3, '0')}`).join('|')})\\b`,
  `(?:${Array.from({ length: 40 }, (_, i) => `s${i.toString(36).padStart(2, '0')}`).join('|')}) (?:${Array.from({ length: 40 }, (_, i) => `t${i.toString(36).padStart(2, '0')}`).join('|')})`,
  '\\+?\\d[\\d\\s().-]{7,}\\d',
  '(\\d{3})-(\\d{4})',
  'https?://[^\\s<>"]+',
  '(?:https?|ftp)://\\S+',
  '[\\w.+-]+@[\\w-]+\\.[\\w.-]+',
  '\\b([A-Z]{3,5})\\b',
  '(?:\\b[A-Z][a-z]+ )+\\(([A-Z]{3,5})\\)',
  ' {2,}',
  '!',
  '\\p{Lu}{4,}',
  "\\p{L}+(?:['’]\\p{L}+)*",
  '(?<word>\\w+)',
  '(?<=\\$)\\d+',
  '\\d{1,3}(?:,\\d{3})*(?:\\.\\d+)?',
  '^\\s+|\\s+$',
  '(?:(?:free|fun|win) )+',
  '(?:Mr\\.|Mrs\\.|Ms\\.) [A-Z]\\w+',
  '\\b(\\w+) \\1\\b',
  '\\b(\\w+)\\s+\\1\\b',
  // Nothing after the loop can fail: the first way it tries succeeds.
  '(a+)+',
  '(?<=(a+)+)x',
  // Loops whose body splits only one way.
  '(?:,\\d{3})+x',
  '(?:\\d{16})+x',
  '(?:(?:ab){3}){4}!',
  '(?:\\s*,\\s*\\w+)+$',
  '\\w+(?:\\.\\w+)*@',
  '(?:[a-z]+-)+[a-z]+$',
  '.{0,1000}x',
];

describe('findRegexHazard', () => {
  it.each([
    // Nested quantifiers (star height > 1).
    ['(a+)+$', 'exponential', '(a+)+'],
    ['(a*)*b', 'exponential', '(a*)*'],
    ['^(\\w+\\s?)*$', 'exponential', '(\\w+\\s?)*'],
    ['([a-z]+)+@', 'exponential', '([a-z]+)+'],
    ['^(\\d+|\\d+\\.)+$', 'exponential', '(\\d+|\\d+\\.)+'],
    ['(x+x+)+y', 'exponential', 'x+ … x+'],
    // Quantified alternations whose branches can match the same text.
    ['(a|a)*$', 'exponential', '(a|a)'],
    ['(\\w|\\d)+$', 'exponential', '(\\w|\\d)'],
    ['^(a|b|ab)*$', 'exponential', '(a|b|ab)'],
    ['^(?:a|a?)+$', 'exponential', '(?:a|a?)'],
    ['(?:colou?r|color)+!', 'exponential', '(?:colou?r|color)'],
    // Conservative: fast in practice, but a branch is a prefix of another.
    ['(a|ab)*c', 'exponential', '(a|ab)'],
    ['(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)!', 'exponential', '(a|a)'],
    // Adjacent quantifiers trading characters, and backreferences.
    ['\\s*\\s*$', 'polynomial', '\\s* … \\s*'],
    ['.*.*=.*', 'polynomial', '.* … .*'],
    ['^(.*a){11}$', 'polynomial', '(.*a){11}'],
    ['(\\w+)\\1+$', 'polynomial', '\\w+ … \\1+'],
    // A loop whose body can be split differently between repetitions (counted and optional parts).
    ['(?:\\d{1,3})+x', 'exponential', '(?:\\d{1,3})+'],
    ['(?:(?:ab)*a?)*c', 'exponential', '(?:(?:ab)*a?)*'],
    ['(?:aa?)+$', 'exponential', '(?:aa?)+'],
    ['(?:a{1,2})+$', 'exponential', '(?:a{1,2})+'],
    ['(?:a?b?)*c', 'exponential', '(?:a?b?)*'],
    ['^(?:[a-z]+-?)+$', 'exponential', '(?:[a-z]+-?)+'],
    // Counted repetitions that multiply to a long loop.
    ['(?:(?:a{1,2}){5}){5}$', 'exponential', '(?:a{1,2}){5}'],
    ['(?:a{1,2}){50}$', 'exponential', '(?:a{1,2}){50}'],
    // Loops in sequence that can share a repeated text of more than one character (scslre looks at runs of one).
    ['x(?:[ab]+ab)(?:[ab]+ab)$', 'polynomial', '[ab]+ … [ab]+'],
    ['(?<=\\s(?:(?:[ab]+ab){1,2}){1,3}.*)x', 'polynomial', '.* … [ab]+'],
    // Overlapping counted and optional parts in sequence: finitely many ways, but too many (a fuzzed pattern that hung).
    [
      '(?:\\d|(?:(?:[ab]?[ab]{1,3}){1,2}ab{0,2}b*){1,3}\\d{2})(?:[ab]b{1,3}){0,2}(?=!)',
      'exponential',
      '(?:\\d|(?:(?:[ab]?[ab]{1,3}){1,2}ab{0,2}b*){1,3}\\d{2})(?:[ab]b{1,3}){0,2}(?=!)',
    ],
    [
      '[ab]*?\\d?(?:(?:\\w{0,2}(?:ab|\\w?[ab]{0,2}){0,2}(?:,{0,2}ab+)|\\d+ab?){2})?$',
      'exponential',
      '[ab]*?\\d?(?:(?:\\w{0,2}(?:ab|\\w?[ab]{0,2}){0,2}(?:,{0,2}ab+)|\\d+ab?){2})?$',
    ],
    // Lookaround bodies backtrack in full while they are tried.
    ['(?=(?:\\w|\\d)+$)x', 'exponential', '(?:\\w|\\d)'],
    ['(?=(?:a|a)*$)', 'exponential', '(?:a|a)'],
    ['(?!(a|a)*$)', 'exponential', '(a|a)'],
    ['(?=(?:aa?)+$)', 'exponential', '(?:aa?)+'],
    ['(?<=^(?:aa?)+)x', 'exponential', '(?:aa?)+'],
  ])('rejects %s (%s, at %s)', (source, kind, part) => {
    expect(findRegexHazard(source, 'u')).toMatchObject({ kind, part });
  });

  it.each(SAFE_PATTERNS)('accepts %s', (source) => {
    expect(findRegexHazard(source, 'u')).toBeUndefined();
    expect(findRegexHazard(source, 'iu')).toBeUndefined();
  });

  it('gives up on patterns too large to analyse, and on what it cannot parse, without throwing', () => {
    expect(findRegexHazard('\\w*'.repeat(65), 'u')).toMatchObject({
      kind: 'unverifiable',
      message: expect.stringContaining('quantifiers') as unknown,
    });
    expect(findRegexHazard('(', 'u')).toMatchObject({ kind: 'unverifiable' });
    expect(findRegexHazard('(?:(\\w)\\1|\\w\\w)+!', 'u')).toBeDefined();
  });

  it('never throws, whatever the pattern (property)', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      '\\w',
      '\\d',
      '\\s',
      '.',
      '[a-z]',
      '[^x]',
      '\\p{L}',
      '\\1',
      '\\b',
      '^',
      '$',
      '(',
      ')',
      '(?:',
      '(?=',
      '(?<!',
      '|',
      '*',
      '+',
      '?',
      '{2,}',
      '{0,3}',
      '{3}',
      '\\',
      '[',
      ']',
      '-',
    );
    const regexish = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.oneof(regexish, fc.string({ maxLength: 40 })),
        fc.constantFrom('u', 'iu', '', 'v'),
        (source, flags) => {
          const hazard = findRegexHazard(source, flags);
          if (hazard !== undefined) expect(['exponential', 'polynomial', 'unverifiable']).toContain(hazard.kind);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('the ReDoS guard in configs', () => {
  it('rejects a dangerous pattern naming the config path and the offending part', () => {
    const e = thrown(() => defineConfig(pattern('(a+)+$')));
    expect(e).toMatchObject({ code: 'E_VALIDATION', path: 'config.dataRules["acme/x"].pattern' });
    expect(e.message).toContain('"(a+)+" can take exponential time');
    expect(e.message).toContain('"allowUnsafeRegex": true');
  });

  it('checks every regex field of every kind, also in an extended config', () => {
    const rules: Record<string, DataRuleInput> = {
      'acme/occurrence': { kind: 'occurrence', message: 'x', token: '(\\w|\\d)+!', max: 1 },
      'acme/conditional': { kind: 'conditional', message: 'x', first: '\\b([A-Z]{3})\\b', second: '(x+x+)+y' },
      'acme/pattern': { kind: 'pattern', message: 'x', pattern: '\\s*\\s*$', ignorecase: true },
    };
    for (const [id, rule] of Object.entries(rules)) {
      const field = { 'acme/occurrence': 'token', 'acme/conditional': 'second', 'acme/pattern': 'pattern' }[id];
      expect(
        thrown(() => lint({ brandKit: kit, template, config: { extends: [{ dataRules: { [id]: rule } }] } })).path,
      ).toBe(`config.extends[0].dataRules[${JSON.stringify(id)}].${field ?? ''}`);
    }
  });

  it('checks a capitalization regex as it runs: anchored to the whole text', () => {
    // `(\w+\s?)*` alone always matches at once; as `^(?:(\w+\s?)*)$` it backtracks exponentially.
    expect(findRegexHazard('(\\w+\\s?)*', 'u')).toBeUndefined();
    expect(
      thrown(() =>
        defineConfig({ dataRules: { 'acme/case': { kind: 'capitalization', message: 'x', match: '(\\w+\\s?)*' } } }),
      ).path,
    ).toBe('config.dataRules["acme/case"].match');
    expect(() =>
      defineConfig({ dataRules: { 'acme/case': { kind: 'capitalization', message: 'x', match: '$sentence' } } }),
    ).not.toThrow();
  });

  it('lets a rule opt out with allowUnsafeRegex', () => {
    expect(() => defineConfig(pattern('(a+)+$', { allowUnsafeRegex: true }))).not.toThrow();
    expect(thrown(() => defineConfig(pattern('(a+)+$', { allowUnsafeRegex: false }))).path).toBe(
      'config.dataRules["acme/x"].pattern',
    );
  });

  it('reports an invalid regex once, as invalid', () => {
    const e = thrown(() => defineConfig(pattern('(')));
    expect(e.path).toBe('config.dataRules["acme/x"].pattern');
    expect(e.message).toContain('valid JavaScript regular expression');
    expect(e.message).not.toContain('backtracking');
  });

  it('any pattern in a config is accepted or rejected with a HubspokeError (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (source) => {
        try {
          defineConfig(pattern(source));
        } catch (error) {
          expect(isHubspokeError(error)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('linting with guarded regexes', () => {
  it('finishes on hostile text, and says which text was too long to check', () => {
    const rules: Record<string, DataRuleInput> = {
      // Accepted by the guard but quadratic when retried at every position: the input cap bounds it.
      'acme/trailing': { kind: 'pattern', message: 'Trailing space', pattern: '\\s+$' },
      'acme/email': { kind: 'pattern', message: 'Address %s', pattern: '[\\w.+-]+@[\\w-]+\\.[\\w.-]+' },
      // Opted out of the guard: exponential on "aaaa…!", so only the cap keeps the run finite.
      'acme/evil': { kind: 'pattern', message: 'x', pattern: '^(a+)+$', allowUnsafeRegex: true },
    };
    const near = `${' '.repeat(MAX_REGEX_INPUT - 10)}x`;
    const long = `${'a'.repeat(MAX_REGEX_INPUT + 1)}!`;
    const result = lint({
      brandKit: kit,
      template,
      config: { dataRules: rules },
      now: '2026-06-01',
      draft: draftWith((en) => {
        en.slots['hero-1'].headline = near;
        en.slots['hero-1'].copy = long;
      }),
    });
    const skipped = result.diagnostics.filter((d) =>
      d.message.startsWith(`Text of ${String(MAX_REGEX_INPUT + 2)} characters not checked`),
    );
    expect(skipped.map((d) => d.ruleId).sort()).toEqual(['acme/email', 'acme/evil', 'acme/trailing']);
    expect(skipped.every((d) => d.location.slotId === 'copy')).toBe(true);
    expect(result.diagnostics.filter((d) => d.ruleId === 'acme/email' && d.location.slotId === 'headline')).toEqual([]);
  });
});

describe('linting with the patterns the guard accepts', () => {
  it('finishes on adversarial text (long runs that each pattern almost matches)', () => {
    // If the guard let an exponential pattern through, this run would not finish (the test
    // would time out): no timing threshold is asserted.
    // (Every one a config takes: the longest word list is over the 2,000-character limit.)
    const rules: Record<string, DataRuleInput> = Object.fromEntries(
      SAFE_PATTERNS.flatMap((source, i) =>
        source.length > 2000
          ? []
          : [
              [
                `acme/safe-${String(i)}`,
                { kind: 'pattern', message: 'Found %s', pattern: source, ignorecase: i % 2 === 1 },
              ],
            ],
      ),
    );
    expect(() => defineConfig({ dataRules: rules })).not.toThrow();
    const runs = ['a', '1', ' ', 'ab', '1,', 'a ', 'Ab ', 'w0', 'a-', "a'", 'a.', '$1', '\t,'].map(
      (chunk) => `${chunk.repeat(Math.ceil(300 / chunk.length))}!`,
    );
    const copy = runs.join('\n');
    expect(copy.length).toBeLessThan(MAX_REGEX_INPUT);
    const result = lint({
      brandKit: kit,
      template,
      config: { dataRules: rules },
      now: '2026-06-01',
      draft: draftWith((en) => (en.slots['hero-1'].copy = copy)),
    });
    const found = new Set(result.diagnostics.filter((d) => d.location.slotId === 'copy').map((d) => d.ruleId));
    // The text really was matched against: the digit, space and word patterns all hit.
    const hit = (source: string) => found.has(`acme/safe-${String(SAFE_PATTERNS.indexOf(source))}`);
    expect(hit(' {2,}')).toBe(true);
    expect(hit('\\d{1,3}(?:,\\d{3})*(?:\\.\\d+)?')).toBe(true);
    expect(hit('(?<word>\\w+)')).toBe(true);
  });
});
