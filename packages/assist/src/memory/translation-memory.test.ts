import { PGlite } from '@electric-sql/pglite';
import { isHubspokeError, safeParse, type SqlClient } from '@hubspoke/core';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dice, exactKey, fuzzyGrams } from './ngram.js';
import { CHUNK_ENTRIES, createSqlTranslationMemory } from './sql-translation-memory.js';
import {
  createTranslationMemory,
  TmEntrySchema,
  validateEntries,
  type TmEntry,
  type TranslationMemory,
} from './translation-memory.js';

const en = (source: string, target: string, extra: Partial<TmEntry> = {}): TmEntry => ({
  sourceLocale: 'en',
  targetLocale: 'de',
  source,
  target,
  ...extra,
});

const seed = [
  en('Our spring sale starts today', 'Unser Frühjahrsverkauf beginnt heute', { origin: 'draft:spring' }),
  en('Our summer sale starts today', 'Unser Sommerschlussverkauf beginnt heute'),
  en('Hello <x id="1"/>, welcome back', 'Hallo <x id="1"/>, willkommen zurück'),
  en('Unsubscribe', 'Abmelden'),
  {
    sourceLocale: 'en',
    targetLocale: 'fr',
    source: 'Our spring sale starts today',
    target: 'Nos soldes de printemps commencent aujourd’hui',
  },
];

/** The behaviour every translation memory shares, run against each store. */
function contract(name: string, open: () => Promise<TranslationMemory>) {
  describe(name, () => {
    it('finds exact matches, ignoring whitespace differences, per locale pair', async () => {
      const tm = await open();
      expect(await tm.add(seed)).toBe(5);
      const [match] = await tm.lookup({
        sourceLocale: 'en',
        targetLocale: 'de',
        source: '  Our spring   sale starts today ',
      });
      expect(match).toEqual({
        kind: 'exact',
        score: 1,
        source: seed[0]!.source,
        target: seed[0]!.target,
        origin: 'draft:spring',
      });
      const [fr] = await tm.lookup({ sourceLocale: 'en', targetLocale: 'fr', source: 'Our spring sale starts today' });
      expect(fr?.target).toContain('printemps');
      expect(
        await tm.lookup({ sourceLocale: 'en', targetLocale: 'es', source: 'Our spring sale starts today' }),
      ).toEqual([]);
    });

    it('offers fuzzy matches above the threshold, best first, after the exact one', async () => {
      const tm = await open();
      await tm.add(seed);
      const matches = await tm.lookup(
        { sourceLocale: 'en', targetLocale: 'de', source: 'Our autumn sale starts today' },
        { minScore: 0.6 },
      );
      expect(matches.map((m) => m.kind)).toEqual(['fuzzy', 'fuzzy']);
      expect(matches[0]!.score).toBeGreaterThanOrEqual(matches[1]!.score);
      expect(matches[0]!.score).toBeLessThan(1);
      const both = await tm.lookup(
        { sourceLocale: 'en', targetLocale: 'de', source: 'Our spring sale starts today' },
        { minScore: 0.6 },
      );
      expect(both.map((m) => m.kind)).toEqual(['exact', 'fuzzy']);
      expect(
        await tm.lookup({ sourceLocale: 'en', targetLocale: 'de', source: 'Completely different words here' }),
      ).toEqual([]);
      expect(
        await tm.lookup(
          { sourceLocale: 'en', targetLocale: 'de', source: 'Our autumn sale starts today' },
          { minScore: 0.6, limit: 1 },
        ),
      ).toHaveLength(1);
    });

    it('treats placeholders as one character when matching', async () => {
      const tm = await open();
      await tm.add(seed);
      const [match] = await tm.lookup({
        sourceLocale: 'en',
        targetLocale: 'de',
        source: 'Hello <x id="1"/>, welcome back!',
      });
      expect(match?.kind).toBe('fuzzy');
      expect(match?.target).toBe('Hallo <x id="1"/>, willkommen zurück');
    });

    it('replaces the target when the same source is added again', async () => {
      const tm = await open();
      await tm.add([en('Unsubscribe', 'Abmelden'), en('Unsubscribe', 'Vom Newsletter abmelden')]);
      expect(await tm.count()).toBe(1);
      expect((await tm.lookup({ sourceLocale: 'en', targetLocale: 'de', source: 'Unsubscribe' }))[0]?.target).toBe(
        'Vom Newsletter abmelden',
      );
    });

    it('stores a list longer than one SQL chunk as entry-by-entry adds would (later duplicates win)', async () => {
      const tm = await open();
      const many = Array.from({ length: CHUNK_ENTRIES * 2 + 30 }, (_, i) =>
        en(
          `Offer number ${i % (CHUNK_ENTRIES + 7)} for our garden`,
          `Angebot ${i}`,
          i % 3 === 0 ? { origin: `o${i}` } : {},
        ),
      );
      expect(await tm.add(many)).toBe(many.length);
      expect(await tm.count()).toBe(CHUNK_ENTRIES + 7);
      for (const n of [0, 5, CHUNK_ENTRIES + 6]) {
        const last = many
          .map((e, i) => ({ e, i }))
          .filter(({ e }) => e.source === `Offer number ${n} for our garden`)
          .at(-1)!;
        const [match] = await tm.lookup({ sourceLocale: 'en', targetLocale: 'de', source: last.e.source });
        expect(match).toEqual({
          kind: 'exact',
          score: 1,
          source: last.e.source,
          target: `Angebot ${last.i}`,
          ...(last.e.origin === undefined ? {} : { origin: last.e.origin }),
        });
      }
      const fuzzy = await tm.lookup(
        { sourceLocale: 'en', targetLocale: 'de', source: 'Offer number 7 for our gardens' },
        { minScore: 0.8 },
      );
      expect(fuzzy[0]).toMatchObject({ kind: 'fuzzy', source: 'Offer number 7 for our garden' });
    });

    it('rejects bad entries and queries with E_VALIDATION naming the path', async () => {
      const tm = await open();
      await expect(tm.add([en('', 'x')])).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'entries[0].source' });
      await expect(tm.add([{ ...en('a', 'b'), sourceLocale: 'english' }])).rejects.toMatchObject({
        code: 'E_VALIDATION',
        path: 'entries[0].sourceLocale',
      });
      await expect(
        tm.lookup({ sourceLocale: 'en', targetLocale: 'de', source: 'x' }, { minScore: 0.1 }),
      ).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'options.minScore' });
    });
  });
}

