import { finishHash } from './exact-table.js';

const PLACEHOLDER = /<x\s+id\s*=\s*["'][^"'<>]*["']\s*(?:\/>|>\s*<\/x\s*>)/g;

/** Only code points below U+0300 (no combining marks) and general punctuation from U+2002. */
const NFC_STABLE = /^[^\u0300-\u2001\u2070-\uffff]*$/;
/** Whitespace other than a plain space, or two in a row. */
const UNCOLLAPSED = /[^\S ]|\s\s/;

/** The form exact matches compare: NFC, whitespace collapsed and trimmed, case kept. */
export function exactKey(text: string): string {
  if (isOwnExactKey(text)) return text;
  // Shortcuts that give the same string: text of characters NFC leaves alone (checked
  // exhaustively for these ranges and every pair of them) is already normalized, and
  // text whose whitespace is single plain spaces has nothing to collapse.
  const normal = NFC_STABLE.test(text) ? text : text.normalize('NFC');
  return (UNCOLLAPSED.test(normal) ? normal.replace(/\s+/g, ' ') : normal).trim();
}

/**
 * Whether `text` is its own {@link exactKey}, by one pass over its code units: every unit is one
 * NFC leaves alone (below U+0300, or general punctuation U+2002–U+206F, as `NFC_STABLE`), and
 * its only whitespace is single plain spaces between other characters. False says nothing.
 */
export function isOwnExactKey(text: string): boolean {
  return ownKeyHash(text, 0);
}

/**
 * {@link isOwnExactKey}, computing on the way (when true) `hashString(text, seed)` into
 * {@link ownKeyHash.hash}: one pass over the text for both.
 */
export function ownKeyHash(text: string, seed: number): boolean {
  const length = text.length;
  let h = seed ^ 0x811c9dc5;
  // As if after a space: a leading space is refused like a double one.
  let space = true;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    if (c === 32) {
      if (space) return false;
      space = true;
    } else {
      space = false;
      if (c < 0x300) {
        if ((c <= 13 && c >= 9) || c === 0xa0) return false;
      } else if (
        c < 0x2002 ||
        c > 0x206f ||
        c <= 0x200a ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f
      )
        return false;
    }
  }
  ownKeyHash.hash = finishHash(h, length);
  return !space;
}
ownKeyHash.hash = 0;

/**
 * The distinct character trigrams fuzzy matching compares: lower-cased, each placeholder
 * as one private-use character, padded with a space on each side.
 */
export function fuzzyGrams(text: string): string[] {
  const padded = gramText(exactKey(text));
  // Slicing code units is safe (and fast) unless the text has surrogate pairs.
  const chars: { length: number; slice(start: number, end: number): string | string[] } = /[\uD800-\uDFFF]/.test(padded)
    ? Array.from(padded)
    : padded;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    const gram = chars.slice(i, i + 3);
    grams.add(typeof gram === 'string' ? gram : gram.join(''));
  }
  if (grams.size === 0) grams.add(padded);
  return [...grams];
}

/** Dice coefficient of two gram counts and their overlap. */
export function dice(shared: number, a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * shared) / (a + b);
}

/** The padded, lower-cased text whose trigrams {@link fuzzyGrams} lists, from the text's {@link exactKey}. */
export function gramText(key: string): string {
  // The placeholder pattern starts with a literal "<x": most texts skip the regex.
  const folded = key.includes('<x') ? key.replace(PLACEHOLDER, '\uE000') : key;
  return ` ${folded.toLowerCase()} `;
}

/** {@link PLACEHOLDER} matched only where `lastIndex` points. */
const STICKY_PLACEHOLDER = new RegExp(PLACEHOLDER.source, 'y');
const SURROGATE = /[\uD800-\uDFFF]/;
const EMPTY = -1;

/**
 * Dense integer ids for trigrams, so an index keeps numbers instead of strings. A trigram of
 * three ASCII code units is found in a direct table (blocks of 128 by its first two units); one
 * of other UTF-16 code units is packed into one number (48 bits) and found in an open-addressing
 * table; the rare other grams (with astral characters, or a text too short for a trigram) go
 * through a string map. All give ids from one sequence, and a gram always takes the same road.
 */
