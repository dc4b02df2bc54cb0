import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordReader } from './csv-records.js';

function read(chunks: readonly string[], max = 1_000_000): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const reader = new CsvRecordReader(max);
  const onRecord = (fields: string[], line: number): void => {
    out.push({ fields, line });
  };
  for (const chunk of chunks) reader.push(chunk, onRecord);
  reader.end(onRecord);
  return out;
}

const cell = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', 'a,b', 'say "hi"', 'line\nbreak', 'crlf\r\nbreak', ' spaced ', '=SUM(A1)', 'ü€👋', '"'),
);
const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });

function serialize(rows: readonly (readonly string[])[], eol: string): string {
  return rows
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join(eol);
}

function split(text: string, cuts: readonly number[]): string[] {
  const points = [0, ...cuts.filter((c) => c > 0 && c < text.length).sort((a, b) => a - b), text.length];
  return points.slice(1).map((end, i) => text.slice(points[i], end));
}

describe('CsvRecordReader', () => {
  it('reads what csv-parse reads, however the text is chunked (property)', () => {
    fc.assert(
      fc.property(
        table,
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
        (rows, eol, trailing, cuts) => {
          const text = serialize(rows, eol) + (trailing ? eol : '');
          const expected: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true });
          expect(read(split(text, cuts)).map((r) => r.fields)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports the line each record starts on, skipping empty lines and a BOM', () => {
    const records = read(['\uFEFFa,b\r\n\r\n"multi\nline",x\n', 'c,"d""e"\n']);
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['multi\nline', 'x'], line: 3 },
      { fields: ['c', 'd"e'], line: 5 },
    ]);
  });

  it('stops at malformed quoting with the line', () => {
    expect(() => read(['a,b\n"open,1\n'])).toThrow('CSV line 2: a quoted field is not closed');
    expect(() => read(['a,b\n"x"y,1\n'])).toThrow('CSV line 2: unexpected "y" after a closing quote');
    expect(() => read(['a,b\nx"y",1\n'])).toThrow('CSV line 2: a quote inside an unquoted field');
  });

  it('refuses a record that never ends instead of buffering it', () => {
    expect(() => read(['a,"', 'x'.repeat(50), 'y'.repeat(60)], 100)).toThrow(/longer than 100 characters/);
  });
});