contract('in-memory translation memory', () => Promise.resolve(createTranslationMemory()));

let prefixCount = 0;
const pglite = new PGlite();
afterAll(() => pglite.close());
contract('SQL translation memory on PGlite', () =>
  createSqlTranslationMemory({ client: pglite, tablePrefix: `assist_t${++prefixCount}_` }),
);

const url = process.env.HUBSPOKE_TEST_PG_URL;
describe.skipIf(url === undefined)('SQL translation memory on PostgreSQL (needs HUBSPOKE_TEST_PG_URL)', () => {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const run = `assist_${process.pid}_${Date.now().toString(36)}_`;
  afterAll(async () => {
    const tables = await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE tablename LIKE $1`, [
      `${run}%`,
    ]);
    for (const { tablename } of tables.rows.filter((t) => t.tablename.endsWith('gram')))
      await pool.query(`DROP TABLE ${tablename}`);
    for (const { tablename } of tables.rows.filter((t) => t.tablename.endsWith('entry')))
      await pool.query(`DROP TABLE ${tablename}`);
    await pool.end();
  });
  contract('pg', () => createSqlTranslationMemory({ client: pool, tablePrefix: `${run}${++prefixCount}_` }));

  it('two concurrent multi-chunk adds of the same entries in opposite orders both succeed (no deadlock)', async () => {
    // Each add is one transaction; written in the order given, the reversed add's first chunk held
    // rows the forward add's second chunk needed and the other way round, and PostgreSQL aborted one.
    const both = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const tm = await createSqlTranslationMemory({ client: both, tablePrefix: `${run}${++prefixCount}_` });
      const entries = Array.from({ length: CHUNK_ENTRIES * 2 + 30 }, (_, i) =>
        en(`Row ${i} of the price list`, `Zeile ${i}`),
      );
      for (let round = 0; round < 3; round++) {
        const results = await Promise.allSettled([tm.add(entries), tm.add([...entries].reverse())]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      }
      expect(await tm.count()).toBe(entries.length);
    } finally {
      await both.end();
    }
  });
});

describe('SQL translation memory', () => {
  it('refuses a table prefix that is not a plain identifier', async () => {
    const error = await createSqlTranslationMemory({ client: pglite, tablePrefix: 'x; DROP TABLE users; --' }).catch(
      (e: unknown) => e,
    );
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
  });

  it('writes entries in chunks of multi-row statements, and a failing chunk rolls the whole add back', async () => {
    let statements = 0;
    let failOn = -1;
    const counting = (client: SqlClient): SqlClient => ({
      query: (text, params) => {
        if (/INSERT INTO \w*tm_entry/.test(text) && ++statements === failOn)
          return Promise.reject(new Error('disk full'));
        return client.query(text, params);
      },
    });
    const client = {
      ...counting(pglite),
      transaction: (callback: (tx: SqlClient) => Promise<unknown>) =>
        pglite.transaction(async (tx) => callback(counting(tx))),
    };
    const tm = await createSqlTranslationMemory({ client, tablePrefix: 'assist_chunks_' });
    const entries = Array.from({ length: CHUNK_ENTRIES * 2 + 1 }, (_, i) =>
      en(`Line ${i} of the catalogue`, `Zeile ${i}`),
    );
    expect(await tm.add(entries)).toBe(entries.length);
    expect(statements).toBe(3);
    expect(await tm.count()).toBe(entries.length);
    const more = entries.map((e, i) => ({ ...e, source: `Another line ${i}` }));
    statements = 0;
    failOn = 2;
    const error = await tm.add(more).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
    expect(await tm.count()).toBe(entries.length);
    expect(await tm.lookup({ sourceLocale: 'en', targetLocale: 'de', source: 'Another line 0' })).toEqual([]);
  });

  it('reports database failures as E_UPSTREAM', async () => {
    const broken: SqlClient = { query: () => Promise.reject(new Error('connection refused')) };
    const error = await createSqlTranslationMemory({ client: broken }).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
  });

  it('migrates through core: reopening keeps the entries, and a newer schema is refused', async () => {
    const tablePrefix = 'assist_migrate_';
    const first = await createSqlTranslationMemory({ client: pglite, tablePrefix });
    await first.add([
      { sourceLocale: 'en-US', targetLocale: 'de-DE', source: 'Opening soon', target: 'Bald geöffnet' },
    ]);
    const again = await createSqlTranslationMemory({ client: pglite, tablePrefix });
    expect(await again.count()).toBe(1);
    const history = await pglite.query<{ version: number }>(`SELECT version FROM ${tablePrefix}tm_migrations`);
    expect(history.rows.map((r) => r.version)).toEqual([1]);
    await pglite.query(
      `INSERT INTO ${tablePrefix}tm_migrations (version, name, applied_at) VALUES (99, 'from the future', 'now')`,
    );
    const error = await createSqlTranslationMemory({ client: pglite, tablePrefix }).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_UNSUPPORTED')).toBe(true);
  });
});

describe('fuzzy index', () => {
  it('matches text with emoji and other astral characters by code point', async () => {
    const tm = createTranslationMemory([en('Spring 🌷 sale starts today', 'Frühlings-🌷-Sale ab heute')]);
    const [match] = await tm.lookup(
      { sourceLocale: 'en', targetLocale: 'de', source: 'Spring 🌷 sale starts now' },
      { minScore: 0.6 },
    );
    expect(match).toMatchObject({ kind: 'fuzzy', target: 'Frühlings-🌷-Sale ab heute' });
    expect(fuzzyGrams('a🌷b')).toEqual([' a🌷', 'a🌷b', '🌷b ']);
  });

  it('returns exactly what a linear scan over every entry returns (property)', () => {
    const word = fc.constantFrom(
      'sale',
      'spring',
      'summer',
      'our',
      'today',
      'starts',
      'new',
      'shop',
      'tulips',
      'garden',
      'tools',
      'now',
      'the',
      'a',
    );
    const sentence = fc.array(word, { minLength: 1, maxLength: 7 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.uniqueArray(sentence, { maxLength: 40 }),
        sentence,
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        (sources, query, minScore) => {
          const tm = createTranslationMemory(sources.map((s) => en(s, s.toUpperCase())));
          const got = tm.lookupSync(
            { sourceLocale: 'en', targetLocale: 'de', source: query },
            { minScore, limit: 100 },
          );
          const q = new Set(fuzzyGrams(query));
          const expected = sources
            .map((s) => {
              const g = fuzzyGrams(s);
              return { s, score: dice(g.filter((x) => q.has(x)).length, q.size, g.length) };
            })
            .filter((m) => m.s === query || m.score >= minScore - 1e-12);
          expect(new Set(got.map((m) => m.source))).toEqual(new Set(expected.map((m) => m.s)));
        },
      ),
    );
  });
});

describe('fuzzy index against a reference', () => {
  /** The straightforward memory: a list of entries, every one scored with fuzzyGrams and dice. */
  function referenceMemory(batches: readonly TmEntry[][]) {
    const stored: TmEntry[] = [];
    const at = new Map<string, number>();
    for (const batch of batches)
      for (const e of batch) {
        if (e.sourceLocale !== 'en' || e.targetLocale !== 'de') continue;
        const key = exactKey(e.source);
        const i = at.get(key);
        if (i === undefined) {
          at.set(key, stored.length);
          stored.push(e);
        } else stored[i] = e;
      }
    const grams = stored.map((e) => fuzzyGrams(e.source));
    return (query: string, minScore: number, limit: number) => lookup(stored, grams, at, query, minScore, limit);
  }

  function lookup(
    stored: TmEntry[],
    grams: string[][],
    at: Map<string, number>,
    query: string,
    minScore: number,
    limit: number,
  ) {
    const q = new Set(fuzzyGrams(query));
    const exactIndex = at.get(exactKey(query));
    const fuzzy = stored
      .map((e, index) => {
        const g = grams[index]!;
        return { e, index, score: dice(g.filter((x) => q.has(x)).length, q.size, g.length) };
      })
      .filter((m) => m.index !== exactIndex && m.score >= minScore - 1e-12)
      .sort((a, b) => b.score - a.score || b.index - a.index);
    const all = [
      ...(exactIndex === undefined ? [] : [{ kind: 'exact', score: 1, e: stored[exactIndex]! }]),
      ...fuzzy.map((m) => ({ kind: 'fuzzy', score: m.score, e: m.e })),
    ].slice(0, limit);
    return all.map((m) => ({
      kind: m.kind,
      score: m.score,
      source: m.e.source,
      target: m.e.target,
      ...(m.e.origin === undefined ? {} : { origin: m.e.origin }),
    }));
  }

  it('returns the same matches, scores and order as scoring every entry (property)', () => {
    const word = fc.constantFrom(
      'Sale',
      'sale',
      'spring',
      'our',
      'today',
      'starts',
      'shop',
      'tulips',
      '<x id="1"/>',
      '<x id="2"/>',
      'Café',
      'Cafe\u0301',
      '🌷',
      'a',
      '%',
      '—',
      'DON’T',
      '<x id="3"></x>',
      '<X id="1"/>',
      '<x',
      'İ',
    );
    const space = fc.constantFrom(' ', '  ', '\t', ' \u00a0');
    const text = fc
      .array(fc.tuple(word, space), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.map(([w, s]) => w + s).join(''));
    const entry = fc.record(
      {
        sourceLocale: fc.constantFrom('en', 'en', 'en', 'fr'),
        targetLocale: fc.constantFrom('de', 'de', 'de', 'es'),
        source: text,
        target: fc.string({ maxLength: 8 }),
        origin: fc.string({ maxLength: 4 }),
      },
      { requiredKeys: ['sourceLocale', 'targetLocale', 'source', 'target'] },
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(entry, { maxLength: 25 }), { minLength: 1, maxLength: 3 }),
        fc.oneof(text, fc.constantFrom('', ' ', '🌷')),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        (batches, query, minScore, limit) => {
          const tm = createTranslationMemory();
          // A lookup after each batch: the fuzzy index, built on the first fuzzy lookup, takes in later adds.
          for (const [k, batch] of batches.entries()) {
            tm.addSync(batch);
            const got = tm.lookupSync({ sourceLocale: 'en', targetLocale: 'de', source: query }, { minScore, limit });
            expect(got).toEqual(referenceMemory(batches.slice(0, k + 1))(query, minScore, limit));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('matches as scoring every entry does when the postings span sealed segments and a tail', () => {
    // Batches of sizes around the segment size (16,384 entries): small adds into the tail, a
    // batch that seals the tail with new entries, one that seals several segments at once, and
    // duplicates that replace entries in sealed segments.
    const words = ['spring', 'sale', 'starts', 'today', 'tulips', 'shop', 'our', 'new', 'café', 'hello'];
    let state = 7;
    const next = () => ((state = (state * 1103515245 + 12345) >>> 0), state);
    const sentence = (i: number) =>
      Array.from({ length: 3 + (next() % 4) }, () => words[next() % words.length]).join(' ') + ` ${i % 997}`;
    let made = 0;
    const batch = (size: number) => Array.from({ length: size }, () => en(sentence(made++), `t${made}`));
    const batches = [batch(3), batch(16_000), batch(5), batch(20_000), batch(2), batch(300)];
    batches.push(batches[1]!.slice(100, 140).map((e) => ({ ...e, target: 'replaced' })));
    const tm = createTranslationMemory();
    const queries = Array.from({ length: 8 }, (_, k) => sentence(k * 31));
    // Fuzzy lookups between adds too: the index is then brought up to date several times.
    for (const [k, b] of batches.entries()) {
      tm.addSync(b);
      if (k % 2 === 1) {
        const query = queries[k]!;
        const got = tm.lookupSync({ sourceLocale: 'en', targetLocale: 'de', source: query }, { minScore: 0.5 });
        expect(got).toEqual(referenceMemory(batches.slice(0, k + 1))(query, 0.5, 3));
      }
    }
    const reference = referenceMemory(batches);
    for (const [k, query] of queries.entries()) {
      const minScore = [0.5, 0.75, 0.9][k % 3]!;
      const got = tm.lookupSync({ sourceLocale: 'en', targetLocale: 'de', source: query }, { minScore, limit: 100 });
      expect(got).toEqual(reference(query, minScore, 100));
    }
  });

  it('matches as scoring every entry does when gram ids outgrow 16 bits mid-way (narrow lists widened)', () => {
    // Random CJK text: nearly every trigram is new, so about 2,000 entries pass 65,536 gram ids;
    // short ASCII entries then fill the first sealed segment (16,384 entries) with both kinds.
    let state = 11;
    const next = () => {
      // mulberry32: an LCG's low bits repeat too soon for text with this many distinct trigrams.
      let z = (state = (state + 0x6d2b79f5) | 0);
      z = Math.imul(z ^ (z >>> 15), z | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      return (z ^ (z >>> 14)) >>> 0;
    };
    const text = () => Array.from({ length: 36 }, () => String.fromCharCode(0x4e00 + (next() % 3000))).join('');
    const cjk = (size: number) => Array.from({ length: size }, () => en(text(), 't'));
    const ascii = (size: number) => Array.from({ length: size }, (_, i) => en(`sale ${i} ${next() % 1000}`, 't'));
    const batches = [cjk(1000), cjk(1000), ascii(14_500), cjk(100)];
    const tm = createTranslationMemory();
    for (const b of batches) tm.addSync(b);
    const reference = referenceMemory(batches);
    const all = batches.flat();
    for (const k of [3, 999, 1000, 1999, 2000, 16_499, 16_500, 16_599]) {
      const source = all[k]!.source;
      const query = k >= 2000 && k < 16_500 ? `${source}1` : source.slice(0, 30) + text().slice(0, 4);
      for (const q of [source, query]) {
        const got = tm.lookupSync({ sourceLocale: 'en', targetLocale: 'de', source: q }, { minScore: 0.5, limit: 5 });
        expect(got.length).toBeGreaterThan(0);
        expect(got).toEqual(reference(q, 0.5, 5));
      }
    }
  });

  it('accepts exactly the entry lists the schema accepts, with the same values (fast path vs zod, hostile input)', () => {
    const long = (n: number) => 'x'.repeat(n);
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.constantFrom('', 'en', 'de-AT', long(256), long(257), long(100_000), long(100_001)),
      fc.constantFrom(undefined, null, 0, 1, true, [], {}, Symbol('s'), 10n, Object('en')),
    );
    // Valid and nearly valid tags (the empty string too: the check remembers accepted locales).
    const locale = fc.constantFrom('en', 'de', 'fr', 'de-AT', 'zh-Hant-TW', 'es-419', '', 'EN', 'e', 'en-us', 'en ');
    // A valid entry with one or two fields changed (or removed, or one key added): near misses
    // the schema refuses for one reason only, and valid variants.
    const key = fc.constantFrom('sourceLocale', 'targetLocale', 'source', 'target', 'origin', 'extra', 'Source');
    const change = fc.oneof(
      fc.tuple(fc.constantFrom('sourceLocale', 'targetLocale'), locale),
      fc.tuple(fc.constant('source'), fc.constantFrom('', long(1), long(100_000), long(100_001))),
      fc.tuple(fc.constant('target'), fc.constantFrom('', long(100_000), long(100_001))),
      fc.tuple(fc.constant('origin'), fc.constantFrom('', long(256), long(257), undefined, null)),
      fc.tuple(key, value),
      fc.tuple(key, fc.constant('delete')),
    );
    const fields = fc
      .tuple(fc.constantFrom('en', 'de-AT'), fc.array(change, { minLength: 1, maxLength: 2 }))
      .map(([targetLocale, changes]) => {
        const f: Record<string, unknown> = { ...en('Spring sale', 'Frühlingsverkauf'), targetLocale, origin: 'o' };
        for (const [k, v] of changes)
          if (v === 'delete') Reflect.deleteProperty(f, k);
          else f[k] = v;
        return f;
      });
    // Plain objects mostly, and the shapes a structural check could get wrong.
    const entry = fc.oneof(
      { weight: 6, arbitrary: fields },
      fields.map((f) => Object.assign(Object.create(null) as object, f)),
      fields.map((f) => Object.create(f) as object),
      fields.map((f) => Object.assign(Object.create({ source: 'inherited' }) as object, f)),
      fields.map((f) => Object.assign([], f)),
      fields.map((f) => ({ ...f, [Symbol('key')]: 1 })),
      fields.map((f) => Object.defineProperty({ ...f }, 'origin', { value: 'hidden', enumerable: false })),
      fc.constantFrom(null, undefined, 'entry', 1, new Date(0), new Map()),
    );
    // Valid entries around one hostile entry, so locales remembered from earlier entries are reused.
    const good = fc.constantFrom(en('Spring sale', 'Frühlingsverkauf'), { ...en('a', ''), targetLocale: 'de-AT' });
    fc.assert(
      fc.property(
        fc.array(good, { maxLength: 3 }),
        entry,
        fc.array(good, { maxLength: 2 }),
        (before, hostile, after) => {
          const list = [...before, hostile, ...after];
          const expected = z.array(TmEntrySchema).safeParse(list);
          let got: ReturnType<typeof validateEntries> | undefined;
          let error: unknown;
          try {
            got = validateEntries(list);
          } catch (e) {
            error = e;
          }
          if (!expected.success) {
            expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
            return;
          }
          expect(error).toBeUndefined();
          const entries = expected.data.map((e, i) => ({
            sourceLocale: got!.sourceLocales[i],
            targetLocale: got!.targetLocales[i],
            source: got!.sources[i],
            target: got!.targets[i],
            origin: got!.origins[i],
            zod: e,
          }));
          for (const { zod, ...columns } of entries) expect(columns).toEqual({ origin: undefined, ...zod });
          expect(got!.sources).toHaveLength(list.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('checks entries as the schema does, naming the same path as validating the whole list', async () => {
    const tm = createTranslationMemory();
    const good = en('Spring sale', 'Frühlingsverkauf');
    const cases: [unknown, string][] = [
      [[good, { ...good, extra: 1 }], 'entries[1].extra'],
      [[good, good, { ...good, target: 5 }], 'entries[2].target'],
      [[good, { ...good, origin: 'x'.repeat(257) }], 'entries[1].origin'],
      [[good, { ...good, targetLocale: 'DE' }], 'entries[1].targetLocale'],
      [[good, { ...good, source: '' }], 'entries[1].source'],
      [[good, null], 'entries[1]'],
      [[good, Array<TmEntry>(1)[0], good], 'entries[1]'],
      ['not a list', 'entries'],
    ];
    for (const [entries, path] of cases) {
      expect(safeParse(z.array(TmEntrySchema), entries, 'entries')).toMatchObject({ ok: false, error: { path } });
      let error: unknown;
      try {
        tm.addSync(entries as TmEntry[]);
      } catch (e) {
        error = e;
      }
      expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
      expect((error as { path?: string }).path).toBe(path);
    }
    const hostile = Object.defineProperty({ ...good }, 'source', {
      enumerable: true,
      get() {
        throw new Error('hostile getter');
      },
    });
    expect(() => tm.addSync([good, hostile])).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'entries[1]' }),
    );
    // A refused list stores nothing; `origin: undefined` and an object without a prototype are accepted.
    expect(await tm.count()).toBe(0);
    const bare: TmEntry = Object.assign(Object.create(null) as object, good);
    expect(tm.addSync([{ ...good, origin: undefined } as unknown as TmEntry, bare])).toBe(2);
    expect(await tm.count()).toBe(1);
    expect(tm.lookupSync({ sourceLocale: 'en', targetLocale: 'de', source: 'Spring sale' })).toHaveLength(1);
  });
});
