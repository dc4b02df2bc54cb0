import { CampaignMetricsSchema } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricsLine, ordinaryLine } from '../../__fixtures__/ndjson-lines.js';
import { sampleRow } from '../../__fixtures__/metrics.js';
import { RowScanner, SCANNED_FIELDS } from './row-scanner.js';

const encoder = new TextEncoder();

/** The row the scanner reads from a whole line, or undefined when it leaves the line to JSON.parse. */
function scanLine(scanner: RowScanner, line: string): unknown {
  const bytes = encoder.encode(line);
  const end = scanner.scan(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0);
  return end === bytes.length ? scanner.row() : undefined;
}

/** What core's schema makes of the line (undefined when JSON.parse or the schema rejects it). */
function schemaRow(line: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = CampaignMetricsSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

describe('RowScanner', () => {
  it('reads every field of CampaignMetrics but the nested dimensions', () => {
    expect([...SCANNED_FIELDS, 'dimensions'].sort()).toEqual(Object.keys(CampaignMetricsSchema.shape).sort());
  });

  it('accepts only lines that JSON.parse + CampaignMetricsSchema accept, with the same value (property)', () => {
    const scanner = new RowScanner();
    fc.assert(
      fc.property(metricsLine, (line) => {
        const scanned = scanLine(scanner, line);
        if (scanned === undefined) return;
        expect(scanned).toStrictEqual(schemaRow(line));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the lines producers usually write (property)', () => {
    const scanner = new RowScanner();
    fc.assert(
      fc.property(ordinaryLine, (line) => {
        expect(scanLine(scanner, line)).toStrictEqual(schemaRow(line));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes whitespace anywhere JSON allows it inside a line', () => {
    const scanner = new RowScanner();
    for (const line of [
      ' { "campaignId" : "c1" , "sent" : 5 } ',
      '\t{\t"campaignId":\t"c1",\r"sent":5}\r',
      '{"campaignId":"c1","sent":5,"revenue":12.50,"region":"EMEA"}',
      `${JSON.stringify(sampleRow)}\r`,
    ]) {
      expect(scanLine(scanner, line), line).toStrictEqual(schemaRow(line));
    }
  });

  it('leaves everything unusual to JSON.parse and the decoder', () => {
    const scanner = new RowScanner();
    const base = '{"campaignId":"c1","sent":5';
    for (const line of [
      `${base},"sent":6}`, // duplicate key: JSON.parse keeps the last
      `${base},"uniqueClicks":1e3}`,
      `${base},"uniqueClicks":1E3}`,
      `${base},"uniqueClicks":-0}`,
      `${base},"revenue":-0}`,
      `${base},"uniqueClicks":1.0}`,
      `${base},"uniqueClicks":01}`,
      `${base},"revenue":1.}`,
      `${base},"revenue":.5}`,
      `${base},"revenue":1.5e2}`,
      `${base},"uniqueClicks":1234567890123456}`,
      `${base},"revenue":0.0000000000000001}`,
      `${base},"region":"\\u0045MEA"}`,
      `${base},"variant":"a\\"b"}`,
      `${base},"variant":"Grüße"}`,
      `${base},"dimensions":{"segment":"vip"}}`,
      `${base},"clicks":3}`,
      `${base},"__proto__":{"admin":true}}`,
      `${base},"region":null}`,
      `${base},"uniqueClicks":"3"}`,
      `${base}}x`,
      `${base}},`,
      `\uFEFF${base}}`,
      `${base},}`,
      base,
      '{"campaignId":"1c","sent":5}',
      '{"campaignId":"c1","sent":5,"date":"2026-02-30"}',
      '{"campaignId":"c1","sent":5,"currency":"eur"}',
      '{"campaignId":"c1"}',
      '{"sent":1}',
      '{}',
    ]) {
      expect(scanLine(scanner, line), line).toBeUndefined();
    }
  });

  it('reads amounts exactly as JSON.parse does (property)', () => {
    const scanner = new RowScanner();
    const amount = fc
      .tuple(fc.stringMatching(/^(0|[1-9][0-9]{0,14})$/), fc.stringMatching(/^[0-9]{1,15}$/))
      .map(([int, frac]) => `${int}.${frac}`);
    fc.assert(
      fc.property(amount, (text) => {
        const row = scanLine(scanner, `{"campaignId":"c1","sent":1,"revenue":${text}}`) as
          { revenue: number } | undefined;
        // At most 15 digits in all: exact by one correctly rounded division.
        if (text.length - 1 <= 15) expect(row).toBeDefined();
        if (row !== undefined) expect(Object.is(row.revenue, Number(text))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps each value right however the values of a field repeat (interning and guesses, property)', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `c-${i}`);
    const regions = ['EMEA', 'AMER', 'APAC', 'EMEA-North', 'E'];
    const pattern = fc.array(fc.tuple(fc.nat({ max: ids.length - 1 }), fc.nat({ max: regions.length - 1 })), {
      maxLength: 300,
    });
    fc.assert(
      fc.property(fc.constantFrom('cycle', 'random'), pattern, (kind, picks) => {
        const scanner = new RowScanner();
        const order = kind === 'cycle' ? [...picks, ...picks, ...picks] : picks;
        order.forEach(([i, r], n) => {
          const line = `{"campaignId":"${ids[i] ?? ''}","region":"${regions[r] ?? ''}","sent":${n}}`;
          expect(scanLine(scanner, line)).toStrictEqual({ ...(schemaRow(line) as object) });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('stays right past 65,536 distinct values of a field', () => {
    const scanner = new RowScanner();
    for (let i = 0; i < 140_000; i++) {
      const row = scanLine(scanner, `{"campaignId":"c${i % 70_000}","sent":${i}}`) as
        { campaignId: string } | undefined;
      if (row?.campaignId !== `c${i % 70_000}`) throw new Error(`line ${i}: ${JSON.stringify(row)}`);
    }
    expect(scanLine(scanner, '{"campaignId":"c5","sent":1}')).toEqual(schemaRow('{"campaignId":"c5","sent":1}'));
  });

  it('never reads past the bytes it is given (a line cut anywhere is not a row)', () => {
    const scanner = new RowScanner();
    const line = JSON.stringify(sampleRow);
    for (let cut = 0; cut < line.length; cut++) expect(scanLine(scanner, line.slice(0, cut))).toBeUndefined();
    expect(scanLine(scanner, line)).toStrictEqual(schemaRow(line));
  });
});
