import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from './utf8.js';

describe('utf8Length', () => {
  it('counts like Buffer.byteLength on every kind of character', () => {
    for (const text of ['', 'abc', 'Grüße', '日本語', '👋🏽 hi', '\ud800', 'a\udc00b', '\ud83d']) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });

  it('agrees with Buffer.byteLength on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
      { numRuns: 200 },
    );
  });
});
