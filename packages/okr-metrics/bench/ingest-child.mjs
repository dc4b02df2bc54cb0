// One measurement per process, so peak memory belongs to this run alone.
// Usage: node --expose-gc ingest-child.mjs <ndjson|csv|bare|live> <file> [read size in bytes]
// `live` is ndjson with a full GC before each memory sample: the heap that is really retained.
import { createReadStream } from 'node:fs';
import { ingestMetrics, KpiAggregator } from '../dist/index.js';

const [mode, file, readSize] = process.argv.slice(2);
const CHUNK = readSize === undefined ? 1 << 16 : Number(readSize); // default: Node's for file streams
let peakHeap = 0;
let peakRss = 0;
const sample = () => {
  const { heapUsed, rss } = process.memoryUsage();
  peakHeap = Math.max(peakHeap, heapUsed);
  peakRss = Math.max(peakRss, rss);
};

const live = mode === 'live';

/** Counts rows and samples memory every 16,384 rows (after a full GC in `live` mode, every 65,536). */
class MemorySampler {
  rows = 0;
  add() {
    this.rows++;
    if (live ? (this.rows & 0xffff) === 0 : (this.rows & 0x3fff) === 0) {
      if (live) globalThis.gc();
      sample();
    }
  }
}

async function bare() {
  // The natural floor: read the file, split lines, JSON.parse each; no validation, no KPIs.
  const decoder = new TextDecoder();
  const sampler = new MemorySampler();
  let carry = '';
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      JSON.parse(text.slice(start, nl));
      sampler.add();
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  return sampler.rows;
}

async function ingest(format) {
  const kpis = new KpiAggregator({ groupBy: ['region', 'week'] });
  const sampler = new MemorySampler();
  const summary = await ingestMetrics(createReadStream(file, { highWaterMark: CHUNK }), {
    format,
    into: [kpis, sampler],
  });
  const table = kpis.result();
  if (table.groups.length === 0 || summary.rejected > 0) throw new Error('benchmark data did not ingest cleanly');
  return summary.accepted;
}

sample();
const startRss = process.memoryUsage().rss;
const started = performance.now();
const cpuStarted = process.cpuUsage();
const rows = mode === 'bare' ? await bare() : await ingest(live ? 'ndjson' : mode);
const ms = performance.now() - started;
// CPU time as well as wall time: on a shared machine the wall clock also counts time spent waiting for a core.
const cpu = process.cpuUsage(cpuStarted);
const cpuMs = (cpu.user + cpu.system) / 1000;
if (live) globalThis.gc();
sample();
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ mode, rows, ms: Math.round(ms), cpuMs: Math.round(cpuMs), rowsPerSec: Math.round(rows / (ms / 1000)), rowsPerCpuSec: Math.round(rows / (cpuMs / 1000)), startRssMB: mb(startRss), peakRssMB: mb(peakRss), peakHeapMB: mb(peakHeap), maxRssMB: mb(process.resourceUsage().maxRSS * 1024) })}\n`,
);
