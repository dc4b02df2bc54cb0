// Benchmarks for @hubspoke/okr-metrics. Run with `pnpm bench` (builds first under turbo).
// Prints a table and one `BENCH {...}` line per figure.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CampaignMetricsSchema } from '@hubspoke/core';
import { decodeMetricsRow, evaluateOkrs } from '../dist/index.js';
import { CSV_HEADER, csvLine, rowLine } from './rows.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'okr-metrics-bench-'));
const figures: {
  name: string;
  value: number;
  unit: 'x' | 'ms' | 'ops/s' | 'MB' | '%';
  target: string;
  note: string;
}[] = [];
const figure = (
  name: string,
  value: number,
  unit: (typeof figures)[number]['unit'],
  target: string,
  note: string,
): void => {
  figures.push({ name, value, unit, target, note });
};

async function writeRows(file: string, rows: number, line: (i: number) => string, header?: string): Promise<void> {
  const out = createWriteStream(file);
  if (header !== undefined) out.write(`${header}\n`);
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(line(i));
    if (batch.length === 10_000) {
      if (!out.write(`${batch.join('\n')}\n`))
        await new Promise<void>((resolve) =>
          out.once('drain', () => {
            resolve();
          }),
        );
      batch = [];
    }
  }
  if (batch.length > 0) out.write(`${batch.join('\n')}\n`);
  await new Promise<void>((resolve) =>
    out.end(() => {
      resolve();
    }),
  );
}

interface ChildResult {
  rows: number;
  ms: number;
  cpuMs: number;
  rowsPerSec: number;
  rowsPerCpuSec: number;
  peakRssMB: number;
  peakHeapMB: number;
  startRssMB: number;
}

function child(mode: string, file: string, readSize?: number): ChildResult {
  const args = [
    '--expose-gc',
    join(here, 'ingest-child.mjs'),
    mode,
    file,
    ...(readSize === undefined ? [] : [String(readSize)]),
  ];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(out) as ChildResult;
}

/** Each figure's median over three runs: one run on a shared machine can be off by 15% either way (and peak RSS moves with GC timing). */
function medianChild(mode: string, file: string, readSize?: number): ChildResult {
  const runs = [0, 1, 2].map(() => child(mode, file, readSize));
  const median = (pick: (run: ChildResult) => number): number => runs.map(pick).sort((a, b) => a - b)[1] ?? 0;
  return {
    rows: median((r) => r.rows),
    ms: median((r) => r.ms),
    cpuMs: median((r) => r.cpuMs),
    rowsPerSec: median((r) => r.rowsPerSec),
    rowsPerCpuSec: median((r) => r.rowsPerCpuSec),
    peakRssMB: median((r) => r.peakRssMB),
    peakHeapMB: median((r) => r.peakHeapMB),
    startRssMB: median((r) => r.startRssMB),
  };
}

