const PLACEHOLDER = /<x\s+id\s*=\s*["'][^"'<>]*["']\s*(?:\/>|>\s*<\/x\s*>)/g;

/** Only code points below U+0300 (no combining marks) and general punctuation from U+2002. */
const NFC_STABLE = /^[^\u0300-\u2001\u2070-\uffff]*$/;
/** Whitespace other than a plain space, or two in a row. */
const UNCOLLAPSED = /[^\S ]|\s\s/;

/** The form exact matches compare: NFC, whitespace collapsed and trimmed, case kept. */
export function exactKey(text: string): string {
  // Shortcuts that give the same string: text of characters NFC leaves alone (checked
  // exhaustively for these ranges and every pair of them) is already normalized, and
  // text whose whitespace is single plain spaces has nothing to collapse.
  const normal = NFC_STABLE.test(text) ? text : text.normalize('NFC');
  return (UNCOLLAPSED.test(normal) ? normal.replace(/\s+/g, ' ') : normal).trim();
}

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
  /** ASCII trigrams: `#ascii[a << 7 | b][c]` is the id + 1 (0: none yet). */
  readonly #ascii: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(1 << 14);
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
    let block = this.#ascii[first];
    const known = block === undefined ? 0 : (block[c] ?? 0);
    if (known !== 0) return known - 1;
    if (!add) return EMPTY;
    if (block === undefined) this.#ascii[first] = block = new Int32Array(128);
    const id = this.#next++;
    block[c] = id + 1;
    return id;
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