export class GramTable {
  /**
   * ASCII trigrams, in blocks of 128 by their first two units: `#blockOf[a << 7 | b]` is the block's
   * number + 1 (0: none yet), and `#blocks[128 × block + c]` the id + 1 (0: none yet).
   */
  readonly #blockOf = new Int32Array(1 << 14);
  #blocks = new Int32Array(128 * 64);
  #blockCount = 0;
  #keys = new Float64Array(4096).fill(EMPTY);
  #ids = new Int32Array(4096);
  #used = 0;
  readonly #other = new Map<string, number>();
  #next = 0;
  /** Per-id mark of the last text that had it, to list each gram of a text once. */
  #seen = new Int32Array(4096);
  #stamp = 0;
  /** The last text's distinct ids (ascending after {@link ids}) and the count of its distinct grams. */
  buffer = new Int32Array(256);

  get size(): number {
    return this.#next;
  }

  /**
   * Writes the distinct ids of the trigrams {@link fuzzyGrams} lists for a text with this
   * {@link exactKey} to {@link buffer} (in no particular order) and returns how many there are.
   * With `add` false, unknown grams get no id: they are left out and counted in {@link unknown}.
   */
  ids(key: string, add: boolean): number {
    this.unknown = 0;
    if (++this.#stamp === 0x7fffffff) {
      this.#seen.fill(0);
      this.#stamp = 1;
    }
    if (add) {
      const fast = this.#addPlain(key);
      if (fast >= 0) return fast;
    }
    const lower = (key.includes('<x') ? key.replace(PLACEHOLDER, '\uE000') : key).toLowerCase();
    let n = 0;
    if (lower.length === 0 || SURROGATE.test(lower)) {
      // By code point, as fuzzyGrams does.
      const padded = ` ${lower} `;
      const chars = Array.from(padded);
      const unknown = add ? undefined : new Set<string>();
      if (chars.length < 3) n = this.#push(n, this.#stringId(padded, add), padded, unknown);
      for (let i = 0; i + 3 <= chars.length; i++) {
        const gram = `${chars[i]}${chars[i + 1]}${chars[i + 2]}`;
        const id =
          gram.length === 3
            ? this.#unitsId(gram.charCodeAt(0), gram.charCodeAt(1), gram.charCodeAt(2), add)
            : this.#stringId(gram, add);
        n = this.#push(n, id, gram, unknown);
      }
      if (unknown !== undefined) this.unknown = unknown.size;
      return n;
    }
    // The padded text is " " + lower + " ", read without building it.
    const unknown = add ? undefined : new Set<number>();
    const length = lower.length;
    let a = 32;
    let b = lower.charCodeAt(0);
    for (let i = 1; i <= length; i++) {
      const c = i < length ? lower.charCodeAt(i) : 32;
      const id = this.#unitsId(a, b, c, add);
      if (id === EMPTY) unknown?.add(a * 0x1_0000_0000 + b * 0x1_0000 + c);
      else n = this.#push(n, id, '', undefined);
      a = b;
      b = c;
    }
    if (unknown !== undefined) this.unknown = unknown.size;
    return n;
  }

  /**
   * {@link ids} with `add` for a key of ASCII and general punctuation (U+2000–U+206F, which
   * lower-casing leaves alone) only, in one pass: folding placeholders and lower-casing as it reads,
   * without building the padded text. Returns -1 (having given ids only to grams the text has,
   * in the same order) at the first other code unit, for the general way to redo it.
   */
  #addPlain(key: string): number {
    const length = key.length;
    if (length === 0) return -1;
    const needed = length + 1;
    if (this.buffer.length < needed) this.buffer = new Int32Array(Math.max(needed, this.buffer.length * 2));
    const buffer = this.buffer;
    const stamp = this.#stamp;
    const blockOf = this.#blockOf;
    let blocks = this.#blocks;
    let n = 0;
    let a = 32;
    let b = -1;
    for (let i = 0; i <= length;) {
      let c: number;
      if (i === length) {
        c = 32;
        i++;
      } else {
        c = key.charCodeAt(i);
        if (c === 60 && key.charCodeAt(i + 1) === 120) {
          // "<x": a placeholder becomes one private-use character, as gramText folds it.
          STICKY_PLACEHOLDER.lastIndex = i;
          if (STICKY_PLACEHOLDER.test(key)) {
            c = 0xe000;
            i = STICKY_PLACEHOLDER.lastIndex;
          } else i++;
        } else {
          i++;
          if (c < 128) {
            if (c >= 65 && c <= 90) c += 32;
          } else if (c < 0x2000 || c > 0x206f) {
            // Redone the general way, with a new stamp (the grams seen so far are listed again).
            if (++this.#stamp === 0x7fffffff) {
              this.#seen.fill(0);
              this.#stamp = 1;
            }
            return -1;
          }
        }
      }
      if (b < 0) {
        b = c;
        continue;
      }
      let id: number;
      if ((a | b | c) < 128) {
        const first = (a << 7) | b;
        let block = blockOf[first] ?? 0;
        if (block === 0) {
          block = blockOf[first] = this.#newBlock();
          blocks = this.#blocks;
        }
        const at = ((block - 1) << 7) | c;
        id = (blocks[at] ?? 0) - 1;
        if (id < 0) {
          id = this.#next++;
          blocks[at] = id + 1;
        }
      } else id = this.#codeId(a * 0x1_0000_0000 + b * 0x1_0000 + c, true);
      let seen = this.#seen;
      if (id >= seen.length) {
        seen = new Int32Array(Math.max(id + 1, seen.length * 2));
        seen.set(this.#seen);
        this.#seen = seen;
      }
      if (seen[id] !== stamp) {
        seen[id] = stamp;
        buffer[n++] = id;
      }
      a = b;
      b = c;
    }
    return n;
  }

