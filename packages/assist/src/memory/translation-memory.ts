import { HubspokeError, LocaleSchema, parse } from '@hubspoke/core';
import { z } from 'zod';
import { ExactTable, hashString } from './exact-table.js';
import { dice, exactKey, GramTable, ownKeyHash } from './ngram.js';
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

/** Validated entries as parallel lists (no object per entry). */
export interface EntryColumns {
  sourceLocales: string[];
  targetLocales: string[];
  sources: string[];
  targets: string[];
  origins: (string | undefined)[];
}

const ENTRY_LIST = z.array(TmEntrySchema);

/**
 * Validates entries as `z.array(TmEntrySchema)` would, without running zod on each: a cheap
 * structural check per entry (locales checked once per distinct value), and the schema only
 * for an entry that fails it, so a bad entry is still named (`entries[i].source`) by zod's rules.
 * Nothing is accepted that the schema refuses; every value is read once.
 */
export function validateEntries(entries: unknown): EntryColumns {
  if (!Array.isArray(entries)) {
    const list = check(ENTRY_LIST, entries, 'entries');
    const columns = emptyColumns(list.length);
    for (const [i, e] of list.entries()) setEntry(columns, i, e);
    return columns;
  }
  const list = entries as readonly unknown[];
  // Each index is set once (or the list refused): filling lists of known length is several times
  // cheaper than growing them, at a million entries.
  const columns = emptyColumns(list.length);
  const locales = new Locales();
  for (let i = 0; i < list.length; i++) {
    let e: unknown;
    let accepted = false;
    try {
      e = list[i];
      accepted = quickEntry(e, columns, i, locales);
    } catch {
      // A getter or proxy trap that throws: the schema below reports it as E_VALIDATION.
    }
    // The schema decides (and names the path) for anything the quick check did not accept.
    if (!accepted) setEntry(columns, i, parse(TmEntrySchema, e, `entries[${i}]`));
  }
  return columns;
}

/** Locales the schema accepted, remembered (up to 1,000 distinct ones) to check each once. */
class Locales {
  readonly #known = new Set<string>();
  /** The last two accepted: a list's entries mostly share one pair. */
  #a: string | undefined;
  #b: string | undefined;

