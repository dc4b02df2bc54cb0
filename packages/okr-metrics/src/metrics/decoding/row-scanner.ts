import { CampaignMetricsSchema, type CampaignMetrics, type Dialect } from '@hubspoke/core';

/*
 * Reads the usual NDJSON metrics line straight from its UTF-8 bytes: no decoding of the
 * chunk, no JSON.parse object, each distinct text value decoded and checked once. It accepts
 * only what it can prove core's `CampaignMetricsSchema` accepts, with the value JSON.parse
 * would give; anything else (escapes, non-ASCII text, `dimensions`, duplicate or unknown
 * keys, fractions or exponents in counts, `-0`, long numbers, a bad value) is left to the
 * JSON.parse + decoder path, which then reports it in its own words.
 */

const TEXT_FIELDS = [
  'campaignId',
  'date',
  'region',
  'locale',
  'team',
  'templateId',
  'variant',
  'platform',
  'currency',
] as const;
/** Counts, then amounts. */
const NUMBER_FIELDS = [
  'sent',
  'delivered',
  'hardBounces',
  'softBounces',
  'uniqueOpens',
  'totalOpens',
  'machineOpens',
  'uniqueClicks',
  'totalClicks',
  'unsubscribes',
  'complaints',
  'conversions',
  'revenue',
  'cost',
] as const;

/** Every field but `dimensions`, by index: text, then counts, then amounts. */
export const SCANNED_FIELDS = [...TEXT_FIELDS, ...NUMBER_FIELDS] as const;
const FIRST_COUNT = TEXT_FIELDS.length;
const FIRST_AMOUNT = SCANNED_FIELDS.indexOf('revenue');
/** The place before a line's first key, for `follows`. */
const LINE_START = SCANNED_FIELDS.length;
/** Field name → index (a field's bit in `seen` is 1 << index). */
const F = Object.fromEntries(SCANNED_FIELDS.map((name, index) => [name, index])) as Record<
  (typeof SCANNED_FIELDS)[number],
  number
>;
const REQUIRED = (1 << F.campaignId) | (1 << F.sent);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Integers of at most 15 digits are exact, and so is m / 10^k for them (one correctly rounded division), as JSON.parse is. */
const MAX_DIGITS = 15;
const POWERS_OF_TEN = Float64Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k);

const encoder = new TextEncoder();
const KEY_BYTES = SCANNED_FIELDS.map((name) => encoder.encode(name));

const keyText = (field: number): string => `"${SCANNED_FIELDS[field] ?? ''}":${field < FIRST_COUNT ? '"' : ''}`;

/**
 * Each key as it usually appears, with the byte before it: `{"campaignId":"` first on a line
 * (template `field`), `,"sent":` after a value (template `NEXT + field`). Every template is 8
 * to 16 bytes, so two float64 words compare it: its first 8 bytes and its last 8 (overlapping).
 * For these ASCII bytes a word is a finite non-zero double, so numeric equality is equality of
 * the bytes.
 */
const TEMPLATE_TEXTS = [
  ...SCANNED_FIELDS.map((_, field) => `{${keyText(field)}`),
  ...SCANNED_FIELDS.map((_, field) => `,${keyText(field)}`),
];
const NEXT = SCANNED_FIELDS.length;
const TEMPLATE_LENGTHS = Int32Array.from(TEMPLATE_TEXTS, (text) => text.length);
const [TEMPLATE_HEADS, TEMPLATE_TAILS] = [0, 1].map((tail) =>
  Float64Array.from(TEMPLATE_TEXTS, (text) => {
    const bytes = encoder.encode(text);
    return new DataView(bytes.buffer).getFloat64(tail * (bytes.length - 8), true);
  }),
) as [Float64Array, Float64Array];

/** The byte at `p`, or -1 past the end (which every check then refuses). */
function byteAt(bytes: Uint8Array, p: number): number {
  return p < bytes.length ? (bytes[p] ?? -1) : -1;
}

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= NINE;
}

/** JSON whitespace that can occur inside a line (space, tab, CR). */
function skipSpace(bytes: Uint8Array, p: number): number {
  for (let byte = byteAt(bytes, p); byte === 0x20 || byte === 0x09 || byte === 0x0d; byte = byteAt(bytes, ++p));
  return p;
}