  /** Distinct grams of the last {@link ids} call that had no id. */
  unknown = 0;

  #push(n: number, id: number, gram: string, unknown: Set<string> | undefined): number {
    if (id === EMPTY) {
      unknown?.add(gram);
      return n;
    }
    if (id >= this.#seen.length) {
      const grown = new Int32Array(Math.max(id + 1, this.#seen.length * 2));
      grown.set(this.#seen);
      this.#seen = grown;
    }
    if (this.#seen[id] === this.#stamp) return n;
    this.#seen[id] = this.#stamp;
    if (n === this.buffer.length) {
      const grown = new Int32Array(n * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[n] = id;
    return n + 1;
  }

  #stringId(gram: string, add: boolean): number {
    let id = this.#other.get(gram);
    if (id === undefined) {
      if (!add) return EMPTY;
      this.#other.set(gram, (id = this.#next++));
    }
    return id;
  }

  /** The id of the trigram of code units a, b, c (EMPTY when it has none and `add` is false). */
  #unitsId(a: number, b: number, c: number, add: boolean): number {
    if ((a | b | c) >= 128) return this.#codeId(a * 0x1_0000_0000 + b * 0x1_0000 + c, add);
    const first = (a << 7) | b;
    let block = this.#blockOf[first] ?? 0;
    const known = block === 0 ? 0 : (this.#blocks[((block - 1) << 7) | c] ?? 0);
    if (known !== 0) return known - 1;
    if (!add) return EMPTY;
    if (block === 0) block = this.#blockOf[first] = this.#newBlock();
    const id = this.#next++;
    this.#blocks[((block - 1) << 7) | c] = id + 1;
    return id;
  }

  /** A new (empty) block of 128 ASCII trigrams; returns its number + 1. */
  #newBlock(): number {
    if ((this.#blockCount + 1) << 7 > this.#blocks.length) {
      const grown = new Int32Array(this.#blocks.length * 2);
      grown.set(this.#blocks);
      this.#blocks = grown;
    }
    return ++this.#blockCount;
  }

  #codeId(code: number, add: boolean): number {
    const keys = this.#keys;
    const mask = keys.length - 1;
    let slot = hash(code) & mask;
    for (;;) {
      const key = keys[slot] ?? EMPTY;
      if (key === code) return this.#ids[slot] ?? EMPTY;
      if (key === EMPTY) break;
      slot = (slot + 1) & mask;
    }
    if (!add) return EMPTY;
    const id = this.#next++;
    keys[slot] = code;
    this.#ids[slot] = id;
    if (++this.#used * 2 > keys.length) this.#grow();
    return id;
  }

  #grow(): void {
    const keys = this.#keys;
    const ids = this.#ids;
    const size = keys.length * 2;
    const mask = size - 1;
    this.#keys = new Float64Array(size).fill(EMPTY);
    this.#ids = new Int32Array(size);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] ?? EMPTY;
      if (key === EMPTY) continue;
      let slot = hash(key) & mask;
      while (this.#keys[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.#keys[slot] = key;
      this.#ids[slot] = ids[i] ?? 0;
    }
  }
}

/** Mixes both halves of a 48-bit packed trigram into 32 bits. */
function hash(code: number): number {
  const low = (code % 0x1_0000_0000) | 0;
  const high = (code / 0x1_0000_0000) | 0;
  const h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}
