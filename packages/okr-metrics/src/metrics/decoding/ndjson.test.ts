import type { CampaignMetrics } from '@hubspoke/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metricsLine } from '../../__fixtures__/ndjson-lines.js';
import { sampleRow } from '../../__fixtures__/metrics.js';
import { ingestMetrics, readMetrics, type IngestOptions } from '../ingest.js';

const encoder = new TextEncoder();

/** Rows, summary, or the error, of an NDJSON import. */
async function run(source: Parameters<typeof ingestMetrics>[0], options: Omit<IngestOptions, 'into' | 'format'>) {
  const rows: CampaignMetrics[] = [];
  try {
    const summary = await ingestMetrics(source, {
      ...options,
      format: 'ndjson',
      into: { add: (row) => rows.push(row) },
    });
    return { rows, summary };
  } catch (error) {
    const { message, code, path, details } = error as { message: string; code: string; path: string; details: unknown };
    return { rows, error: { message, code, path, details } };
  }
}

/** A document of lines as UTF-8 bytes in chunks cut anywhere (inside characters too). */
const document = fc
  .tuple(
    fc.array(metricsLine, { maxLength: 25 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
    fc.boolean(),
    fc.array(fc.nat(), { maxLength: 8 }),
  )
  .map(([lines, newline, bom, trailing, cuts]) => {
    const text = `${bom ? '\uFEFF' : ''}${lines.join(newline)}${trailing ? newline : ''}`;
    const bytes = encoder.encode(text);
    const points = [0, ...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
    return { bytes, chunks: points.slice(1).map((end, i) => bytes.slice(points[i], end)) };
  });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('NDJSON bytes (the byte scanner) against NDJSON text (JSON.parse and the decoder for every line)', () => {
  it('gives the same rows, rejections, messages and line numbers (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        document,
        fc.constantFrom('skip', 'throw'),
        fc.constantFrom(1_048_576, 300, 120, 40),
        async ({ bytes, chunks }, onInvalidRow, maxLineLength) => {
          const options = { onInvalidRow, maxLineLength, sourceName: 'm.ndjson' } as const;
          // The text path reads what a streaming UTF-8 decoder makes of the same chunks (a leading BOM dropped).
          const decoder = new TextDecoder();
          const text = [...chunks.map((chunk) => decoder.decode(chunk, { stream: true })), decoder.decode()];
          expect(text.join('')).toBe(new TextDecoder().decode(bytes));
          expect(await run(chunks, options)).toStrictEqual(await run(text, options));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads the usual lines without JSON.parse', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ ...sampleRow, campaignId: `c${i % 7}`, sent: 1000 + i }),
    );
    const { rows, summary } = await run([encoder.encode(`${lines.join('\n')}\n`)], {});
    expect(summary).toMatchObject({ accepted: 50, rejected: 0 });
    expect(rows[49]).toStrictEqual({ ...sampleRow, campaignId: 'c0', sent: 1049 });
    expect(parse).not.toHaveBeenCalled();
  });

  it('counts line length in characters, as for text: a non-ASCII line may have more bytes than the limit', async () => {
    // 'é' is 2 bytes and 1 character; '👋' is 4 bytes and 2 characters (UTF-16 code units, as String#length counts).
    const line = JSON.stringify({ campaignId: 'c1', sent: 1, variant: 'ééé👋👋' });
    const limit = line.length;
    expect(encoder.encode(line).length).toBeGreaterThan(limit);
    const fits = await run([encoder.encode(`${line}\n`)], { maxLineLength: limit });
    expect(fits.rows).toHaveLength(1);
    const tooLong = await run([encoder.encode(`${line}\n`)], { maxLineLength: limit - 1, onInvalidRow: 'skip' });
    expect(tooLong.summary?.diagnostics.map((d) => d.ruleId)).toEqual(['metrics/line-too-long']);
  });

  it('accepts a line of exactly the limit ending in CRLF wherever a chunk ends, as bytes and as text', async () => {
    const line = JSON.stringify({ campaignId: 'c1', sent: 1 });
    const text = `${line}\r\n${line}\r\n`;
    for (let cut = 0; cut <= text.length; cut++) {
      for (const chunks of [
        [text.slice(0, cut), text.slice(cut)],
        [encoder.encode(text.slice(0, cut)), encoder.encode(text.slice(cut))],
      ]) {
        const { rows, summary } = await run(chunks, { maxLineLength: line.length, onInvalidRow: 'skip' });
        expect(summary?.diagnostics, `cut at ${cut}`).toEqual([]);
        expect(rows).toHaveLength(2);
      }
    }
  });

  it('rejects invalid UTF-8 after the rows of earlier chunks, wherever it is', async () => {
    const good = encoder.encode(`${JSON.stringify({ campaignId: 'c1', sent: 1 })}\n`);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const row of readMetrics([good, Uint8Array.of(0x7b, 0xff, 0x7d, 0x0a)], { format: 'ndjson' }))
        seen.push(row.campaignId);
    })();
    await expect(reading).rejects.toThrow(/not valid UTF-8/);
    expect(seen).toEqual(['c1']);
    await expect(run([good, Uint8Array.of(0xe2, 0x82)], {})).resolves.toMatchObject({
      error: { code: 'E_VALIDATION', message: expect.stringMatching(/not valid UTF-8/) as string },
    });
  });

  it('fails a whole byte array that ends inside a character before reading any row (NDJSON and CSV)', async () => {
    for (const [format, text] of [
      ['ndjson', `${JSON.stringify({ campaignId: 'c1', sent: 1 })}\n`],
      ['csv', 'campaignId,sent\nc1,1\n'],
    ] as const) {
      const bytes = Uint8Array.from([...encoder.encode(text), 0xe2, 0x82]);
      const seen: string[] = [];
      const reading = (async () => {
        for await (const row of readMetrics(bytes, { format })) seen.push(row.campaignId);
      })();
      await expect(reading, format).rejects.toThrow(/not valid UTF-8/);
      expect(seen, format).toEqual([]);
    }
  });

  it('reads a source that mixes bytes and strings', async () => {
    const line = JSON.stringify({ campaignId: 'c1', sent: 1, variant: 'Grüße' });
    const bytesFirst = await run([encoder.encode(line.slice(0, 10)), line.slice(10), '\n'], {});
    const textFirst = await run([line.slice(0, 10), encoder.encode(line.slice(10)), '\n'], {});
    expect(bytesFirst.rows).toStrictEqual(textFirst.rows);
    expect(bytesFirst.rows[0]?.variant).toBe('Grüße');
  });
});
