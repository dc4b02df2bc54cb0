import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexDialect, lexTracked, relex, type Lexed, type LiveConstruct } from './dialect-lexer.js';

const DIALECTS = ['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'] as const;

/** Pieces that open, close or complete constructs in some dialect, and runs long enough to reach far. */
const ALPHABET = [
  '{',
  '}',
  '{{',
  '}}',
  '{{{',
  '{%',
  '%}',
  '{#',
  '#}',
  '{% raw %}',
  '{% endraw %}',
  '%',
  '%%',
  '%%=',
  '=%%',
  '%%[',
  ']%%',
  '$',
  '${',
  '$!',
  '$!{',
  '$x',
  '.y',
  '#',
  '##',
  '#*',
  '*#',
  '#set(',
  '#if',
  '(',
  ')',
  '#{else}',
  '#end',
  '#[[',
  ']]#',
  '~',
  '~~',
  '<',
  '>',
  '<a ',
  '<S',
  '<span ',
  'class="eloquaemail"',
  'elq',
  'Q',
  'q',
  '=',
  '-',
  'elqTrack=',
  ' elqTrack="1"',
  '<p',
  '<script runat=server>',
  '</script>',
  // Tag openers in pieces and in any case: an edit can complete one, or break its word boundary.
  '<s',
  'cript',
  'CrIpT',
  'pan',
  'PAN',
  '<SCRIPT>',
  '<Span ',
  'x',
  'A',
  ' ',
  '\n',
  '"',
  'a'.repeat(70),
  ' '.repeat(70),
  `#x${'-'.repeat(80)}`,
  `<span title="${'t'.repeat(80)}"`,
];

const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 30 }).map((p) => p.join(''));
const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 120 }),
  insert: fc.array(fc.constantFrom(...ALPHABET), { maxLength: 6 }).map((p) => p.join('')),
});

const plain = (cs: readonly LiveConstruct[]) => cs.map((c) => [c.kind, c.start, c.end]);

describe('incremental re-lex', () => {
  it.each(DIALECTS)(
    '%s: re-lexing after each edit of a random sequence gives what lexing the whole text gives (property)',
    (dialect) => {
      fc.assert(
        fc.property(text, fc.array(edit, { minLength: 1, maxLength: 12 }), (start, edits) => {
          let current = start;
          let lexed: Lexed = lexTracked(dialect, current);
          expect(plain(lexed.constructs)).toEqual(plain(lexDialect(dialect, current)));
          for (const e of edits) {
            const a = e.at % (current.length + 1);
            const b = Math.min(current.length, a + e.remove);
            const next = current.slice(0, a) + e.insert + current.slice(b);
            const b2 = a + e.insert.length;
            const result = relex(dialect, next, lexed, a, b, b2);
            const whole = lexTracked(dialect, next);
            expect(plain(result.lexed.constructs)).toEqual(plain(whole.constructs));
            // What was not lexed again is an old construct outside the edit, in place or shifted past it.
            const fresh = new Set(result.fresh);
            const old = new Set(plain(lexed.constructs).map((c) => c.join('|')));
            const delta = b2 - b;
            for (const c of result.lexed.constructs) {
              if (fresh.has(c)) continue;
              if (c.end <= a) expect(old.has([c.kind, c.start, c.end].join('|'))).toBe(true);
              else {
                expect(c.start - delta).toBeGreaterThanOrEqual(b);
                expect(old.has([c.kind, c.start - delta, c.end - delta].join('|'))).toBe(true);
              }
            }
            current = next;
            lexed = result.lexed;
          }
        }),
        { numRuns: 400 },
      );
    },
  );

  it('Eloqua: an edit that opens a tag or joins a word re-lexes the attributes after it', () => {
    const check = (before: string, a: number, b: number, insert: string) => {
      const after = before.slice(0, a) + insert + before.slice(b);
      const { lexed } = relex('eloqua', after, lexTracked('eloqua', before), a, b, a + insert.length);
      expect(plain(lexed.constructs)).toEqual(plain(lexDialect('eloqua', after)));
    };
    // `<a` opens a tag that the following elq attribute now stands in.
    check('text  elqTrack="1" more', 4, 4, '<a');
    check('<a x elqTrack="1">', 1, 3, '');
    // A letter before `elq` ends its word boundary.
    check('<a elqTrack="1">', 3, 3, 'x');
    check('<a xelqTrack="1">', 3, 4, ' ');
  });

  it('sfmc and Eloqua: a tag opener counts in any letter case and only as a whole word, also when an edit completes or breaks it', () => {
    const check = (dialect: 'sfmc' | 'eloqua', before: string, a: number, b: number, insert: string) => {
      const after = before.slice(0, a) + insert + before.slice(b);
      const { lexed } = relex(dialect, after, lexTracked(dialect, before), a, b, a + insert.length);
      expect(plain(lexed.constructs)).toEqual(plain(lexDialect(dialect, after)));
      return lexed.constructs.map((c) => c.kind);
    };
    const long = 'x'.repeat(200);
    expect(lexDialect('sfmc', `${long}<ScRiPt>x</script>`).map((c) => c.kind)).toEqual(['server-script']);
    expect(lexDialect('sfmc', `${long}<scripts>x</script>`)).toEqual([]);
    expect(lexDialect('eloqua', `${long}<SPAN class="eloquaemail">x</span>`).map((c) => c.kind)).toEqual([
      'eloqua-merge',
    ]);
    expect(lexDialect('eloqua', `${long}<spanx class="eloquaemail">`)).toEqual([]);
    // Completing the opener at the edit, breaking its boundary just after it, and restoring it.
    const s = `${long}<scrip>${long}</script>${long}`;
    expect(check('sfmc', s, 206, 206, 't')).toEqual(['server-script']);
    const whole = `${long}<script>${long}</script>${long}`;
    expect(check('sfmc', whole, 207, 207, 'x')).toEqual([]);
    expect(check('sfmc', `${long}<scriptx>${long}</script>`, 207, 208, '')).toEqual(['server-script']);
    // An edit that writes only the opener's first character: the rest of it stands after the edit.
    expect(check('sfmc', `${long}script>${long}</script>`, 200, 200, '<')).toEqual(['server-script']);
    expect(check('sfmc', `${long}<xscript>${long}</script>`, 201, 202, '')).toEqual(['server-script']);
    expect(check('eloqua', `${long}span class="eloquaemail">${long}`, 200, 200, '<')).toEqual(['eloqua-merge']);
    const span = `${long}<spa class="eloquaemail">${long}`;
    expect(check('eloqua', span, 204, 204, 'N')).toEqual(['eloqua-merge']);
    expect(check('eloqua', `${long}<span class="eloquaemail">`, 205, 205, 'x')).toEqual([]);
  });

  it('lexes again only around the edit, not the whole text', () => {
    const body = `<p>${'Hello world. '.repeat(2000)}</p>`;
    const before = `{{ a }}${body}{{ b }}${body}{{ c }}`;
    const at = before.indexOf('{{ b }}');
    const after = `${before.slice(0, at)}{{ bb }}${before.slice(at + 7)}`;
    const { lexed, fresh } = relex('hubspot', after, lexTracked('hubspot', before), at, at + 7, at + 8);
    expect(plain(lexed.constructs)).toEqual(plain(lexDialect('hubspot', after)));
    expect(fresh.map((c) => after.slice(c.start, c.end))).toEqual(['{{ bb }}']);
  });
});
