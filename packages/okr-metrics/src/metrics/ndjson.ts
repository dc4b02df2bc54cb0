import type { CampaignMetrics } from '@hubspoke/core';
import type { RowValidator } from './validate-row.js';

/**
 * Splits NDJSON text into lines across chunk boundaries and validates each, synchronously
 * per chunk (no await per row). Memory is bounded by the chunk size plus one line.
 */
export class NdjsonRows {
  private carry = '';
  private line = 0;
  /** Set while dropping the rest of an over-long line. */
  private discarding = false;

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
      const end = newline > start && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      if (end - start > this.maxLineLength) this.tooLong();
      else if (end > start) this.handle(buffer.slice(start, end), out);
      start = newline + 1;
    }
    buffer = buffer.slice(start);
    if (buffer.length > this.maxLineLength) {
      this.line++;
      this.tooLong();
      this.discarding = true;
      buffer = '';
    }
    this.carry = buffer;
    return out;
  }

  /** Rows of the last line, when the text does not end with a newline. */
  end(): CampaignMetrics[] {
    const out: CampaignMetrics[] = [];
    if (!this.discarding && this.carry !== '') {
      this.line++;
      this.handle(this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry, out);
    }
    this.carry = '';
    return out;
  }

  private tooLong(): void {
    this.validator.reject({ where: `line ${this.line}`, line: this.line }, 'metrics/line-too-long', `line is longer than ${this.maxLineLength} characters`);
  }

  private handle(text: string, out: CampaignMetrics[]): void {
    const first = text.charCodeAt(0);
    // Whitespace-only lines are blank, not errors.
    if ((first === 32 || first === 9) && text.trim() === '') return;
    const place = { where: `line ${this.line}`, line: this.line };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.validator.reject(place, 'metrics/invalid-json', `not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
      return;
    }
    const row = this.validator.validate(value, place, true);
    if (row !== undefined) out.push(row);
  }
}
