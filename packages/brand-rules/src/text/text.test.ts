import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchCase, toSentenceCase, toTitleCase } from './case.js';
import { countSyllables, readingGrade } from './readability.js';

describe('matchCase', () => {
  it('follows the original casing', () => {
    expect(matchCase('login', 'sign in')).toBe('sign in');
    expect(matchCase('Login', 'sign in')).toBe('Sign in');
    expect(matchCase('LOGIN', 'sign in')).toBe('SIGN IN');
    expect(matchCase('Log In', 'sign in')).toBe('Sign In');
    expect(matchCase('iphone', 'iPhone')).toBe('iPhone');
    expect(matchCase('123', 'x')).toBe('x');
    expect(matchCase('über', 'ueber')).toBe('ueber');
    expect(matchCase('Über', 'ueber')).toBe('Ueber');
  });
  it('is idempotent on its own output (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }), (original, replacement) => {
        const once = matchCase(original, replacement);
        expect(matchCase(original, once)).toBe(once);
      }),
    );
  });
});

describe('title and sentence case', () => {
  it('converts with minor words and acronyms', () => {
    expect(toTitleCase('the best of the CRM world', new Set())).toBe('The Best of the CRM World');
    expect(toSentenceCase('Fresh Flowers From BERLIN', new Set())).toBe('Fresh flowers from BERLIN');
  });
});

describe('readability', () => {
  it('counts syllables reasonably', () => {
    expect(countSyllables('cat', 'en')).toBe(1);
    expect(countSyllables('flower', 'en')).toBe(2);
    expect(countSyllables('communication', 'en')).toBeGreaterThanOrEqual(4);
    expect(countSyllables('Sachtextformel', 'de')).toBe(4);
  });
  it('grades easy text low and hard text high', () => {
    const easy = readingGrade('The cat sat on the mat. It was a good cat.', 'en', ['flesch-kincaid']);
    const hard = readingGrade(
      'Organizational transformation necessitates comprehensive communication methodologies.',
      'en',
      ['flesch-kincaid'],
    );
    expect(easy?.grade).toBeLessThan(3);
    expect(hard?.grade).toBeGreaterThan(15);
    expect(readingGrade('', 'en', ['smog'])).toBeUndefined();
    for (const metric of [
      'gunning-fog',
      'coleman-liau',
      'smog',
      'automated-readability',
      'wiener-sachtextformel',
    ] as const) {
      expect(readingGrade('The cat sat on the mat.', 'en', [metric])?.grade).toEqual(expect.any(Number));
    }
  });
  it('never fails on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const r = readingGrade(text, 'en', ['flesch-kincaid', 'smog']);
        if (r !== undefined) expect(Number.isFinite(r.grade)).toBe(true);
      }),
    );
  });
});
