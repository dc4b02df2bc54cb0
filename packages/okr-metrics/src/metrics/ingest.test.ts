import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isHubspokeError, type CampaignMetrics, type HubspokeError } from '@hubspoke/core';
import { fastestMs } from '@hubspoke/core/testkit';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { KpiAggregator } from './kpis/aggregate.js';
import { ingestMetrics, metricsFormatOf, readMetrics, type MetricsSink } from './ingest.js';

const rows = [
  {
    campaignId: 'c1',
    region: 'EMEA',
    date: '2026-03-02',
    sent: 1000,
    hardBounces: 12,
    softBounces: 8,
    uniqueOpens: 400,
    uniqueClicks: 60,
  },
  {
    campaignId: 'c2',
    region: 'AMER',
    date: '2026-03-03',
    sent: 500,
    delivered: 490,
    uniqueOpens: 100,
    uniqueClicks: 10,
  },
  {
    campaignId: 'c3',
    region: 'EMEA',
    date: '2026-03-09',
    sent: 200,
    uniqueOpens: 50,
    uniqueClicks: 5,
    dimensions: { segment: 'vip' },
  },
];
const ndjson = `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
const csv = [
  'campaignId,region,date,sent,delivered,hardBounces,softBounces,uniqueOpens,uniqueClicks,dimensions.segment',
  'c1,EMEA,2026-03-02,1000,,12,8,400,60,',
  'c2,AMER,2026-03-03,500,490,,,100,10,',
  '"c3",EMEA,2026-03-09,200,,,,50,5,vip',
  '',
].join('\r\n');

class Collect implements MetricsSink {
  readonly rows: CampaignMetrics[] = [];
  add(row: CampaignMetrics): void {
    this.rows.push(row);
  }
}

async function collect(
  source: Parameters<typeof ingestMetrics>[0],
  options: Omit<Parameters<typeof ingestMetrics>[1], 'into'> = {},
) {
  const sink = new Collect();
  const summary = await ingestMetrics(source, { ...options, into: sink });
  return { rows: sink.rows, summary };
}

const dir = mkdtempSync(join(tmpdir(), 'okr-metrics-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ingestMetrics sources', () => {
  it('reads arrays, generators and async iterables of row objects', async () => {
    const a = await collect(rows);
    expect(a.rows).toHaveLength(3);
    expect(a.summary).toMatchObject({ accepted: 3, rejected: 0 });
    const b = await collect(
      (function* () {
        yield* rows;
      })(),
    );
    const c = await collect(
      (async function* () {
        for (const r of rows) {
          await Promise.resolve();
          yield r;
        }
      })(),
    );
    expect(b.rows).toEqual(a.rows);
    expect(c.rows).toEqual(a.rows);
  });

  it('reads a web ReadableStream of row objects', async () => {
    const stream = new ReadableStream({
      start(controller) {
        for (const r of rows) controller.enqueue(r);
        controller.close();
      },
    });
    expect((await collect(stream)).rows.map((r) => r.campaignId)).toEqual(['c1', 'c2', 'c3']);
  });

  it('does not modify the caller’s row objects', async () => {
    const input = rows.map((r) => ({ ...r }));
    await collect(input);
    expect(input).toEqual(rows);
  });

  it('fills in delivered per row by the chosen definition', async () => {
    const { rows: out } = await collect(rows);
    expect(out.map((r) => r.delivered)).toEqual([980, 490, 200]);
    const hardOnly = await collect(rows, { delivered: 'sent-minus-hard-bounces' });
    expect(hardOnly.rows[0]?.delivered).toBe(988);
  });

  it('reads NDJSON from a string, bytes, a Node stream, a file stream and a web stream alike', async () => {
    const expected = (await collect(rows)).rows;
    const file = join(dir, 'metrics.ndjson');
    writeFileSync(file, ndjson);
    const sources = [
      ndjson,
      new TextEncoder().encode(ndjson),
      Readable.from([Buffer.from(ndjson.slice(0, 37)), Buffer.from(ndjson.slice(37))]),
      createReadStream(file, { highWaterMark: 16 }),
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(ndjson);
          controller.enqueue(bytes.slice(0, 50));
          controller.enqueue(bytes.slice(50));
          controller.close();
        },
      }),
    ];
    for (const source of sources) expect((await collect(source, { format: 'ndjson' })).rows).toEqual(expected);
  });

  it('gives the same rows however the text is split into chunks, even inside a UTF-8 character (property)', async () => {
    const text = `${JSON.stringify({ campaignId: 'c1', sent: 3, variant: 'Grüße 👋' })}\r\n\n${ndjson}   \n${JSON.stringify({ campaignId: 'c9', sent: 1 })}`;
    const bytes = new TextEncoder().encode(text);
    const whole = (await collect(text, { format: 'ndjson' })).rows;
    expect(whole).toHaveLength(5);
    expect(whole[0]?.variant).toBe('Grüße 👋');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 8 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((x, y) => x - y), bytes.length];
          const chunks = points.slice(1).map((end, i) => bytes.slice(points[i], end));
          expect((await collect(chunks, { format: 'ndjson' })).rows).toEqual(whole);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads CSV (quoted cells, CRLF, BOM, empty cells, custom dimensions) to the same rows as NDJSON', async () => {
    const expected = (await collect(rows)).rows;
    expect((await collect(`\uFEFF${csv}`, { format: 'csv' })).rows).toEqual(expected);
    expect((await collect(Readable.from([csv.slice(0, 100), csv.slice(100)]), { format: 'csv' })).rows).toEqual(
      expected,
    );
  });

  it('keeps commas, quotes and newlines inside quoted CSV cells', async () => {
    const text = 'campaignId,variant,sent\nc1,"Hello, ""world""\nsecond line",10\n';
    const { rows: out } = await collect(text, { format: 'csv' });
    expect(out[0]?.variant).toBe('Hello, "world"\nsecond line');
  });

  it('tells the caller to pass a format when text arrives as objects, and rejects non-sources', async () => {
    await expect(collect(ndjson)).rejects.toThrow(/pass format "ndjson" or "csv"/);
    await expect(collect(Readable.from([Buffer.from(ndjson)]))).rejects.toThrow(/pass format/);
    await expect(collect(42 as never)).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'source' });
    await expect(collect(null as never)).rejects.toThrow(/got null/);
    await expect(collect(rows, { format: 'xml' as never })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'options.format',
    });
    await expect(ingestMetrics(rows, { into: [] })).rejects.toMatchObject({ path: 'options.into' });
    await expect(ingestMetrics(rows, { into: {} as never })).rejects.toMatchObject({ path: 'options.into' });
    await expect(collect([{ a: 1 }], { format: 'ndjson' })).rejects.toThrow(
      /yielded object; a text format reads strings or bytes/,
    );
  });
});

describe('bad rows', () => {
  const bad = [
    JSON.stringify(rows[0]),
    '{"campaignId":"c2","sent":-5}',
    '{not json',
    JSON.stringify({ campaignId: 'c4', sent: 10, uniqueClicks: 20 }),
    JSON.stringify({ campaignId: 'c5', sent: 10, unknownKpi: 1 }),
    JSON.stringify({ campaignId: "'; DROP TABLE metrics; --", sent: 1 }),
    JSON.stringify(rows[1]),
  ].join('\n');

  it('stops at the first bad row by default, naming the line and the field', async () => {
    const error: unknown = await collect(bad, { format: 'ndjson', sourceName: 'march.ndjson' }).catch(
      (e: unknown) => e,
    );
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect((error as Error).message).toBe('march.ndjson line 2: row.sent: expected a number of at least 0, got -5');
    expect(error).toMatchObject({ path: 'row.sent', details: { line: 2, ruleId: 'metrics/invalid-row' } });
  });

  it('with onInvalidRow "skip" keeps going and accounts for every skipped row', async () => {
    const { rows: out, summary } = await collect(bad, {
      format: 'ndjson',
      onInvalidRow: 'skip',
      sourceName: 'march.ndjson',
    });
    expect(out.map((r) => r.campaignId)).toEqual(['c1', 'c2']);
    expect(summary.accepted).toBe(2);
    expect(summary.rejected).toBe(5);
    expect(summary.diagnostics.map((d) => [d.location.line, d.ruleId])).toEqual([
      [2, 'metrics/invalid-row'],
      [3, 'metrics/invalid-json'],
      [4, 'metrics/exceeds-delivered'],
      [5, 'metrics/invalid-row'],
      [6, 'metrics/invalid-row'],
    ]);
    expect(summary.diagnostics[2]?.message).toBe(
      'march.ndjson line 4: uniqueClicks (20) is greater than delivered (10)',
    );
    expect(summary.diagnostics[3]?.message).toContain('row.unknownKpi: unknown key');
    expect(
      summary.diagnostics.every((d) => d.location.file === 'march.ndjson' && d.origin === '@hubspoke/okr-metrics'),
    ).toBe(true);
  });

  it('caps the kept diagnostics and counts the rest', async () => {
    const many = Array.from({ length: 30 }, () => '{"campaignId":"c1","sent":-1}').join('\n');
    const { summary } = await collect(many, { format: 'ndjson', onInvalidRow: 'skip', maxDiagnostics: 5 });
    expect(summary).toMatchObject({ rejected: 30, omittedDiagnostics: 25 });
    expect(summary.diagnostics).toHaveLength(5);
  });

  it('rejects over-long lines without holding them, then carries on', async () => {
    const long = `{"campaignId":"c1","sent":1,"variant":"${'x'.repeat(500)}"}`;
    const chunks = [
      JSON.stringify(rows[0]),
      '\n',
      long.slice(0, 200),
      long.slice(200, 400),
      long.slice(400),
      '\n',
      JSON.stringify(rows[1]),
      '\n',
      long,
      '\n',
    ];
    const { rows: out, summary } = await collect(chunks, {
      format: 'ndjson',
      onInvalidRow: 'skip',
      maxLineLength: 300,
    });
    expect(out.map((r) => r.campaignId)).toEqual(['c1', 'c2']);
    expect(summary.diagnostics.map((d) => [d.location.line, d.ruleId])).toEqual([
      [2, 'metrics/line-too-long'],
      [4, 'metrics/line-too-long'],
    ]);
  });

  it('rejects invalid UTF-8 with a clear error', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"campaignId":"c1","sent":1,"variant":"'),
      0xff,
      0xfe,
      ...new TextEncoder().encode('"}\n'),
    ]);
    await expect(collect(bytes, { format: 'ndjson' })).rejects.toThrow(/not valid UTF-8/);
  });

  it('wraps a failing stream as E_UPSTREAM and honours an AbortSignal', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await expect(collect(failing, { format: 'ndjson' })).rejects.toMatchObject({
      code: 'E_UPSTREAM',
      message: expect.stringContaining('disk on fire') as string,
    });
    await expect(collect(createReadStream(join(dir, 'missing.ndjson')), { format: 'ndjson' })).rejects.toMatchObject({
      code: 'E_UPSTREAM',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(collect([ndjson], { format: 'ndjson', signal: controller.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
  });

  it('reports CSV problems: unknown or missing columns stop the import; short rows follow the row policy', async () => {
    await expect(collect('campaignId,sent,clicks\nc1,1,2\n', { format: 'csv' })).rejects.toThrow(
      /unknown column "clicks"/,
    );
    await expect(collect('campaignId,uniqueClicks\nc1,2\n', { format: 'csv' })).rejects.toThrow(
      /missing the required column sent/,
    );
    await expect(collect('campaignId,sent,sent\nc1,1,2\n', { format: 'csv' })).rejects.toThrow(/appears twice/);
    await expect(collect('campaignId,sent\n"c1,1\n', { format: 'csv' })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      message: expect.stringContaining('CSV') as string,
    });
    const { rows: out, summary } = await collect('campaignId,sent\nc1,1,9\nc2,abc\n=SUM(A1),1\nc3,2\n', {
      format: 'csv',
      onInvalidRow: 'skip',
    });
    expect(out.map((r) => r.campaignId)).toEqual(['c3']);
    expect(summary.diagnostics.map((d) => d.location.line)).toEqual([2, 3, 4]);
    expect(summary.diagnostics[0]?.message).toContain('expected 2 cells like the header, got 3');
    expect(summary.diagnostics[1]?.message).toContain('row.sent: expected a number, got "abc"');
  });

  it('validates options', async () => {
    await expect(collect(rows, { onInvalidRow: 'ignore' as never })).rejects.toMatchObject({
      path: 'options.onInvalidRow',
    });
    await expect(collect(rows, { maxLineLength: 0 })).rejects.toMatchObject({ path: 'options.maxLineLength' });
    await expect(collect(rows, { delivered: 'whatever' as never })).rejects.toMatchObject({
      path: 'options.delivered',
    });
  });
});

describe('readMetrics', () => {
  it('yields validated rows one at a time and reports skipped rows', async () => {
    const seen: string[] = [];
    const out: CampaignMetrics[] = [];
    for await (const row of readMetrics(`${ndjson}{"campaignId":"x","sent":-1}\n`, {
      format: 'ndjson',
      onInvalidRow: 'skip',
      onDiagnostic: (d) => seen.push(d.ruleId),
    }))
      out.push(row);
    expect(out.map((r) => r.campaignId)).toEqual(['c1', 'c2', 'c3']);
    expect(seen).toEqual(['metrics/invalid-row']);
  });
});

describe('metricsFormatOf', () => {
  it('maps extensions and refuses unknown ones', () => {
    expect(metricsFormatOf('March.CSV')).toBe('csv');
    expect(metricsFormatOf('a.ndjson')).toBe('ndjson');
    expect(metricsFormatOf('a.jsonl')).toBe('ndjson');
    expect(() => metricsFormatOf('a.xlsx')).toThrow(/use .csv, .ndjson or .jsonl/);
  });
});

describe('sinks', () => {
  it('feeds several sinks in one pass', async () => {
    const a = new KpiAggregator({ groupBy: ['region'], kpis: ['clickThroughRate'] });
    const b = new Collect();
    await ingestMetrics(ndjson, { format: 'ndjson', into: [a, b] });
    expect(b.rows).toHaveLength(3);
    expect(a.result().groups.map((g) => [g.label, g.kpis.clickThroughRate?.value])).toEqual([
      ['region=AMER', 10 / 490],
      ['region=EMEA', 65 / 1180],
    ]);
  });
});

describe('the byte-size limit of NDJSON and CSV imports', () => {
  const sink = () => new KpiAggregator();
  const refusal = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('refuses 10 MB of text or bytes over the limit before parsing, naming the limit', async () => {
    const text = `${'x'.repeat(10 * 1024 * 1024)}\n`;
    const bytes = new TextEncoder().encode(text);
    for (const format of ['ndjson', 'csv'] as const) {
      for (const source of [text, bytes]) {
        const run = () => refusal(() => ingestMetrics(source, { format, maxBytes: 1024 * 1024, into: sink() }));
        const error = await run();
        // The fastest of three: a busy machine's pauses are not the refusal's cost.
        const elapsed = await fastestMs(run);
        expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
        expect((error as HubspokeError).path).toBe('options.maxBytes');
        expect((error as Error).message).toContain('1048576 bytes');
        // Parsing 10 MB of garbage would reject it too, but only after reading it all.
        expect(elapsed).toBeLessThan(100);
      }
    }
  });

  it('counts a stream as it comes and stops once past the limit', async () => {
    let pulled = 0;
    const line = `${JSON.stringify({ campaignId: 'c', sent: 1 })}\n`;
    async function* chunks() {
      for (let i = 0; i < 1000; i++) {
        await Promise.resolve();
        pulled++;
        yield line.repeat(100);
      }
    }
    const error = await refusal(() =>
      ingestMetrics(chunks(), { format: 'ndjson', maxBytes: line.length * 250, into: sink() }),
    );
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect(pulled).toBeLessThan(5);
  });

  it('counts UTF-8 bytes, not characters, and accepts a source at the limit', async () => {
    const row = `${JSON.stringify({ campaignId: 'c', sent: 1, dimensions: { city: 'Zürich' } })}\n`;
    const size = new TextEncoder().encode(row).length;
    expect(size).toBeGreaterThan(row.length);
    const ok = await ingestMetrics(row, { format: 'ndjson', maxBytes: size, into: sink() });
    expect(ok.accepted).toBe(1);
    const error = await refusal(() => ingestMetrics(row, { format: 'ndjson', maxBytes: row.length, into: sink() }));
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
  });
});