/** CPU milliseconds of `fn`: steadier than the wall clock on a machine shared with other jobs. */
function cpuTime(fn: () => void): number {
  const started = process.cpuUsage();
  fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

try {
  const small = join(dir, 'rows-100k.ndjson');
  const large = join(dir, 'rows-1m.ndjson');
  const shuffled = join(dir, 'rows-1m-shuffled.ndjson');
  const csv = join(dir, 'rows-100k.csv');
  await writeRows(small, 100_000, rowLine);
  await writeRows(large, 1_000_000, rowLine);
  // The same rows shuffled (seeded Fisher–Yates): no value follows another predictably.
  const order = Int32Array.from({ length: 1_000_000 }, (_, i) => i);
  let seed = 42;
  for (let i = order.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  await writeRows(shuffled, 1_000_000, (i) => rowLine(order[i] ?? 0));
  await writeRows(csv, 100_000, csvLine, CSV_HEADER);

  // Warm the page cache so the first measurement does not pay for the disk.
  child('bare', small);
  const at100k = medianChild('ndjson', small);
  const bare = medianChild('bare', large);
  const at1m = medianChild('ndjson', large);
  const bigReads = medianChild('ndjson', large, 1 << 20);
  const inNoOrder = medianChild('ndjson', shuffled);
  const live100k = child('live', small);
  const live1m = child('live', large);
  const csvRun = child('csv', csv);
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

  figure(
    'ndjson-ingest-grouped-kpis-1m-rows-per-s',
    at1m.rowsPerSec,
    'ops/s',
    '>=1000000',
    `wall clock (medians of 3 runs): 1M rows in ${at1m.ms} ms, KPIs grouped by region × week`,
  );
  figure(
    'ndjson-ingest-grouped-kpis-1m-rows-per-cpu-s',
    at1m.rowsPerCpuSec,
    'ops/s',
    '>=1000000',
    `CPU time: ${at1m.cpuMs} ms (the wall clock also counts waiting for a shared core)`,
  );
  figure(
    'ndjson-ingest-1m-rows-per-s-1mib-reads',
    bigReads.rowsPerSec,
    'ops/s',
    '>=1000000',
    `the same with createReadStream(file, { highWaterMark: 1 MiB }): ${bigReads.ms} ms wall, ${bigReads.cpuMs} ms CPU`,
  );
  figure(
    'ndjson-ingest-1m-shuffled-rows-per-cpu-s',
    inNoOrder.rowsPerCpuSec,
    'ops/s',
    '>=500000',
    `rows in no order (no value guessable from the one before): ${inNoOrder.cpuMs} ms CPU, ${inNoOrder.ms} ms wall`,
  );
  figure(
    'ndjson-ingest-vs-bare-json-parse',
    Math.round((at1m.rowsPerCpuSec / bare.rowsPerCpuSec) * 1000) / 10,
    '%',
    '>=100',
    `baseline read + split + JSON.parse only (no validation, no KPIs; median of 3): ${bare.rowsPerCpuSec} rows per CPU-s`,
  );
  figure('ndjson-ingest-peak-rss-100k', at100k.peakRssMB, 'MB', '<=150', `process start ${at100k.startRssMB} MB`);
  figure('ndjson-ingest-peak-rss-1m', at1m.peakRssMB, 'MB', '<=150', `process start ${at1m.startRssMB} MB`);
  figure(
    'ndjson-ingest-peak-rss-1m-vs-100k',
    ratio(at1m.peakRssMB, at100k.peakRssMB),
    'x',
    '<=1.2',
    'flat = 1.0; includes garbage not yet collected',
  );
  figure(
    'ndjson-ingest-live-heap-100k',
    live100k.peakHeapMB,
    'MB',
    '<=50',
    'after a full GC, sampled every 65,536 rows',
  );
  figure('ndjson-ingest-live-heap-1m', live1m.peakHeapMB, 'MB', '<=50', 'after a full GC, sampled every 65,536 rows');
  figure(
    'ndjson-ingest-live-heap-1m-vs-100k',
    ratio(live1m.peakHeapMB, live100k.peakHeapMB),
    'x',
    '<=1.1',
    'flat = 1.0',
  );
  figure(
    'csv-ingest-grouped-kpis-100k-rows-per-cpu-s',
    csvRun.rowsPerCpuSec,
    'ops/s',
    '>=200000',
    `100k rows: ${csvRun.cpuMs} ms CPU, ${csvRun.ms} ms wall`,
  );

  // The row decoder against core's zod schema, which it must agree with (property-tested).
  const objects = Array.from({ length: 100_000 }, (_, i) => JSON.parse(rowLine(i)) as unknown);
  for (let i = 0; i < 20_000; i++) {
    decodeMetricsRow(objects[i]);
    CampaignMetricsSchema.safeParse(objects[i]);
  }
  const zodMs = cpuTime(() => {
    for (const o of objects) CampaignMetricsSchema.safeParse(o);
  });
  const ourMs = cpuTime(() => {
    for (const o of objects) decodeMetricsRow(o);
  });
  figure(
    'row-decoder-vs-zod-safeparse',
    Math.round((zodMs / ourMs) * 10) / 10,
    'x',
    '>=5',
    `100k rows, 50k distinct campaign ids: zod ${Math.round(zodMs)} ms, decoder ${Math.round(ourMs)} ms CPU`,
  );

  // Scoring a large planning document: 1,000 objectives × 5 key results with check-ins.
  const period = { start: '2026-01-01', end: '2026-03-31' };
  const okrSet = {
    id: 'big',
    name: 'Big',
    objectives: Array.from({ length: 1000 }, (_, o) => ({
      id: `o${o}`,
      title: `Objective ${o}`,
      owners: [{ team: `t${o % 20}`, region: ['EMEA', 'AMER', 'APAC'][o % 3] }],
      period,
      alignsTo: o === 0 ? [] : [`o${Math.floor((o - 1) / 10)}`],
      keyResults: Array.from({ length: 5 }, (_, k) => ({
        id: `o${o}k${k}`,
        title: `KR ${k}`,
        kind: 'increase',
        baseline: 0,
        target: 100,
        checkIns: Array.from({ length: 6 }, (_, c) => ({
          at: new Date(Date.UTC(2026, 0, 1 + c * 7)).toISOString(),
          value: c * 5 + k,
          confidence: 0.7,
        })),
      })),
    })),
  };
  evaluateOkrs(okrSet, { asOf: '2026-02-15' });
  const evaluateMs = cpuTime(() => evaluateOkrs(okrSet, { asOf: '2026-02-15' }));
  figure(
    'okr-evaluate-1000-objectives',
    Math.round(evaluateMs),
    'ms',
    '<=250',
    '5,000 key results, 30,000 check-ins, CPU time incl. validation',
  );

  console.log('\n@hubspoke/okr-metrics benchmarks\n');
  console.log('| figure | value | unit | target | note |');
  console.log('| --- | ---: | --- | --- | --- |');
  for (const f of figures) console.log(`| ${f.name} | ${f.value} | ${f.unit} | ${f.target} | ${f.note} |`);
  console.log('');
  for (const f of figures)
    console.log(`BENCH ${JSON.stringify({ name: f.name, value: f.value, unit: f.unit, target: f.target })}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
