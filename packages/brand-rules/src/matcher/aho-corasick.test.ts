import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermAutomaton, type Pattern } from './aho-corasick.js';
import { foldCase, isWordCharAt } from './fold.js';

const p = (term: string, caseSensitive = false, nonword = false): Pattern => ({ term, caseSensitive, nonword });

describe('TermAutomaton', () => {
  it('finds overlapping terms in one pass, case-insensitively, on word edges', () => {
    const a = new TermAutomaton([p('log'), p('log in'), p('in')]);
    expect(a.scan('Please Log In, login').map((h) => [h.pattern, h.start, h.end])).toEqual([
      [0, 7, 10],
      [1, 7, 13],
      [2, 11, 13],
    ]);
  });
  it('verifies case-sensitive terms against the original text', () => {
    const a = new TermAutomaton([p('AI', true)]);
    expect(a.scan('AI and ai and Ai').map((h) => h.start)).toEqual([0]);
  });
  it('treats typographic quotes, NBSP and hyphens as their plain forms', () => {
    const a = new TermAutomaton([p("don't"), p('sign in'), p('e-mail')]);
    expect(a.scan('Don’t sign\u00a0in by e\u2011mail').map((h) => h.pattern)).toEqual([0, 1, 2]);
  });
  it('matches non-word terms anywhere, and nonword terms inside words', () => {
    expect(new TermAutomaton([p('$$$')]).scan('win$$$now')).toHaveLength(1);
    expect(new TermAutomaton([p('tm', false, true)]).scan('Acmetm')).toHaveLength(1);
    expect(new TermAutomaton([p('tm')]).scan('Acmetm')).toHaveLength(0);
  });
  it('keeps offsets for characters whose lower case is longer, and for astral letters', () => {
    expect(foldCase('İstanbul').length).toBe('İstanbul'.length);
    expect(new TermAutomaton([p('cheap')]).scan('İİ cheap').map((h) => h.start)).toEqual([3]);
    expect(isWordCharAt('a𝒜', 2)).toBe(true);
    expect(new TermAutomaton([p('cheap')]).scan('𝒜cheap')).toHaveLength(0);
  });
  it('agrees with a naive search on random texts and terms (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', ' ', '-', 'é');
    const word = fc
      .array(alphabet, { minLength: 1, maxLength: 4 })
      .map((c) => c.join(''))
      .filter((w) => w.trim() === w && w !== '');
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 6 }),
        fc.array(alphabet, { maxLength: 40 }).map((c) => c.join('')),
        (terms, text) => {
          const automaton = new TermAutomaton(terms.map((t) => p(t)));
          const got = automaton
            .scan(text)
            .map((h) => `${h.pattern}@${h.start}`)
            .sort();
          const expected: string[] = [];
          const folded = foldCase(text);
          terms.forEach((term, id) => {
            const t = foldCase(term);
            for (let i = folded.indexOf(t); i !== -1; i = folded.indexOf(t, i + 1)) {
              const startOk = !isWordCharAt(term, 0) || !isWordCharAt(text, i - 1);
              const endOk = !isWordCharAt(term, term.length - 1) || !isWordCharAt(text, i + t.length);
              if (startOk && endOk) expected.push(`${id}@${i}`);
            }
          });
          expect(got).toEqual(expected.sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
