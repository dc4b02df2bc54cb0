import type { CampaignMetrics } from '@hubspoke/core';
import { RowScanner } from './row-scanner.js';
import { lineAt, type RowValidator } from './validate-row.js';

const NEWLINE = 10;
const CR = 13;
const EMPTY = new Uint8Array(0);
/** For the lines the scanner leaves to JSON.parse; the bytes are valid UTF-8 already, and a BOM inside a line stays text. */
const lineDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The length of UTF-8 bytes in UTF-16 code units, as `maxLineLength` counts (and JavaScript strings do). */
function textLength(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let length = 0;
  for (let i = from; i < to; i++) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) !== 0x80) length += byte >= 0xf0 ? 2 : 1;
  }
  return length;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Splits NDJSON into lines across chunk boundaries and validates each, synchronously per
 * chunk (no await per row). Memory is bounded by the chunk size plus one line. Text is
 * pushed as strings (`push`) or as UTF-8 bytes (`pushBytes`, never both in one stream): bytes
 * go through the {@link RowScanner}, which reads the usual line without decoding it, and
 * every other line takes the same JSON.parse path as text.
 */
export class NdjsonRows {
  private carry = '';
  private pending: Uint8Array = EMPTY;
  private line = 0;
  /** Set while dropping the rest of an over-long line. */
  private discarding = false;
  private readonly scanner = new RowScanner();

  constructor(
    private readonly validator: RowValidator,
    private readonly maxLineLength: number,
  ) {}

  /** Validated rows of the complete lines in `text`. */
  push(text: string): CampaignMetrics[] {
    const out: CampaignMetrics[] = [];
    let buffer = this.carry === '' ? text : this.carry + text;
    let start = 0;
    if (this.discarding) {
      const newline = buffer.indexOf('\n');
      if (newline === -1) {
        this.carry = '';
        return out;
      }
      this.discarding = false;
      start = newline + 1;
    }
    for (let newline = buffer.indexOf('\n', start); newline !== -1; newline = buffer.indexOf('\n', start)) {
      this.line++;
      const end = newline > start && buffer.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      if (end - start > this.maxLineLength) this.tooLong();
      else this.handle(buffer.slice(start, end), out);
      start = newline + 1;
    }
    buffer = buffer.slice(start);
    this.carry = this.unfinishedTooLong(buffer.length, buffer.endsWith('\r')) ? '' : buffer;
    return out;
  }

  /** Validated rows of the complete lines in `bytes`: valid UTF-8 (whole characters, no leading BOM). */
  pushBytes(bytes: Uint8Array): CampaignMetrics[] {
    const out: CampaignMetrics[] = [];
    let start = 0;
    if (this.discarding || this.pending.length > 0) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        if (!this.discarding) this.hold(concat(this.pending, bytes));
        return out;
      }
      if (this.discarding) this.discarding = false;
      else {
        const line = concat(this.pending, bytes.subarray(0, newline + 1));
        this.pending = EMPTY;
        this.lines(line, 0, out);
      }
      start = newline + 1;
    }
    const unfinished = this.lines(bytes, start, out);
    if (unfinished < bytes.length) this.hold(bytes.slice(unfinished));
    return out;
  }

  /** Rows of the last line, when the text does not end with a newline. */
  end(): CampaignMetrics[] {
    const out: CampaignMetrics[] = [];
    if (this.pending.length > 0) {
      const bytes = this.pending;
      this.line++;
      if (this.scanner.scan(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0) === bytes.length)
        this.accept(out);
      else
        this.handle(
          lineDecoder.decode(bytes.subarray(0, bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length)),
          out,
        );
    }
    if (this.carry !== '') {
      this.line++;
      this.handle(this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry, out);
    }
    this.carry = '';
    this.pending = EMPTY;
    return out;
  }

  /** Handles the complete lines of `bytes` from `start`; returns where the unfinished last line starts. */
  private lines(bytes: Uint8Array, start: number, out: CampaignMetrics[]): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (start < bytes.length) {
      const end = this.scanner.scan(bytes, view, start);
      if (end >= 0 && end < bytes.length && bytes[end] === NEWLINE) {
        // The scanner reads ASCII only, so bytes are characters here.
        this.line++;
        if (end - start - (bytes[end - 1] === CR ? 1 : 0) > this.maxLineLength) this.tooLong();
        else this.accept(out);
        start = end + 1;
        continue;
      }
      const newline = bytes.indexOf(NEWLINE, start);
      if (newline === -1) break;
      this.line++;
      const stop = newline > start && bytes[newline - 1] === CR ? newline - 1 : newline;
      if (stop - start > this.maxLineLength && textLength(bytes, start, stop) > this.maxLineLength) this.tooLong();
      else this.handle(lineDecoder.decode(bytes.subarray(start, stop)), out);
      start = newline + 1;
    }
    return start;
  }

  /** Keeps the unfinished last line for the next chunk, unless it is already too long. */
  private hold(bytes: Uint8Array): void {
    const tooLong =
      bytes.length > this.maxLineLength && this.unfinishedTooLong(textLength(bytes), bytes[bytes.length - 1] === CR);
    this.pending = tooLong ? EMPTY : bytes;
  }

  /**
   * An unfinished line longer than the limit is rejected now and skipped to its end, so it is
   * never held whole. One character more is fine while it is a CR: the line may end in CRLF.
   */
  private unfinishedTooLong(length: number, endsWithCr: boolean): boolean {
    if (length <= this.maxLineLength + (endsWithCr ? 1 : 0)) return false;
    this.line++;
    this.tooLong();
    this.discarding = true;
    return true;
  }

  private tooLong(): void {
    this.validator.reject(
      lineAt(this.line),
      'metrics/line-too-long',
      `line is longer than ${this.maxLineLength} characters`,
    );
  }

  /** The row the scanner just read: schema-valid already, so only the consistency rules remain. */
  private accept(out: CampaignMetrics[]): void {
    const row = this.validator.complete(this.scanner.row(), this.line);
    if (row !== undefined) out.push(row);
  }

  private handle(text: string, out: CampaignMetrics[]): void {
    // Blank and whitespace-only lines are not rows.
    if (text === '') return;
    const first = text.charCodeAt(0);
    if ((first === 32 || first === 9) && text.trim() === '') return;
    const place = lineAt(this.line);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.validator.reject(
        place,
        'metrics/invalid-json',
        `not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
      );
      return;
    }
    const row = this.validator.validate(value, place, true);
    if (row !== undefined) out.push(row);
  }
}
