import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256.js';

const oracle = (input: string | Uint8Array) => createHash('sha256').update(input).digest('hex');

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto at every padding boundary (55, 56, 63, 64, 65 bytes …)', () => {
    for (let n = 0; n <= 200; n++) {
      const text = 'a'.repeat(n);
      expect(sha256Hex(text), `length ${n}`).toBe(oracle(text));
    }
  });

  it('hashes strings as UTF-8 (astral characters, lone surrogates as U+FFFD)', () => {
    for (const text of ['Grüße 👋🏽', '日本語のテキスト', '\u0000\u007f\u0080', '\ud800 lone']) {
      expect(sha256Hex(text)).toBe(oracle(Buffer.from(text, 'utf8')));
    }
  });

  it('agrees with node:crypto on arbitrary strings and bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(oracle(Buffer.from(text, 'utf8')));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(sha256Hex(bytes)).toBe(oracle(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('hashes a megabyte the same as node:crypto', () => {
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    expect(sha256Hex(big)).toBe(oracle(big));
  });
});
