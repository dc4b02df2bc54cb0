/**
 * A seeded 32-bit hash of a string's UTF-16 code units (FNV-1a over code units, then the
 * murmur3 finalizer). The seed is random per table, so which keys collide cannot be
 * chosen in advance (as with V8's own seeded string hash).
 */
export function hashString(text: string, seed: number): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return finishHash(h, text.length);
}

/** The last step of {@link hashString}: mixes the length and avalanches the bits. */
export function finishHash(state: number, length: number): number {
  let h = state ^ length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Slots are pairs (hash, value + 1); 0 in the second marks a free slot. */
const EMPTY = 0;

/**
 * A map from strings to non-negative integers (an entry's index) by open addressing with
 * linear probing, for many keys added in bulk: one typed array of (hash, value) pairs, at most
 * half full, and the keys themselves read back through `keyOf(value)` (the caller already keeps
 * them), so a key is compared as a string only when its full 32-bit hash matches.
 * No deletion: a translation memory only adds or replaces.
 */
export class ExactTable {
  readonly seed: number;
  #slots: Int32Array<ArrayBuffer>;
  #mask: number;
  #size = 0;
  readonly #keyOf: (value: number) => string | undefined;

  constructor(keyOf: (value: number) => string | undefined, seed = (Math.random() * 0x1_0000_0000) | 0) {
    this.#keyOf = keyOf;
    this.seed = seed;
    this.#slots = new Int32Array(2 * 16);
    this.#mask = 15;
  }

  get size(): number {
    return this.#size;
  }

  /** The hash {@link get} and {@link add} expect for `key`. */
  hash(key: string): number {
    return hashString(key, this.seed);
  }

  /** Makes room for `more` keys without growing again. */
  reserve(more: number): void {
    const needed = this.#size + more;
    if (needed * 2 > this.#mask + 1) this.#resize(needed);
  }

  /** The value of `key` (whose {@link hash} is `hash`), or -1. */
  get(key: string, hash: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[2 * slot + 1] ?? EMPTY;
      if (stored === EMPTY) return -1;
      if (slots[2 * slot] === hash && this.#keyOf(stored - 1) === key) return stored - 1;
    }
  }

  /**
   * The value already stored for `key`, or -1 after storing `value` for it.
   * `keyOf(value)` must give `key` from then on.
   */
  add(key: string, hash: number, value: number): number {
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#resize(this.#size + 1);
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const stored = slots[2 * slot + 1] ?? EMPTY;
      if (stored === EMPTY) break;
      if (slots[2 * slot] === hash && this.#keyOf(stored - 1) === key) return stored - 1;
    }
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = value + 1;
    this.#size++;
    return -1;
  }

  /** Rehashes into a table at most half full with `needed` keys. */
  #resize(needed: number): void {
    let capacity = this.#mask + 1;
    while (needed * 2 > capacity) capacity *= 2;
    const old = this.#slots;
    const slots = new Int32Array(2 * capacity);
    const mask = capacity - 1;
    for (let k = 1; k < old.length; k += 2) {
      const stored = old[k] ?? EMPTY;
      if (stored === EMPTY) continue;
      const hash = old[k - 1] ?? 0;
      let slot = hash & mask;
      while (slots[2 * slot + 1] !== EMPTY) slot = (slot + 1) & mask;
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = stored;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}