  has(value: unknown): value is string {
    if (typeof value !== 'string') return false;
    if (value === this.#a || value === this.#b) return true;
    if (!this.#known.has(value)) {
      if (this.#known.size > 1000 || !LocaleSchema.safeParse(value).success) return false;
      this.#known.add(value);
    }
    this.#b = this.#a;
    this.#a = value;
    return true;
  }
}

/** Stores the entry's values and returns true when it is a plain entry the schema certainly accepts. */
function quickEntry(e: unknown, columns: EntryColumns, i: number, locales: Locales): boolean {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  // Only the schema's keys (the strict object refuses any other).
  for (const key in e)
    if (key !== 'sourceLocale' && key !== 'targetLocale' && key !== 'source' && key !== 'target' && key !== 'origin')
      return false;
  const entry = e as Record<string, unknown>;
  const sourceLocale = entry.sourceLocale;
  const targetLocale = entry.targetLocale;
  const source = entry.source;
  const target = entry.target;
  const origin = entry.origin;
  if (
    !locales.has(sourceLocale) ||
    !locales.has(targetLocale) ||
    typeof source !== 'string' ||
    source.length < 1 ||
    source.length > 100_000 ||
    typeof target !== 'string' ||
    target.length > 100_000 ||
    (origin !== undefined && (typeof origin !== 'string' || origin.length > 256))
  )
    return false;
  columns.sourceLocales[i] = sourceLocale;
  columns.targetLocales[i] = targetLocale;
  columns.sources[i] = source;
  columns.targets[i] = target;
  columns.origins[i] = origin;
  return true;
}

function emptyColumns(length: number): EntryColumns {
  return {
    sourceLocales: new Array<string>(length),
    targetLocales: new Array<string>(length),
    sources: new Array<string>(length),
    targets: new Array<string>(length),
    origins: new Array<string | undefined>(length),
  };
}

function setEntry(columns: EntryColumns, i: number, e: z.output<typeof TmEntrySchema>): void {
  columns.sourceLocales[i] = e.sourceLocale;
  columns.targetLocales[i] = e.targetLocale;
  columns.sources[i] = e.source;
  columns.targets[i] = e.target;
  columns.origins[i] = e.origin;
}

/** A growable list of 32-bit integers. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.#grow(this.length + 1);
    this.data[this.length++] = value;
  }
  #grow(needed: number): void {
    const grown = new Int32Array(Math.max(needed, this.data.length * 2, 16));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

/**
 * The entries' gram ids in one flat list: 16-bit while every id fits, 32-bit from the first
 * append that may hold a larger one. Half the bytes matter at scale: filling fresh memory
 * (page faults) was a large share of loading a million entries.
 */
class GramList {
  data: Uint16Array<ArrayBuffer> | Int32Array<ArrayBuffer> = new Uint16Array(1024);
  length = 0;
  /** Makes room for `more` values without growing again. */
  reserve(more: number): void {
    if (this.length + more > this.data.length) this.#resize(this.length + more, this.data instanceof Int32Array);
  }
  /** Appends `values[0 .. count)`; `wide` when an id may be 65,536 or more. */
  append(values: Int32Array, count: number, wide: boolean): void {
    if (wide && this.data instanceof Uint16Array) this.#resize(this.length + count, true);
    else if (this.length + count > this.data.length) this.#resize(this.length + count, this.data instanceof Int32Array);
    const data = this.data;
    let at = this.length;
    for (let k = 0; k < count; k++) data[at++] = values[k] ?? 0;
    this.length = at;
  }
  #resize(needed: number, wide: boolean): void {
    const capacity = Math.max(needed, this.data.length * 2, 16);
    const grown = wide ? new Int32Array(capacity) : new Uint16Array(capacity);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}

/** Gram ids below this fit a {@link GramList} of 16-bit values. */
const NARROW_IDS = 0x1_0000;

const NO_POSTINGS = new Int32Array(0);

/**
 * Entries per sealed segment of postings. A segment is built with one counting sort whose writes
 * stay within a few megabytes: one sort over a million entries scatters over hundreds of megabytes
 * and was 15 times slower (cache and TLB misses), while lookups pay only a few reads per segment.
 */
const SEGMENT_ENTRIES = 16_384;

/**
 * The postings of entries `first .. first + SEGMENT_ENTRIES`: entries with gram id g are
 * `first + post[k]` for k in `start[g] .. start[g + 1]`, ascending. Offsets within the segment
 * fit 16 bits ({@link SEGMENT_ENTRIES} ≤ 65,536), half the memory of entry numbers.
 */
interface Segment {
  readonly first: number;
  readonly start: Int32Array;
  readonly post: Uint16Array;
}

/**
 * One locale pair's entries (as parallel lists) with an exact-key table and a trigram inverted
 * index: each entry's distinct gram ids in one flat list, and per gram the ascending list of
 * entries that have it, kept in sealed segments of {@link SEGMENT_ENTRIES} entries and a tail.
 * The trigram index is brought up to date by {@link prepareFuzzy}, on the first fuzzy lookup
 * after entries were added: loading entries pays only for the exact table.
 */
class PairIndex {
  /** Entries `0 .. size` as parallel lists, with room past `size` (holes) to add more without growing. */
  sources: (string | undefined)[] = [];
  targets: (string | undefined)[] = [];
  origins: (string | undefined)[] = [];
  /** Each entry's exact key (mostly its source string itself). */
  keys: (string | undefined)[] = [];
  size = 0;
  /** Exact key → entry. */
  readonly exact: ExactTable;
  /** Entry i's gram ids are `grams[gramStart[i] .. gramStart[i + 1])`. */
  readonly grams = new GramList();
  readonly gramStart = new IntList(256);
  /** Sealed postings of entries `0 .. segments.length × SEGMENT_ENTRIES`, in entry order. */
  readonly segments: Segment[] = [];
  /** Postings of the entries after the sealed ones: the first `tailCount[id]` of `tail[id]`, ascending. */
  tail: Int32Array[] = [];
  tailCount = new Int32Array(0);
  /** Per gram id, how many entries have it (every posting list's whole length). */
  totals = new Int32Array(0);
  indexed = 0;
  /** Per-entry hit counts for one fuzzy lookup, left all zero after it. */
  #hits = new Int32Array(0);
  /** Per-gram mark of the query's grams (`#stamp` for the current lookup). */
  #mark = new Int32Array(0);
  #stamp = 0;

  constructor(seed: number) {
    this.exact = new ExactTable((index) => this.keys[index], seed);
    this.gramStart.push(0);
  }

  /** Makes room for `entries` more entries, allocated once. */
  reserve(entries: number): void {
    const needed = this.size + entries;
    if (needed > this.sources.length) {
      const capacity = Math.max(needed, Math.ceil(this.sources.length * 1.5));
      this.sources = grownList(this.sources, this.size, capacity);
      this.targets = grownList(this.targets, this.size, capacity);
      this.origins = grownList(this.origins, this.size, capacity);
      this.keys = grownList(this.keys, this.size, capacity);
    }
    this.exact.reserve(entries);
  }

  /** Stores an entry (or replaces the one with the same key, whose `hash` is the table's); {@link prepareFuzzy} then indexes its grams. */
  add(key: string, hash: number, source: string, target: string, origin: string | undefined): void {
    const index = this.size;
    if (index === this.sources.length) this.reserve(1);
    const existing = this.exact.add(key, hash, index);
    if (existing >= 0) {
      // Same key, so the same grams.
      this.sources[existing] = source;
      this.targets[existing] = target;
      this.origins[existing] = origin;
      return;
    }
    this.keys[index] = key;
    this.sources[index] = source;
    this.targets[index] = target;
    this.origins[index] = origin;
    this.size = index + 1;
  }

  /**
   * Lists the gram ids of the entries added since the last call (with ids from `table`) and posts
   * them in the index, so that {@link fuzzy} sees every entry.
   */
  prepareFuzzy(table: GramTable): void {
    const size = this.size;
    let done = this.gramStart.length - 1;
    if (done === size) return;
    // A text has at most one gram per character (and one when it is shorter than a trigram).
    let chars = 0;
    for (let i = done; i < size; i++) chars += (this.keys[i] ?? '').length + 1;
    this.grams.reserve(chars);
    for (; done < size; done++) {
      const count = table.ids(this.keys[done] ?? '', true);
      this.grams.append(table.buffer, count, table.size > NARROW_IDS);
      this.gramStart.push(this.grams.length);
      // Each full segment is sealed while its grams are still in the cache.
      if ((done + 1) % SEGMENT_ENTRIES === 0) this.index(table.size);
    }
    this.index(table.size);
  }

  /**
   * Posts the grams of entries added since the last call: every full segment of entries is sealed
   * with a counting sort, and the rest goes to the tail's growable lists (sealed once it is full).
   * Each entry is sorted once and moved at most once from the tail, so the work stays linear
   * in the entries however they are added.
   */
  index(gramCount: number): void {
    // The entries whose grams are listed.
    const size = this.gramStart.length - 1;
    if (this.indexed === size) return;
    if (this.totals.length < gramCount) this.totals = grownTo(this.totals, gramCount);
    let sealed = this.segments.length * SEGMENT_ENTRIES;
    if (size - sealed >= SEGMENT_ENTRIES) {
      // The tail's entries are all in the first new segment.
      this.tail = [];
      this.tailCount = new Int32Array(0);
      for (; size - sealed >= SEGMENT_ENTRIES; sealed += SEGMENT_ENTRIES)
        this.segments.push(this.#seal(sealed, sealed + SEGMENT_ENTRIES, gramCount, this.indexed));
      this.indexed = sealed;
    }
    this.#toTail(this.indexed, size, gramCount);
    this.indexed = size;
  }

  /** Sorts the grams of entries `from .. to` into a segment; those from `counted` on are added to the totals. */
  #seal(from: number, to: number, gramCount: number, counted: number): Segment {
    const starts = this.gramStart.data;
    const grams = this.grams.data;
    const first = starts[from] ?? 0;
    const last = starts[to] ?? 0;
    const start = new Int32Array(gramCount + 1);
    for (let j = first; j < last; j++) {
      const slot = (grams[j] ?? 0) + 1;
      start[slot] = (start[slot] ?? 0) + 1;
    }
    const totals = this.totals;
    if (counted <= from) for (let g = 0; g < gramCount; g++) totals[g] = (totals[g] ?? 0) + (start[g + 1] ?? 0);
    else
      for (let j = starts[counted] ?? 0; j < last; j++) {
        const id = grams[j] ?? 0;
        totals[id] = (totals[id] ?? 0) + 1;
      }
    for (let g = 0; g < gramCount; g++) start[g + 1] = (start[g + 1] ?? 0) + (start[g] ?? 0);
    const next = start.slice(0, gramCount);
    const post = new Uint16Array(last - first);
    for (let index = from; index < to; index++) {
      const end = starts[index + 1] ?? 0;
      const offset = index - from;
      for (let j = starts[index] ?? 0; j < end; j++) {
        const id = grams[j] ?? 0;
        const at = next[id] ?? 0;
        post[at] = offset;
        next[id] = at + 1;
      }
    }
    return { first: from, start, post };
  }

  /** Appends the grams of entries `from .. to` to the tail's lists (and counts them in the totals). */
  #toTail(from: number, to: number, gramCount: number): void {
    if (from >= to) return;
    const starts = this.gramStart.data;
    const grams = this.grams.data;
    if (this.tailCount.length < gramCount) this.tailCount = grownTo(this.tailCount, gramCount);
    const counts = this.tailCount;
    const totals = this.totals;
    for (let index = from; index < to; index++) {
      const end = starts[index + 1] ?? 0;
      for (let j = starts[index] ?? 0; j < end; j++) {
        const id = grams[j] ?? 0;
        const n = counts[id] ?? 0;
        let list = this.tail[id];
        if (list === undefined) this.tail[id] = list = new Int32Array(4);
        else if (n === list.length) {
          const grown = new Int32Array(n * 2);
          grown.set(list);
          this.tail[id] = list = grown;
        }
        list[n] = index;
        counts[id] = n + 1;
        totals[id] = (totals[id] ?? 0) + 1;
      }
    }
  }

  /**
   * Entries whose trigram Dice with the query is at least `minScore`, without a scan.
   * Prefix filtering: a match shares at least `m = ⌈t·|Q|/(2−t)⌉` grams with the query, so
   * it is in one of any `|Q| − m + 1` of the query's posting lists; the shortest ones give
   * the candidates, which are then scored exactly (stopping early once out of reach).
   * `query` holds the ids of the query's grams the memory knows; `querySize` counts all of them.
   */
  fuzzy(query: Int32Array, querySize: number, minScore: number): { index: number; score: number }[] {
    const t = minScore;
    const minShared = Math.max(1, Math.ceil((t * querySize) / (2 - t) - 1e-9));
    // Grams no entry has are the rarest of all: they count as probed lists that are empty.
    const prefix = querySize - minShared + 1 - (querySize - query.length);
    if (prefix <= 0) return [];
    const { totals, segments, tail, tailCount } = this;
    let mark = this.#mark;
    let largest = 0;
    for (const id of query) largest = Math.max(largest, id);
    if (largest >= mark.length) {
      mark = this.#mark = new Int32Array(Math.max(1024, (largest + 1) * 2));
      this.#stamp = 0;
    }
    if (++this.#stamp === 0x7fffffff) {
      mark.fill(0);
      this.#stamp = 1;
    }
    const stamp = this.#stamp;
    for (const id of query) mark[id] = stamp;
    const lengthOf = (id: number) => (id < totals.length ? (totals[id] ?? 0) : 0);
    // Shortest first; equal lengths in id order.
    const lists = Array.from(query).sort((a, b) => lengthOf(a) - lengthOf(b) || a - b);
    // Lists of a handful of entries are nearly free to count, and each raises the bar candidates must clear.
    let counted = prefix;
    while (counted < lists.length && lengthOf(lists[counted] ?? 0) <= 16) counted++;
    // Then longer lists, as long as they add at most half the postings already to count: each only
    // adds to entries already found, and raises the bar by one, so fewer are scored gram by gram.
    let probed = 0;
    for (let i = 0; i < counted; i++) probed += lengthOf(lists[i] ?? 0);
    for (let budget = probed / 2; counted < lists.length && lengthOf(lists[counted] ?? 0) <= budget; counted++) {
      budget -= lengthOf(lists[counted] ?? 0);
      probed += lengthOf(lists[counted] ?? 0);
    }

    if (this.#hits.length < this.size) this.#hits = new Int32Array(Math.max(1024, this.size * 2));
    const hits = this.#hits;
    // With many candidates (postings to count for a good share of the entries), the hit counts are
    // read back in entry order, a sequential pass, instead of listing each candidate as found.
    const touched: number[] | undefined = probed * 8 < this.size ? [] : undefined;
    for (let i = 0; i < counted; i++) {
      const id = lists[i] ?? 0;
      const opens = i < prefix;
      for (const { first, start, post } of segments)
        if (id + 1 < start.length)
          countSegmentHits(post, first, start[id] ?? 0, start[id + 1] ?? 0, hits, touched, opens);
      if (id < tailCount.length) countHits(tail[id] ?? NO_POSTINGS, 0, tailCount[id] ?? 0, hits, touched, opens);
    }

    const uncounted = lists.length - counted;
    const minSize = (t * querySize) / (2 - t) - 1e-9;
    const maxSize = (querySize * (2 - t)) / t + 1e-9;
    // The fewest shared grams any entry of a possible size needs: below it, the sizes need not be read.
    const neededAtLeast = Math.ceil((t * (querySize + Math.max(0, Math.ceil(minSize)))) / 2 - 1e-9);
    const found: { index: number; score: number }[] = [];
    const starts = this.gramStart.data;
    const grams = this.grams.data;
    const verify = (index: number, shared: number) => {
      const start = starts[index] ?? 0;
      const size = (starts[index + 1] ?? 0) - start;
      if (size < minSize || size > maxSize) return;
      const needed = Math.ceil((t * (querySize + size)) / 2 - 1e-9);
      if (shared + uncounted < needed) return;
      const exactShared = uncounted === 0 ? shared : overlap(mark, stamp, grams, start, size, needed);
      const score = dice(exactShared, querySize, size);
      if (score >= t - 1e-12) found.push({ index, score });
    };
    if (touched !== undefined)
      for (const index of touched) {
        const shared = hits[index] ?? 0;
        hits[index] = 0;
        if (shared + uncounted >= neededAtLeast) verify(index, shared);
      }
    else
      for (let index = 0; index < this.size; index++) {
        const shared = hits[index] ?? 0;
        if (shared === 0) continue;
        hits[index] = 0;
        if (shared + uncounted >= neededAtLeast) verify(index, shared);
      }
    return found;
  }
}

/** How many of an entry's grams the query has (marked); stops early (returning less) once `needed` is out of reach. */
/** Counts a hit for each entry in `post[from .. to)`; only lists that `open` bring new candidates. */
function countHits(
  post: Int32Array,
  from: number,
  to: number,
  hits: Int32Array,
  touched: number[] | undefined,
  open: boolean,
): void {
  for (let k = from; k < to; k++) {
    const index = post[k] ?? 0;
    const n = hits[index] ?? 0;
    if (n === 0) {
      if (!open) continue;
      touched?.push(index);
    }
    hits[index] = n + 1;
  }
}

/** {@link countHits} for a segment's postings: entry `first + post[k]` for each k in `from .. to`. */
function countSegmentHits(
  post: Uint16Array,
  first: number,
  from: number,
  to: number,
  hits: Int32Array,
  touched: number[] | undefined,
  open: boolean,
): void {
  for (let k = from; k < to; k++) {
    const index = first + (post[k] ?? 0);
    const n = hits[index] ?? 0;
    if (n === 0) {
      if (!open) continue;
      touched?.push(index);
    }
    hits[index] = n + 1;
  }
}

/** The first `length` values of `list` in a list of `capacity` slots. */
function grownList<T>(list: T[], length: number, capacity: number): T[] {
  const grown = new Array<T>(capacity);
  for (let i = 0; i < length; i++) grown[i] = list[i] as T;
  return grown;
}

/** A copy of `list` with room for `length` values. */
function grownTo(list: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(Math.max(length, list.length * 2, 1024));
  grown.set(list);
  return grown;
}

function overlap(
  mark: Int32Array,
  stamp: number,
  pool: Uint16Array | Int32Array,
  start: number,
  size: number,
  needed: number,
): number {
  let shared = 0;
  const end = start + size;
  for (let j = start; j < end; j++) {
    const id = pool[j] ?? 0;
    if (id < mark.length && mark[id] === stamp) shared++;
    else if (shared + (end - j - 1) < needed) return shared;
  }
  return shared;
}

/**
 * A translation memory held in memory: exact lookups through a hash map, fuzzy lookups
 * through a trigram inverted index with prefix filtering (no linear scan).
 */
export class InMemoryTranslationMemory implements TranslationMemory {
  readonly #pairs = new Map<string, PairIndex>();
  readonly #grams = new GramTable();
  /** The exact tables' hash seed, random per memory. */
  readonly #seed = (Math.random() * 0x1_0000_0000) | 0;

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
    const valid = validateEntries(entries);
    const { sourceLocales, targetLocales, sources, targets, origins } = valid;
    const seed = this.#seed;
    // First each entry's pair, and room for the batch.
    const pairOf = new Array<PairIndex>(sources.length);
    const room = new Map<PairIndex, number>();
    let lastSource: string | undefined;
    let lastTarget: string | undefined;
    let pair: PairIndex | undefined;
    let run = 0;
    for (let i = 0; i < sources.length; i++) {
      const sourceLocale = sourceLocales[i] ?? '';
      const targetLocale = targetLocales[i] ?? '';
      if (pair === undefined || sourceLocale !== lastSource || targetLocale !== lastTarget) {
        if (pair !== undefined) room.set(pair, (room.get(pair) ?? 0) + run);
        run = 0;
        const key = pairKey(sourceLocale, targetLocale);
        pair = this.#pairs.get(key);
        if (pair === undefined) this.#pairs.set(key, (pair = new PairIndex(seed)));
        lastSource = sourceLocale;
        lastTarget = targetLocale;
      }
      pairOf[i] = pair;
      run++;
    }
    if (pair !== undefined) room.set(pair, (room.get(pair) ?? 0) + run);
    for (const [p, more] of room) p.reserve(more);
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i] ?? '';
      let key = source;
      let hash: number;
      // Most texts are their own exact key, checked and hashed in one pass.
      if (ownKeyHash(source, seed)) hash = ownKeyHash.hash;
      else {
        key = exactKey(source);
        hash = hashString(key, seed);
      }
      pairOf[i]?.add(key, hash, source, targets[i] ?? '', origins[i]);
    }
    return sources.length;
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
    const key = exactKey(q.source);
    const exact = pair.exact.get(key, hashString(key, this.#seed));
    if (exact >= 0) matches.push(toMatch(pair, 'exact', 1, exact));
    if (matches.length >= limit) return matches;

    const table = this.#grams;
    pair.prepareFuzzy(table);
    const known = table.ids(key, false);
    const querySize = known + table.unknown;
    const fuzzy = pair
      .fuzzy(table.buffer.slice(0, known), querySize, o.minScore ?? 0.75)
      .filter((m) => m.index !== exact)
      .sort((a, b) => b.score - a.score || b.index - a.index)
      .slice(0, limit - matches.length);
    for (const m of fuzzy) matches.push(toMatch(pair, 'fuzzy', m.score, m.index));
    return matches;
  }

  count(): Promise<number> {
    let n = 0;
    for (const pair of this.#pairs.values()) n += pair.size;
    return Promise.resolve(n);
  }
}

function toMatch(pair: PairIndex, kind: TmMatch['kind'], score: number, index: number): TmMatch {
  const source = pair.sources[index];
  const target = pair.targets[index];
  if (source === undefined || target === undefined)
    throw new HubspokeError('E_INTERNAL', 'The translation memory index is out of step with its entries');
  const origin = pair.origins[index];
  return origin === undefined ? { kind, score, source, target } : { kind, score, source, target, origin };
}

/** A new in-memory translation memory, optionally seeded with entries. */
export function createTranslationMemory(entries: readonly TmEntry[] = []): InMemoryTranslationMemory {
  return new InMemoryTranslationMemory(entries);
}
