/**
 * Throughput against the Marketo fake as a share of its ceiling. The fake enforces Marketo's
 * limits (100 calls per rolling window, 10 concurrent) with time scaled down (a 2 s window
 * instead of 20 s) and answers 606/615 like Marketo when they are exceeded.
 *
 * Ceiling: under a rolling window of W and 100 calls, call i can arrive no sooner than W after
 * call i − 100. At the ceiling that gap is exactly W for every call; the share is W divided by
 * the mean measured gap (the first 100 calls, which have no predecessor, are not counted).
 */
import { marketo } from '../src/connectors/marketo/marketo.js';
import { pushEmails } from '../src/sdk/bulk.js';
import { memoryLogger } from '../src/sdk/logger.js';
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { samplePushEmailInput } from '../src/testkit/fixtures.js';

const CALLS = 100;
const WINDOW_MS = 2000;
const CONCURRENCY = 10;
const EMAILS = 200; // 3 metered calls each on first push: 600 calls, 6 windows

const worker = fork(
  fileURLToPath(new URL('./marketo-fake-worker.ts', import.meta.url)),
  [JSON.stringify({ callsPerWindow: CALLS, windowMs: WINDOW_MS, concurrency: CONCURRENCY, latencyMs: 15 })],
  {
    execArgv: ['--import', 'tsx'],
  },
);
const [{ url }] = (await once(worker, 'message')) as [{ url: string }];
const fake = { url };
const logger = memoryLogger();
const connector = marketo.create(
  {
    baseUrl: fake.url,
    clientId: 'marketo-client',
    clientSecret: 'marketo-secret',
    emailFolderId: 1,
    templateFolderId: 2,
  },
  { logger, limits: { callsPerWindow: CALLS, windowMs: WINDOW_MS, concurrency: CONCURRENCY } },
);
const inputs = Array.from({ length: EMAILS }, (_, i) => samplePushEmailInput(i + 1));
const started = performance.now();
const report = await pushEmails(connector, inputs, { concurrency: CONCURRENCY * 2 });
const wallMs = performance.now() - started;
worker.send('stop');
const [result] = (await once(worker, 'message')) as [{ arrivals: number[]; refused: number; emails: number }];

const arrivals = result.arrivals;
arrivals.sort((a, b) => a - b);
const span = (arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0);
const gaps = arrivals.slice(CALLS).map((t, i) => t - (arrivals[i] ?? t));
const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
const share = (100 * WINDOW_MS) / meanGap;
const throttleErrors = report.items.filter((i) => !i.ok && i.error.code === 'E_RATE_LIMITED').length;
const vendorThrottles = logger.records.filter((r) => r.event === 'http.rate-limited').length;
const callsPerSecond = (CALLS * 1000) / meanGap;
const ceilingPerSecond = CALLS / (WINDOW_MS / 1000);

const figures = [
  { name: 'marketo.throughput_share_of_ceiling', value: Number(share.toFixed(2)), unit: '%', target: '>=95' },
  { name: 'marketo.throttle_errors_surfaced', value: throttleErrors, unit: 'x', target: '<=0' },
  {
    name: 'marketo.vendor_throttle_answers',
    value: Math.max(vendorThrottles, result.refused),
    unit: 'x',
    target: '<=0',
  },
  {
    name: 'marketo.calls_per_second_scaled',
    value: Number(callsPerSecond.toFixed(1)),
    unit: 'ops/s',
    target: `>=${(ceilingPerSecond * 0.95).toFixed(1)}`,
  },
];
for (const figure of figures) console.log(`BENCH ${JSON.stringify(figure)}`);
console.log('');
console.log('| figure | value | target |');
console.log('|---|---|---|');
for (const f of figures) console.log(`| ${f.name} | ${f.value} ${f.unit} | ${f.target} |`);
console.log(
  `\n${report.succeeded}/${EMAILS} emails pushed, ${arrivals.length} metered calls over ${(span / 1000).toFixed(2)} s, wall ${(wallMs / 1000).toFixed(2)} s; mean gap to the call ${CALLS} before: ${meanGap.toFixed(0)} ms (ceiling: ${WINDOW_MS} ms); ceiling ${ceilingPerSecond} calls/s (Marketo's 100 per 20 s scaled 10×).`,
);
if (report.failed > 0 || result.emails !== EMAILS) process.exitCode = 1;