/** Whether the bytes at `p` are template `t`'s (`view` is a DataView of `bytes`). */
function matches(bytes: Uint8Array, view: DataView, p: number, t: number): boolean {
  const length = TEMPLATE_LENGTHS[t] ?? 0;
  return (
    p + length <= bytes.length &&
    view.getFloat64(p, true) === TEMPLATE_HEADS[t] &&
    view.getFloat64(p + length - 8, true) === TEMPLATE_TAILS[t]
  );
}

/** The field whose key is bytes[from, to), or -1. */
function keyField(bytes: Uint8Array, from: number, to: number): number {
  search: for (let field = 0; field < KEY_BYTES.length; field++) {
    const key = KEY_BYTES[field];
    if (key?.length !== to - from) continue;
    for (let i = 0; i < key.length; i++) if (bytes[from + i] !== key[i]) continue search;
    return field;
  }
  return -1;
}

/** Final avalanche (MurmurHash3's fmix32), so that every byte reaches the low bits used for slots. */
function finish(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

const INITIAL_SLOTS = 64;
/** Distinct values kept per field, as the decoder's memo (memory stays bounded: core caps these fields at 128 characters). */
const MAX_VALUES = 65_536;
/** A longer probe means colliding input (crafted or not): such values are decoded each time instead. */
const MAX_PROBES = 32;
const ascii = new TextDecoder();
/** Successors guess a field's values once this many more guesses were right than 4 × wrong ones (shuffled rows never get there). */
const TRUSTED_GUESSES = 8;

/**
 * The distinct values of one text field: each is checked against core's schema and decoded
 * once, and later lines get the very same string (no decoding, and its hash is cached for the
 * maps that group by it). Values live in an open-addressing table of `[hash, id]` pairs, their
 * bytes together in one arena in the order they were first met. Exports tend to repeat an
 * order (the same campaigns every day, the days of each campaign), so each value also
 * remembers the value that followed it last time: when that guess is right, the line's bytes
 * are compared with it and nothing is looked up.
 */
class TextValues {
  private slots = new Int32Array(INITIAL_SLOTS * 2);
  private readonly strings: string[] = [];
  private hashes = new Int32Array(INITIAL_SLOTS);
  /** Where each value's bytes start in `arena`; `starts[id + 1]` is where they end. */
  private starts = new Int32Array(INITIAL_SLOTS + 1);
  private arena = new Uint8Array(1024);
  private arenaView = new DataView(this.arena.buffer);
  /** The id of the value that followed each value last time (-1: none yet). */
  private successors = new Int32Array(INITIAL_SLOTS).fill(-1);
  /** The id of the value met last (-1: none, or one not kept). */
  private last = -1;
  /** Up by one for each right guess, down by four for a wrong one: guesses are tried from TRUSTED_GUESSES on. */
  private score = 0;

  constructor(private readonly accepts: (value: string) => boolean) {}

  /** The value that followed the last one last time, if bytes[from…] are it and then a quote: its length, else -1. */
  guess(bytes: Uint8Array, view: DataView, from: number): number {
    if (this.score < TRUSTED_GUESSES || this.last < 0) return -1;
    const id = this.successors[this.last] ?? -1;
    if (id < 0) return -1;
    const start = this.starts[id] ?? 0;
    const length = (this.starts[id + 1] ?? 0) - start;
    if (
      from + length >= bytes.length ||
      bytes[from + length] !== QUOTE ||
      !sameBytes(this.arenaView, start, view, from, length)
    )
      return -1;
    this.met(id);
    return length;
  }

  /** The value {@link guess} found. */
  current(): string {
    return this.strings[this.last] ?? '';
  }

  /** The text of bytes[from, to) (hashed to `hash`), or undefined when it is not plain text the field's schema accepts. */
  get(bytes: Uint8Array, view: DataView, from: number, to: number, hash: number): string | undefined {
    const { slots, starts, arenaView } = this;
    const mask = (slots.length >> 1) - 1;
    const length = to - from;
    let slot = hash & mask;
    for (let probes = 0; ; probes++) {
      const id = (slots[slot * 2 + 1] ?? 0) - 1;
      if (id < 0) break;
      if (slots[slot * 2] === hash) {
        const start = starts[id] ?? 0;
        if ((starts[id + 1] ?? 0) - start === length && sameBytes(arenaView, start, view, from, length))
          return this.met(id);
      }
      if (probes === MAX_PROBES) {
        this.last = -1;
        return this.check(bytes, from, to);
      }
      slot = (slot + 1) & mask;
    }
    const value = this.check(bytes, from, to);
    this.last = -1;
    if (value !== undefined) this.add(value, bytes, from, to, hash, slot);
    return value;
  }

  /** Remembers `id` as the successor of the last value, and scores how well successors predict this field. */
  private met(id: number): string | undefined {
    if (this.last >= 0) {
      this.score =
        this.successors[this.last] === id ? Math.min(this.score + 1, 2 * TRUSTED_GUESSES) : Math.max(this.score - 4, 0);
      this.successors[this.last] = id;
    }
    this.last = id;
    return this.strings[id];
  }

  /** A value not met before: plain ASCII text without escapes, that core's schema accepts for the field. */
  private check(bytes: Uint8Array, from: number, to: number): string | undefined {
    for (let i = from; i < to; i++) {
      const byte = bytes[i] ?? 0;
      if (byte < 0x20 || byte === BACKSLASH || byte > 0x7f) return undefined;
    }
    const value = ascii.decode(bytes.subarray(from, to));
    return this.accepts(value) ? value : undefined;
  }

  private add(value: string, bytes: Uint8Array, from: number, to: number, hash: number, slot: number): void {
    const id = this.strings.length;
    if (id === MAX_VALUES) {
      this.clear();
      return;
    }
    const start = this.starts[id] ?? 0;
    if (start + to - from > this.arena.length) {
      this.arena = grown(this.arena, start + to - from);
      this.arenaView = new DataView(this.arena.buffer);
    }
    this.arena.set(bytes.subarray(from, to), start);
    if (id === this.hashes.length) {
      this.hashes = grown(this.hashes, id + 1);
      this.starts = grown(this.starts, id + 2);
      const successors = grown(this.successors, id + 1);
      successors.fill(-1, this.successors.length);
      this.successors = successors;
    }
    this.starts[id + 1] = start + to - from;
    this.hashes[id] = hash;
    this.strings.push(value);
    this.slots[slot * 2] = hash;
    this.slots[slot * 2 + 1] = id + 1;
    this.met(id);
    if (this.strings.length * 4 > this.slots.length) this.rehash();
  }

  /** Twice the slots, so that probes stay short (at most half the slots are used). */
  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = (this.slots.length >> 1) - 1;
    this.strings.forEach((_, id) => {
      const hash = this.hashes[id] ?? 0;
      let slot = hash & mask;
      while (this.slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      this.slots[slot * 2] = hash;
      this.slots[slot * 2 + 1] = id + 1;
    });
  }

  private clear(): void {
    this.slots = new Int32Array(INITIAL_SLOTS * 2);
    this.strings.length = 0;
    this.hashes = new Int32Array(INITIAL_SLOTS);
    this.starts = new Int32Array(INITIAL_SLOTS + 1);
    this.arena = new Uint8Array(1024);
    this.arenaView = new DataView(this.arena.buffer);
    this.successors = new Int32Array(INITIAL_SLOTS).fill(-1);
    this.last = -1;
    this.score = 0;
  }
}

/** A copy of `array` with room for at least `size` items (doubling). */
function grown<T extends Uint8Array | Int32Array>(array: T, size: number): T {
  let length = array.length * 2;
  while (length < size) length *= 2;
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}

/**
 * Whether `length` bytes of the arena at `start` are those of the line at `from`, compared 8 or
 * 4 at a time. Arena bytes are plain ASCII text, so their float64 words are finite non-zero
 * doubles: numeric equality is equality of the bytes.
 */
function sameBytes(arena: DataView, start: number, line: DataView, from: number, length: number): boolean {
  if (length >= 8) {
    const last = length - 8;
    for (let i = 0; i < last; i += 8)
      if (line.getFloat64(from + i, true) !== arena.getFloat64(start + i, true)) return false;
    return line.getFloat64(from + last, true) === arena.getFloat64(start + last, true);
  }
  if (length >= 4)
    return (
      line.getInt32(from, true) === arena.getInt32(start, true) &&
      line.getInt32(from + length - 4, true) === arena.getInt32(start + length - 4, true)
    );
  for (let i = 0; i < length; i++) if (line.getUint8(from + i) !== arena.getUint8(start + i)) return false;
  return true;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Reads `CampaignMetrics` rows from NDJSON bytes, one line at a time (see the note at the top
 * of this file). One scanner per stream: it learns the key order and the text values.
 */
export class RowScanner {
  private readonly texts: string[] = new Array<string>(FIRST_COUNT).fill('');
  private readonly numbers = new Float64Array(SCANNED_FIELDS.length - FIRST_COUNT);
  private seen = 0;
  /** The key that followed each key last time: lines usually repeat one order. */
  private readonly follows = new Int32Array(LINE_START + 1);
  /** Each field's values, checked by core's schema for that field (these tables are the memo). */
  private readonly values = TEXT_FIELDS.map((name) => {
    const schema = CampaignMetricsSchema.shape[name];
    return new TextValues((value) => schema.safeParse(value).success);
  });

  /**
   * Reads the row that starts at `start`: returns the index just after it (and after any
   * whitespace that follows), or -1 when this line is not one it can vouch for.
   * `view` is a DataView of the same bytes.
   */
  scan(bytes: Uint8Array, view: DataView, start: number): number {
    let p = byteAt(bytes, start) === OPEN_BRACE ? start : skipSpace(bytes, start);
    if (byteAt(bytes, p) !== OPEN_BRACE) return -1;
    let seen = 0;
    let previous: number = LINE_START;
    let templates = 0;
    // p is at the `{` or `,` before a key.
    for (;;) {
      let field = this.follows[previous] ?? 0;
      if (matches(bytes, view, p, templates + field)) p += TEMPLATE_LENGTHS[templates + field] ?? 0;
      else {
        p = skipSpace(bytes, p + 1);
        if (byteAt(bytes, p) !== QUOTE) return -1;
        const from = ++p;
        for (let byte = byteAt(bytes, p); byte !== QUOTE; byte = byteAt(bytes, ++p))
          if (byte < 0x20 || byte === BACKSLASH) return -1;
        field = keyField(bytes, from, p);
        if (field < 0) return -1;
        this.follows[previous] = field;
        p = skipSpace(bytes, p + 1);
        if (byteAt(bytes, p) !== COLON) return -1;
        p = skipSpace(bytes, p + 1);
        if (field < FIRST_COUNT) {
          if (byteAt(bytes, p) !== QUOTE) return -1;
          p++;
        }
      }
      const fieldBit = 1 << field;
      // A repeated key: JSON.parse keeps the last, and the general path does the same.
      if ((seen & fieldBit) !== 0) return -1;
      seen |= fieldBit;
      p = field < FIRST_COUNT ? this.scanText(bytes, view, p, field) : this.scanNumber(bytes, p, field);
      if (p < 0) return -1;
      let byte = byteAt(bytes, p);
      if (byte !== COMMA && byte !== CLOSE_BRACE) byte = byteAt(bytes, (p = skipSpace(bytes, p)));
      if (byte === CLOSE_BRACE) {
        if ((seen & REQUIRED) !== REQUIRED) return -1;
        this.seen = seen;
        return skipSpace(bytes, p + 1);
      }
      if (byte !== COMMA) return -1;
      previous = field;
      templates = NEXT;
    }
  }

  /** The row last scanned, with core's defaults filled in (fields the line did not have stay absent, as with the schema). */
  row(): CampaignMetrics {
    const seen = this.seen;
    const row: Mutable<CampaignMetrics> = {
      campaignId: this.textOf(F.campaignId),
      sent: this.countOf(F.sent),
      hardBounces: this.countOf(F.hardBounces),
      softBounces: this.countOf(F.softBounces),
      uniqueOpens: this.countOf(F.uniqueOpens),
      totalOpens: this.countOf(F.totalOpens),
      machineOpens: this.countOf(F.machineOpens),
      uniqueClicks: this.countOf(F.uniqueClicks),
      totalClicks: this.countOf(F.totalClicks),
      unsubscribes: this.countOf(F.unsubscribes),
      complaints: this.countOf(F.complaints),
      conversions: this.countOf(F.conversions),
      revenue: this.countOf(F.revenue),
      cost: this.countOf(F.cost),
    };
    // Named stores in a fixed order: lines of one shape give objects of one shape.
    if ((seen & (1 << F.date)) !== 0) row.date = this.textOf(F.date);
    if ((seen & (1 << F.region)) !== 0) row.region = this.textOf(F.region);
    if ((seen & (1 << F.locale)) !== 0) row.locale = this.textOf(F.locale);
    if ((seen & (1 << F.team)) !== 0) row.team = this.textOf(F.team);
    if ((seen & (1 << F.templateId)) !== 0) row.templateId = this.textOf(F.templateId);
    if ((seen & (1 << F.variant)) !== 0) row.variant = this.textOf(F.variant);
    if ((seen & (1 << F.platform)) !== 0) row.platform = this.textOf(F.platform) as Dialect;
    if ((seen & (1 << F.currency)) !== 0) row.currency = this.textOf(F.currency);
    if ((seen & (1 << F.delivered)) !== 0) row.delivered = this.countOf(F.delivered);
    return row;
  }

  private textOf(field: number): string {
    return this.texts[field] ?? '';
  }

  /** A number field's value; 0 (core's default) when the line did not have it. */
  private countOf(field: number): number {
    return (this.seen & (1 << field)) === 0 ? 0 : (this.numbers[field - FIRST_COUNT] ?? 0);
  }

  /**
   * A string value from `p` (just after its opening quote) to the next quote; returns the
   * index after that quote, or -1. The bytes are only searched for the quote here: a value
   * met before was checked then (no escape, control character or non-ASCII byte, so the quote
   * really closes it), and a new one is checked by {@link TextValues}.
   */
  private scanText(bytes: Uint8Array, view: DataView, p: number, field: number): number {
    const values = this.values[field];
    if (values === undefined) return -1;
    const guessed = values.guess(bytes, view, p);
    if (guessed >= 0) {
      this.texts[field] = values.current();
      return p + guessed + 1;
    }
    const from = p;
    let hash = 0x811c9dc5;
    // Whole 4-byte words without a quote (SWAR: `(x - 0x01…) & ~x & 0x80…` is non-zero exactly when x has a zero byte).
    for (let word = 0, quote = 0; p + 4 <= bytes.length; p += 4) {
      word = view.getInt32(p, true);
      quote = word ^ 0x22222222;
      if (((quote - 0x01010101) & ~quote & 0x80808080) !== 0) break;
      hash = Math.imul(hash ^ word, 0x01000193);
    }
    for (let byte = byteAt(bytes, p); byte !== QUOTE; byte = byteAt(bytes, ++p)) {
      if (byte < 0) return -1;
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    const value = values.get(bytes, view, from, p, finish(hash));
    if (value === undefined) return -1;
    this.texts[field] = value;
    return p + 1;
  }

  /**
   * A number from `p`: counts as `0` or `[1-9][0-9]*`, amounts also with a fraction; at most
   * 15 digits, no sign. Returns the index after it, or -1.
   */
  private scanNumber(bytes: Uint8Array, p: number, field: number): number {
    let byte = byteAt(bytes, p);
    if (!isDigit(byte)) return -1;
    let value = byte - ZERO;
    let digits = 1;
    byte = byteAt(bytes, ++p);
    if (value === 0 && isDigit(byte)) return -1;
    while (isDigit(byte)) {
      value = value * 10 + byte - ZERO;
      digits++;
      byte = byteAt(bytes, ++p);
    }
    if (byte === DOT) {
      if (field < FIRST_AMOUNT) return -1;
      let decimals = 0;
      byte = byteAt(bytes, ++p);
      while (isDigit(byte)) {
        value = value * 10 + byte - ZERO;
        decimals++;
        byte = byteAt(bytes, ++p);
      }
      digits += decimals;
      if (decimals === 0 || digits > MAX_DIGITS) return -1;
      value /= POWERS_OF_TEN[decimals] ?? 1;
    } else if (digits > MAX_DIGITS) return -1;
    // An exponent, or anything else glued to the number, fails the check for `,` or `}` that follows.
    this.numbers[field - FIRST_COUNT] = value;
    return p;
  }
}
