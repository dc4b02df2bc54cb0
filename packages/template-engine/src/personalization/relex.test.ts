import type { Dialect } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasBracket,
  lexDialect,
  lexTracked,
  relex,
  relexSpan,
  relexWindow,
  type Lexed,
  type LiveConstruct,
} from './dialect-lexer.js';
import { foreignAmong, foreignConstructs, type Piece } from '../render/live-check.js';

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
            // Told whether the edit removed a `<` or `>` (Eloqua then may rejoin sooner), and not told.
            const result = relex(dialect, next, lexed, a, b, b2, hasBracket(current, a, b));
            const whole = lexTracked(dialect, next);
            expect(plain(result.lexed.constructs)).toEqual(plain(whole.constructs));
            const untold = relex(dialect, next, lexed, a, b, b2);
            expect(plain(untold.lexed.constructs)).toEqual(plain(whole.constructs));
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

  it.each(DIALECTS)(
    '%s: given only a window of the text around the edit, the re-lex gives what the whole text gives, or asks for the whole (property)',
    (dialect) => {
      // Windows as the renderer picks them (relexSpan) and shrunk or grown at either side: a window
      // too small must be refused (undefined), never answered from what it lacks.
      const side = fc.oneof(fc.constant(0), fc.integer({ min: -40, max: 40 }), fc.integer({ min: -200, max: 200 }));
      // Few pieces around the edited part, so that most texts have ends no construct reads to.
      const few = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 6 }).map((p) => p.join(''));
      let answered = 0;
      let inside = 0;
      fc.assert(
        fc.property(few, few, edit, side, side, (head, tail, e, left, right) => {
          // Long enough around the edit that the window starts and ends inside the text (as HTML, with tags).
          const pad = 'ab <b>'.repeat(50);
          const before = `${head}${pad}${tail}${pad}${head}`;
          const a = head.length + 300 + (e.at % (tail.length + 1));
          const b = Math.min(before.length, a + e.remove);
          const after = before.slice(0, a) + e.insert + before.slice(b);
          const b2 = a + e.insert.length;
          const old = lexTracked(dialect, before);
          // Half the time told whether the edit removed a `<` or `>` (both re-lexes alike).
          const removed = e.at % 2 === 0 ? hasBracket(before, a, b) : undefined;
          const whole = relex(dialect, after, old, a, b, b2, removed);
          const [s, t] = relexSpan(old, a, b, b2, after.length);
          const from = Math.max(0, Math.min(after.length, s - left));
          const to = Math.max(from, Math.min(after.length, t + right));
          const got = relexWindow(dialect, after.slice(from, to), from, after.length, old, a, b, b2, removed);
          if (got === undefined) return;
          answered += 1;
          if (from > 0 && to < after.length) inside += 1;
          expect(plain(got.lexed.constructs)).toEqual(plain(whole.lexed.constructs));
          expect(got.lexed.reach).toEqual(whole.lexed.reach);
          expect(got.lexed.long).toEqual(whole.lexed.long);
          expect(plain(got.fresh)).toEqual(plain(whole.fresh));
        }),
        { numRuns: 300 },
      );
      // Windows answer, also from inside the text (not only a window that is the whole of it).
      expect(answered).toBeGreaterThan(80);
      expect(inside).toBeGreaterThan(40);
    },
  );

  it('a window is refused when the lexer would read outside it: an Eloqua tag opened before it, a construct closed after it', () => {
    const windowed = (dialect: 'eloqua' | 'hubspot', before: string, a: number, b: number, insert: string) => {
      const after = before.slice(0, a) + insert + before.slice(b);
      const b2 = a + insert.length;
      const old = lexTracked(dialect, before);
      const [from, to] = relexSpan(old, a, b, b2, after.length);
      expect(from).toBeGreaterThan(0);
      expect(to).toBeLessThan(after.length);
      return relexWindow(dialect, after.slice(from, to), from, after.length, old, a, b, b2);
    };
    // The elq attribute is in the tag opened 300 characters back, before any window around the edit.
    const tag = `<a title="${'t'.repeat(300)}" elqTrack="1">${'x <b> '.repeat(60)}`;
    const at = tag.indexOf(' elqTrack');
    expect(windowed('eloqua', tag, at - 2, at - 1, 'u')).toBeUndefined();
    // The same attribute in a tag that starts inside the window is answered, as the whole text answers.
    const near = `${'x <b> '.repeat(60)}<a elqTrack="1">${'x <b> '.repeat(60)}`;
    const i = near.indexOf('<a ') - 3;
    const got = windowed('eloqua', near, i, i + 1, 'y');
    expect(got && plain(got.lexed.constructs)).toEqual(
      plain(lexDialect('eloqua', `${near.slice(0, i)}y${near.slice(i + 1)}`)),
    );
    expect(got?.lexed.constructs.map((c) => c.kind)).toEqual(['eloqua-attribute']);
    // An edit that opens a {{ whose }} is far past the window.
    const far = `${'a '.repeat(200)}{ x ${'b '.repeat(400)}}}${'c '.repeat(200)}`;
    expect(windowed('hubspot', far, 400, 400, '{')).toBeUndefined();
  });

  it('Eloqua: an edit that opens a tag or joins a word re-lexes the attributes after it', () => {
    const check = (before: string, a: number, b: number, insert: string) => {
      const after = before.slice(0, a) + insert + before.slice(b);
      // Told whether the edit removed a bracket, and not told.
      for (const removed of [hasBracket(before, a, b), undefined]) {
        const { lexed } = relex('eloqua', after, lexTracked('eloqua', before), a, b, a + insert.length, removed);
        expect(plain(lexed.constructs)).toEqual(plain(lexDialect('eloqua', after)));
      }
    };
    // `<a` opens a tag that the following elq attribute now stands in.
    check('text  elqTrack="1" more', 4, 4, '<a');
    check('<a x elqTrack="1">', 1, 3, '');
    // A letter written, or removed, just after a `<` makes, or unmakes, the tag (no bracket edited).
    check('< elqTrack="1" more', 1, 1, 'a');
    check('<a elqTrack="1" more', 1, 2, '');
    // A bracket removed: the attribute after it stands in another tag, or in none.
    check('<a x> elqTrack="1" more', 4, 5, '');
    check('<a x elqTrack="1" more', 2, 4, '>');
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

describe('the incremental check at a piece boundary', () => {
  /**
   * A template's text with spoke text in two holes: `pad before | hole A | between | hole B | after pad`.
   * Hole B is edited from harmless text to text that completes a construct with what stands beside it
   * (the template's text or hole A's). The re-lex, given only a window, must lex that construct again,
   * and the check of what it lexed again must refuse it as the whole check does.
   */
  const cases: [Exclude<Dialect, 'preview'>, string, string, string, string, string, boolean][] = [
    // dialect, before, hole A, between, new hole B, after, whether a window inside the text is enough
    // (not when the old text had a construct open to its end, that the edit closes: the lexing
    // differs from the old one up to the end)
    ['marketo', '<p>', 'a', '{', '{lead.Email Address}}', '</p>', true],
    ['marketo', '<p>', '{{lead.', '', 'Email Address}}', '</p>', false],
    ['marketo', '<p>', 'a', ' ', '$', '{x} </p>', true],
    ['marketo', '<p>', 'a', ' ', '#se', 't($x = 1) </p>', true],
    ['eloqua', '<p>', 'a', '~', '~eloqua..~~', '</p>', true],
    ['eloqua', '<p>', 'a', ' ', '~', '~eloqua..~~ </p>', false],
    ['eloqua', '<p>', 'a', ' ', '<span class="eloqua', 'email">x</span>', true],
    ['sfmc', '<p>', 'a', '%', '%[SET @x = 1]%%', '</p>', true],
    ['sfmc', '<p>', 'a', ' ', '%%', '=v(@x)=%% </p>', false],
    ['sfmc', '<p>', '%%', '', '[SET @x = 1]%%', '</p>', false],
    ['sfmc', '<p>', 'a', ' ', '<scr', 'ipt runat=server>x</script>', true],
    ['hubspot', '<p>', 'a', '{', '{ contact.email }}', '</p>', true],
    ['hubspot', '<p>', 'a', ' ', '{% raw %}', '{{ x }}{% endraw %}</p>', true],
    ['hubspot', '<p>', '{', '', '% if x %}', '</p>', true],
    ['hubspot', '<p>', 'a', ' ', '{', '# comment #} </p>', true],
    ['braze', '<p>', 'a', '{', '{ ${email_address} }}', '</p>', true],
    ['braze', '<p>', 'a', ' ', '{% raw %}{', '{ x }}{% endraw %}</p>', true],
    ['braze', '<p>', '{', '', '% assign x = 1 %}', '</p>', true],
  ];
  const pad = 'Text <b>bold</b> '.repeat(30);

  it.each(cases)(
    '%s: %j + %j + %j + edit %j + %j is refused by the incremental re-lex',
    (dialect, pre, holeA, mid, edited, post, windowed) => {
      const layout = (holeB: string) => {
        const head = `${pad}${pre}`;
        const text = `${head}${holeA}${mid}${holeB}${post}${pad}`;
        const a = head.length;
        const b = a + holeA.length + mid.length;
        const pieces: Piece<string>[] = [
          { offset: a, length: holeA.length, data: [0, holeA.length], code: [], hole: 'A' },
          { offset: b, length: holeB.length, data: [0, holeB.length], code: [], hole: 'B' },
        ];
        return { text, at: b, pieces };
      };
      const before = layout('x');
      const after = layout(edited);
      // Hole A on its own (with hole B harmless) may already hold an open construct: then B is the one that closes it.
      const old = lexTracked(dialect, before.text);
      const whole = foreignConstructs(dialect, after.text, after.pieces);
      expect(whole.length).toBeGreaterThan(0);
      const b = before.at + 1;
      const b2 = after.at + edited.length;
      const [from, to] = relexSpan(old, after.at, b, b2, after.text.length);
      // As the renderer does: the window when it is enough, else the whole text (when the old text
      // has a construct open to its end, no window inside the text is).
      const got = relexWindow(dialect, after.text.slice(from, to), from, after.text.length, old, after.at, b, b2);
      expect(from > 0 && to < after.text.length && got !== undefined).toBe(windowed);
      const result = got ?? relex(dialect, after.text, old, after.at, b, b2);
      // Constructs not lexed again were verified before (the old text passed or failed on them already).
      const found = foreignAmong(result.fresh, after.text, after.pieces);
      expect(found.map((f) => [f.construct.kind, f.construct.start, f.hole])).toEqual(
        whole
          .filter(
            (f) =>
              !foreignConstructs(dialect, before.text, before.pieces).some(
                (o) =>
                  o.construct.start === f.construct.start &&
                  o.construct.kind === f.construct.kind &&
                  o.construct.end === f.construct.end,
              ),
          )
          .map((f) => [f.construct.kind, f.construct.start, f.hole]),
      );
      expect(found.length).toBeGreaterThan(0);
    },
  );
});
