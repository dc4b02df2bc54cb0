import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactTable, hashString } from './exact-table.js';
import { GramTable, exactKey, fuzzyGrams, isOwnExactKey, ownKeyHash } from './ngram.js';

/** A table over a list of keys (the value is the key's index), as a translation memory keeps it. */
function tableOver(seed?: number) {
  const keys: string[] = [];
  const table = new ExactTable((value) => keys[value], seed);
  return { keys, table };
}

describe('ExactTable', () => {
  // Operations: add a key (its value the next index), or look one up, each with the table's
  // own hash or a poor one (the length, or a constant) that makes every probe collide.
  const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b', 'ab', 'ba', '', '\u00e9', 'e\u0301'));
  const op = fc.record({ kind: fc.constantFrom('add', 'add', 'get'), key });
  const hashes: Record<string, (table: ExactTable, key: string) => number> = {
    seeded: (table, k) => table.hash(k),
    length: (_, k) => k.length,
    constant: () => -7,
  };

  for (const [name, hashOf] of Object.entries(hashes))
    it(`maps keys to values as a Map does (property, ${name} hash)`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 300 }), fc.integer(), fc.nat(40), (ops, seed, reserve) => {
          const { keys, table } = tableOver(seed);
          table.reserve(reserve);
          const model = new Map<string, number>();
          for (const { kind, key: k } of ops) {
            const hash = hashOf(table, k);
            if (kind === 'get') {
              expect(table.get(k, hash)).toBe(model.get(k) ?? -1);
              continue;
            }
            const value = keys.length;
            keys.push(k);
            const existing = table.add(k, hash, value);
            expect(existing).toBe(model.get(k) ?? -1);
            if (existing >= 0) keys.pop();
            else model.set(k, value);
          }
          expect(table.size).toBe(model.size);
          for (const [k, v] of model) expect(table.get(k, hashOf(table, k))).toBe(v);
        }),
        { numRuns: name === 'seeded' ? 300 : 100 },
      );
    });

  it('grows past many doublings with distinct keys, and finds each', () => {
    const { keys, table } = tableOver(1);
    for (let i = 0; i < 50_000; i++) {
      keys.push(`k${i}`);
      expect(table.add(`k${i}`, table.hash(`k${i}`), i)).toBe(-1);
    }
    for (let i = 0; i < 50_000; i += 997) expect(table.get(`k${i}`, table.hash(`k${i}`))).toBe(i);
    expect(table.get('k50000', table.hash('k50000'))).toBe(-1);
  });

  it('hashes with the seed: the same key gets other hashes under other seeds', () => {
    const seen = new Set([1, 2, 3, 4, 5].map((seed) => hashString('Save 30% today', seed)));
    expect(seen.size).toBe(5);
    expect(new ExactTable(() => undefined).seed).not.toBe(new ExactTable(() => undefined).seed);
  });
});

describe('exact key shortcut', () => {
  /** exactKey's definition, without shortcuts. */
  const reference = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

  it('says a text is its own key only when it is, for every UTF-16 code unit in every position', () => {
    for (let c = 0; c < 0x10000; c++) {
      const u = String.fromCharCode(c);
      for (const text of [u, `a${u}`, `${u}b`, `a${u}b`, `a${u}${u}b`, `a ${u}`, `${u} b`, `\u00e9${u}`]) {
        if (isOwnExactKey(text)) expect(reference(text), `U+${c.toString(16)} in ${JSON.stringify(text)}`).toBe(text);
      }
    }
    expect(isOwnExactKey('Save 30% on tulips — don’t miss out.')).toBe(true);
  });

  it('agrees with the definition and hashes as hashString does (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc
        .array(fc.constantFrom('Save', ' ', '  ', '\t', '\u00a0', '—', 'e\u0301', '\u2028', 'x', '\u3000', 'é'), {
          maxLength: 8,
        })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.integer(), (t, seed) => {
        expect(exactKey(t)).toBe(reference(t));
        if (ownKeyHash(t, seed)) {
          expect(reference(t)).toBe(t);
          expect(ownKeyHash.hash).toBe(hashString(t, seed));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('GramTable one-pass ids', () => {
  it('leaves general punctuation (U+2000–U+206F) alone when lower-casing, as the one pass assumes', () => {
    for (let c = 0x2000; c <= 0x206f; c++) expect(String.fromCharCode(c).toLowerCase()).toBe(String.fromCharCode(c));
  });

  it('gives a text the ids of exactly the grams fuzzyGrams lists (property)', () => {
    const part = fc.constantFrom(
      'Save',
      'SALE',
      ' ',
      '<x id="1"/>',
      "<x id = 'c2'></x >",
      '<X id="1"/>',
      '<x',
      '<',
      'x',
      '—',
      '’',
      '\u2028',
      'é',
      'İ',
      'Σ',
      '🌷',
      '\ue000',
      '30%',
    );
    const text = fc.oneof(
      fc.array(part, { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), (texts) => {
        const table = new GramTable();
        const added = texts.map((t) => {
          const n = table.ids(exactKey(t), true);
          return [...table.buffer.subarray(0, n)].sort((a, b) => a - b);
        });
        // Looked up again the general way (no adding): every gram is known, with the same ids.
        for (const [k, t] of texts.entries()) {
          const n = table.ids(exactKey(t), false);
          expect(table.unknown).toBe(0);
          expect([...table.buffer.subarray(0, n)].sort((a, b) => a - b)).toEqual(added[k]);
          expect(n).toBe(fuzzyGrams(t).length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
