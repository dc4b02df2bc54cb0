/**
 * Throughput against each vendor fake with a documented ceiling, as a share of that ceiling.
 * Each fake runs in its own process and enforces the vendor's limit with time scaled down
 * (answering as the vendor does when it is exceeded); the connector is told the same scaled
 * limit, as `runtime.limits` would tell it a sandbox's.
 *
 * Ceiling: under a rolling window W of N calls, call i can arrive no sooner than W after call
 * i − N. At the ceiling that gap is exactly W for every call; the share is W divided by the mean
 * measured gap (the first N calls, which have no predecessor, are not counted). Every request
 * is also checked against the vendor contract by the fake.
 */
import type { Connector, PushEmailInput } from '@hubspoke/core';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { asana } from '../src/connectors/asana/asana.js';
import { braze } from '../src/connectors/braze/braze.js';
import { hubspot } from '../src/connectors/hubspot/hubspot.js';
import { marketo } from '../src/connectors/marketo/marketo.js';
import { pushEmails } from '../src/sdk/publish/bulk.js';
import { memoryLogger, type Logger } from '../src/sdk/http/logger.js';
import { samplePushEmailInput } from '../src/testkit/fixtures.js';

interface Scenario {
  vendor: string;
  /** The documented ceiling and how it is scaled here. */
  ceiling: string;
  calls: number;
  windowMs: number;
  concurrency: number;
  latencyMs: number;
  /** Units of work (emails or tasks). */
  units: number;
  connect(
    url: string,
    logger: Logger,
    limits: { callsPerWindow: number; windowMs: number; concurrency: number },
  ): Connector;
  run(connector: Connector, units: number): Promise<{ failed: number; throttleErrors: number }>;
}

const emails = (n: number): PushEmailInput[] => Array.from({ length: n }, (_, i) => samplePushEmailInput(i + 1));
const push = async (connector: Connector, units: number) => {
  const report = await pushEmails(connector, emails(units), { concurrency: 20 });
  return {
    failed: report.failed,
    throttleErrors: report.items.filter((i) => !i.ok && i.error.code === 'E_RATE_LIMITED').length,
  };
};

const scenarios: Scenario[] = [
  {
    vendor: 'marketo',
    ceiling: '100 calls / 20 s and 10 concurrent (scaled 10×: 100 / 2 s)',
    calls: 100,
    windowMs: 2000,
    concurrency: 10,
    latencyMs: 15,
    units: 200, // 3 metered calls per email: 600 calls
    connect: (url, logger, limits) =>
      marketo.create(
        {
          baseUrl: url,
          clientId: 'marketo-client',
          clientSecret: 'marketo-secret',
          emailFolderId: 1,
          templateFolderId: 2,
        },
        { logger, limits },
      ),
    run: push,
  },
  {
    vendor: 'hubspot',
    ceiling: '100 calls / 10 s rolling, private apps on Free/Starter (scaled 5×: 100 / 2 s)',
    calls: 100,
    windowMs: 2000,
    concurrency: 8,
    latencyMs: 0,
    units: 200, // 2 calls per email (template file, marketing email): 400 calls
    connect: (url, logger, limits) => hubspot.create({ accessToken: 'pat-na1-fake', baseUrl: url }, { logger, limits }),
    run: push,
  },
  {
    vendor: 'braze',
    ceiling: '250,000 calls / hour (scaled 720×: 250 / 5 s)',
    calls: 250,
    windowMs: 5000,
    concurrency: 8,
    latencyMs: 0,
    units: 750, // 1 call per email
    connect: (url, logger, limits) => braze.create({ apiKey: 'braze-api-key', restEndpoint: url }, { logger, limits }),
    run: push,
  },
  {
    vendor: 'asana',
    ceiling: '150 calls / minute on free plans (scaled 20×: 150 / 3 s)',
    calls: 150,
    windowMs: 3000,
    concurrency: 5,
    latencyMs: 0,
    units: 450, // 1 call per task
    connect: (url, logger, limits) =>
      asana.create(
        { accessToken: 'asana-pat', projectGid: '1200000000000001', baseUrl: `${url}/` },
        { logger, limits },
      ),
    run: async (connector, units) => {
      const results = await Promise.allSettled(
        Array.from({ length: units }, (_, i) =>
          connector.createTask!({ taskKey: `bench-${i}`, title: `Review ${i}`, submissionId: `s-${i}` }),
        ),
      );
      const errors = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code);
      return { failed: errors.length, throttleErrors: errors.filter((c) => c === 'E_RATE_LIMITED').length };
    },
  },
];

const only = process.argv[2];
const figures: { name: string; value: number; unit: string; target: string }[] = [];
const notes: string[] = [];
for (const s of scenarios.filter((x) => only === undefined || x.vendor === only)) {
  const worker = fork(
    fileURLToPath(new URL('./fake-worker.ts', import.meta.url)),
    [
      s.vendor,
      JSON.stringify({ calls: s.calls, windowMs: s.windowMs, concurrency: s.concurrency, latencyMs: s.latencyMs }),
    ],
    { execArgv: ['--import', 'tsx'] },
  );
  const [{ url }] = (await once(worker, 'message')) as [{ url: string }];
  const logger = memoryLogger();
  const connector = s.connect(url, logger, {
    callsPerWindow: s.calls,
    windowMs: s.windowMs,
    concurrency: s.concurrency,
  });
  const started = performance.now();
  const outcome = await s.run(connector, s.units);
  const wallMs = performance.now() - started;
  worker.send('stop');
  const [result] = (await once(worker, 'message')) as [
    { arrivals: number[]; refused: number; created: number; violations: number },
  ];
  const arrivals = result.arrivals.sort((a, b) => a - b);
  const gaps = arrivals.slice(s.calls).map((t, i) => t - (arrivals[i] ?? t));
  const meanGap = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
  const share = (100 * s.windowMs) / meanGap;
  const vendorThrottles = Math.max(
    logger.records.filter((r) => r.event === 'http.rate-limited').length,
    result.refused,
  );
  figures.push(
    { name: `${s.vendor}.throughput_share_of_ceiling`, value: Number(share.toFixed(2)), unit: '%', target: '>=95' },
    { name: `${s.vendor}.throttle_errors_surfaced`, value: outcome.throttleErrors, unit: 'x', target: '<=0' },
    { name: `${s.vendor}.vendor_throttle_answers`, value: vendorThrottles, unit: 'x', target: '<=0' },
    { name: `${s.vendor}.contract_violations`, value: result.violations, unit: 'x', target: '<=0' },
  );
  notes.push(
    `${s.vendor}: ${s.ceiling}; ${s.units - outcome.failed}/${s.units} done (${result.created} created), ${arrivals.length} metered calls, wall ${(wallMs / 1000).toFixed(2)} s, mean gap ${meanGap.toFixed(0)} ms (ceiling ${s.windowMs} ms)`,
  );
  if (outcome.failed > 0 || result.violations > 0) process.exitCode = 1;
}
for (const figure of figures) console.log(`BENCH ${JSON.stringify(figure)}`);
console.log('');
for (const note of notes) console.log(note);
