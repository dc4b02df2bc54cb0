import { HubspokeError, LocaleSchema } from '@hubspoke/core';
import { z } from 'zod';
import { dice, exactKey, fuzzyGrams } from './ngram.js';
import { check } from '../validate.js';

/** An approved translation of one segment. Texts use the unit form (`<x id="…"/>` placeholders). */
export interface TmEntry {
  sourceLocale: string;
  targetLocale: string;
  source: string;
  target: string;
  /** Where it came from, e.g. a draft id or a reviewer. */
  origin?: string;
}

export interface TmQuery {
  sourceLocale: string;
  targetLocale: string;
  source: string;
}

export interface TmLookupOptions {
  /** Lowest fuzzy score returned, 0.3–1. Default 0.75. */
  minScore?: number;
  /** At most this many matches. Default 3. */
  limit?: number;
}

export interface TmMatch {
  kind: 'exact' | 'fuzzy';
  /** 1 for exact; for fuzzy the Dice coefficient of character trigrams. */
  score: number;
  source: string;
  target: string;
  origin?: string;
}

/** Exact and fuzzy reuse of approved translations, in memory or in SQL. */
export interface TranslationMemory {
  /** Adds or replaces (same locale pair and source) entries; returns how many were stored. */
  add(entries: readonly TmEntry[]): Promise<number>;
  /** The exact match first (if any), then fuzzy matches by score. */
  lookup(query: TmQuery, options?: TmLookupOptions): Promise<TmMatch[]>;
  count(): Promise<number>;
}

export const TmEntrySchema = z
  .object({
    sourceLocale: LocaleSchema,
    targetLocale: LocaleSchema,
    source: z.string().min(1).max(100_000),
    target: z.string().max(100_000),
    origin: z.string().max(256).optional(),
  })
  .strict();
export const TmQuerySchema = z
  .object({ sourceLocale: LocaleSchema, targetLocale: LocaleSchema, source: z.string().max(100_000) })
  .strict();
export const TmLookupOptionsSchema = z
  .object({ minScore: z.number().min(0.3).max(1).optional(), limit: z.number().int().min(1).max(100).optional() })
  .strict();

export const pairKey = (sourceLocale: string, targetLocale: string): string => `${sourceLocale}>${targetLocale}`;

/** One locale pair's entries with an exact-key map and a trigram inverted index. */
class PairIndex {
  readonly keys: string[] = [];
  readonly entries: TmEntry[] = [];
  readonly grams: Uint32Array[] = [];
  readonly exact = new Map<string, number>();
  readonly postings = new Map<number, number[]>();
  /** Per-entry hit counts for one fuzzy lookup, left all zero after it. */
  #hits = new Int32Array(0);

  add(entry: TmEntry, gramIds: Uint32Array): void {
    const key = exactKey(entry.source);
    const existing = this.exact.get(key);
    if (existing !== undefined) {
      this.entries[existing] = entry;
      return;
    }
    const index = this.entries.length;
    this.keys.push(key);
    this.entries.push(entry);
    this.grams.push(gramIds);
    this.exact.set(key, index);
    for (const id of gramIds) {
      const list = this.postings.get(id);
      if (list === undefined) this.postings.set(id, [index]);
      else list.push(index);
    }
  }

  /**
   * Entries whose trigram Dice with the query is at least `minScore`, without a scan.
   * Prefix filtering: a match shares at least `m = ⌈t·|Q|/(2−t)⌉` grams with the query, so
   * it is in one of any `|Q| − m + 1` of the query's posting lists; the shortest ones give
   * the candidates, which are then scored exactly (stopping early once out of reach).
   */
  fuzzy(query: Uint32Array, querySize: number, minScore: number): { index: number; score: number }[] {
    const t = minScore;
    const minShared = Math.max(1, Math.ceil((t * querySize) / (2 - t) - 1e-9));
    // Grams no entry has are the rarest of all: they count as probed lists that are empty.
    const prefix = querySize - minShared + 1 - (querySize - query.length);
    if (prefix <= 0) return [];
    const lists = Array.from(query, (id) => this.postings.get(id) ?? []).sort((a, b) => a.length - b.length);
    // Lists of a handful of entries are nearly free to count, and each raises the bar candidates must clear.
    let counted = prefix;
    while (counted < lists.length && (lists[counted]?.length ?? Infinity) <= 16) counted++;

    if (this.#hits.length < this.entries.length) this.#hits = new Int32Array(Math.max(1024, this.entries.length * 2));
    const hits = this.#hits;
    const touched: number[] = [];
    for (let i = 0; i < counted; i++) {
      const list = lists[i] ?? [];
      const opens = i < prefix;
      for (const index of list) {
        const n = hits[index] ?? 0;
        // Only the prefix lists bring new candidates; later lists add to their counts.
        if (n === 0) {
          if (!opens) continue;
          touched.push(index);
        }
        hits[index] = n + 1;
      }
    }

    const uncounted = lists.length - counted;
    const minSize = (t * querySize) / (2 - t) - 1e-9;
    const maxSize = (querySize * (2 - t)) / t + 1e-9;
    const found: { index: number; score: number }[] = [];
    for (const index of touched) {
      const counts = hits[index] ?? 0;
      hits[index] = 0;
      const grams = this.grams[index];
      if (grams === undefined || grams.length < minSize || grams.length > maxSize) continue;
      const needed = Math.ceil((t * (querySize + grams.length)) / 2 - 1e-9);
      if (counts + uncounted < needed) continue;
      const shared = uncounted === 0 ? counts : overlap(query, grams, needed);
      const score = dice(shared, querySize, grams.length);
      if (score >= t - 1e-12) found.push({ index, score });
    }
    return found;
  }
}

/** Size of the intersection of two ascending id arrays; stops early (returning less) once `needed` is out of reach. */
function overlap(a: Uint32Array, b: Uint32Array, needed: number): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (shared + Math.min(a.length - i, b.length - j) < needed) return shared;
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/**
 * A translation memory held in memory: exact lookups through a hash map, fuzzy lookups
 * through a trigram inverted index with prefix filtering (no linear scan).
 */
export class InMemoryTranslationMemory implements TranslationMemory {
  readonly #pairs = new Map<string, PairIndex>();
  readonly #gramIds = new Map<string, number>();

