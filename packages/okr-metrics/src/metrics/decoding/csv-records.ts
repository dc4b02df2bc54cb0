import { HubspokeError } from '@hubspoke/core';

export type OnRecord = (fields: string[], line: number) => void;

/**
 * A streaming RFC 4180 record reader: comma-separated, fields optionally in double quotes
 * (`""` for a quote; commas, CR and LF allowed inside), records end with LF or CRLF, a
 * leading BOM is dropped, empty lines are skipped. Records are delivered synchronously per
 * chunk, each with the line it starts on. Lines without a quote take a plain `split`.
 * Property-tested against csv-parse, which it replaces for speed (several times faster).
 */
export class CsvRecordReader {
  private carry = '';
  private line = 1;
  private started = false;

  constructor(private readonly maxRecordLength: number) {}

  push(text: string, onRecord: OnRecord): void {
    let buffer = this.carry + text;
    if (!this.started && buffer.length > 0) {
      this.started = true;
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
    }
    const consumed = this.read(buffer, false, onRecord);
    this.carry = buffer.slice(consumed);
    if (this.carry.length > this.maxRecordLength) {
      throw new HubspokeError(
        'E_VALIDATION',
        `CSV line ${this.line}: a record longer than ${this.maxRecordLength} characters (an unclosed quote?)`,
        { details: { line: this.line } },
      );
    }
  }

  end(onRecord: OnRecord): void {
    this.read(this.carry, true, onRecord);
    this.carry = '';
  }

  /** Reads complete records from `buffer`; returns how many characters were consumed. */
  private read(buffer: string, final: boolean, onRecord: OnRecord): number {
    let pos = 0;
    while (pos < buffer.length) {
      const newline = buffer.indexOf('\n', pos);
      if (newline === -1 && !final) return pos;
      const end = newline === -1 ? buffer.length : newline;
      const line = buffer.slice(pos, end > pos && buffer.charCodeAt(end - 1) === 13 ? end - 1 : end);
      if (!line.includes('"')) {
        if (line !== '') onRecord(line.split(','), this.line);
        this.line++;
        pos = end + 1;
        continue;
      }
      const next = this.quotedRecord(buffer, pos, final, onRecord);
      if (next === -1) return pos;
      pos = next;
    }
    return pos;
  }

  /** A record with quotes, char by char; -1 when it continues past the buffer. */
  private quotedRecord(buffer: string, start: number, final: boolean, onRecord: OnRecord): number {
    const fields: string[] = [];
    const firstLine = this.line;
    let lines = 0;
    let i = start;
    for (;;) {
      let field = '';
      if (buffer.charCodeAt(i) === 34) {
        // Quoted field: up to the closing quote, "" standing for one quote.
        let from = i + 1;
        for (;;) {
          const close = buffer.indexOf('"', from);
          if (close === -1 || (close === buffer.length - 1 && !final)) {
            if (final) throw this.error(firstLine + lines, 'a quoted field is not closed');
            return -1;
          }
          const part = buffer.slice(from, close);
          lines += countNewlines(part);
          if (buffer.charCodeAt(close + 1) === 34) {
            field += `${part}"`;
            from = close + 2;
            continue;
          }
          field += part;
          i = close + 1;
          break;
        }
      } else {
        let j = i;
        for (; j < buffer.length; j++) {
          const c = buffer.charCodeAt(j);
          if (c === 44 || c === 10 || (c === 13 && buffer.charCodeAt(j + 1) === 10)) break;
          if (c === 34) throw this.error(firstLine + lines, 'a quote inside an unquoted field (quote the whole field)');
        }
        if (j === buffer.length && !final) return -1;
        field = buffer.slice(i, j);
        i = j;
      }
      fields.push(field);
      const c = buffer.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
      else if (c === 13 && i + 1 === buffer.length && !final) return -1;
      if (buffer.charCodeAt(i) === 10) i++;
      else if (i < buffer.length)
        throw this.error(firstLine + lines, `unexpected ${JSON.stringify(buffer[i])} after a closing quote`);
      else if (!final) return -1;
      this.line += lines + 1;
      onRecord(fields, firstLine);
      return i;
    }
  }

  private error(line: number, message: string): HubspokeError {
    return new HubspokeError('E_VALIDATION', `CSV line ${line}: ${message}`, { details: { line } });
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