  constructor(entries: readonly TmEntry[] = []) {
    this.addSync(entries);
  }

  add(entries: readonly TmEntry[]): Promise<number> {
    // The executor turns a validation throw into a rejection.
    return new Promise((resolve) => {
      resolve(this.addSync(entries));
    });
  }

  /** {@link add} without the promise. */
  addSync(entries: readonly TmEntry[]): number {
    const valid = check(z.array(TmEntrySchema), entries, 'entries');
    for (const entry of valid) {
      const key = pairKey(entry.sourceLocale, entry.targetLocale);
      let pair = this.#pairs.get(key);
      if (pair === undefined) this.#pairs.set(key, (pair = new PairIndex()));
      const ids = fuzzyGrams(entry.source).map((g) => {
        let id = this.#gramIds.get(g);
        if (id === undefined) this.#gramIds.set(g, (id = this.#gramIds.size));
        return id;
      });
      const { origin, ...rest } = entry;
      pair.add(origin === undefined ? rest : { ...rest, origin }, Uint32Array.from(ids).sort());
    }
    return valid.length;
  }

  lookup(query: TmQuery, options: TmLookupOptions = {}): Promise<TmMatch[]> {
    return new Promise((resolve) => {
      resolve(this.lookupSync(query, options));
    });
  }

  /** {@link lookup} without the promise. */
  lookupSync(query: TmQuery, options: TmLookupOptions = {}): TmMatch[] {
    const q = check(TmQuerySchema, query, 'query');
    const o = check(TmLookupOptionsSchema, options, 'options');
    const pair = this.#pairs.get(pairKey(q.sourceLocale, q.targetLocale));
    if (pair === undefined) return [];
    const limit = o.limit ?? 3;
    const matches: TmMatch[] = [];
    const exact = pair.exact.get(exactKey(q.source));
    if (exact !== undefined) matches.push(toMatch('exact', 1, pair.entries[exact]));
    if (matches.length >= limit) return matches;

    const grams = fuzzyGrams(q.source);
    const known = grams.flatMap((g) => {
      const id = this.#gramIds.get(g);
      return id === undefined ? [] : [id];
    });
    const fuzzy = pair
      .fuzzy(Uint32Array.from(known).sort(), grams.length, o.minScore ?? 0.75)
      .filter((m) => m.index !== exact)
      .sort((a, b) => b.score - a.score || b.index - a.index)
      .slice(0, limit - matches.length);
    for (const m of fuzzy) matches.push(toMatch('fuzzy', m.score, pair.entries[m.index]));
    return matches;
  }

  count(): Promise<number> {
    let n = 0;
    for (const pair of this.#pairs.values()) n += pair.entries.length;
    return Promise.resolve(n);
  }
}

function toMatch(kind: TmMatch['kind'], score: number, entry: TmEntry | undefined): TmMatch {
  if (entry === undefined)
    throw new HubspokeError('E_INTERNAL', 'The translation memory index is out of step with its entries');
  return {
    kind,
    score,
    source: entry.source,
    target: entry.target,
    ...(entry.origin === undefined ? {} : { origin: entry.origin }),
  };
}

/** A new in-memory translation memory, optionally seeded with entries. */
export function createTranslationMemory(entries: readonly TmEntry[] = []): InMemoryTranslationMemory {
  return new InMemoryTranslationMemory(entries);
}
