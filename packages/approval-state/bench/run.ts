/**
 * Benchmarks for @hubspoke/approval-state: folding events, verifying the audit chain, command
 * throughput against PGlite and (when HUBSPOKE_TEST_PG_URL is set) PostgreSQL with 1, 8 and 32
 * concurrent writers, and outbox dispatch throughput. Prints `BENCH {...}` lines and a table.
 */
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { hybrid, type ApprovalEvent, type PrincipalInput, type SqlClient, type WorkflowDefInput } from '@hubspoke/core';
import pg from 'pg';
import { CheckpointKeys } from '../src/audit/checkpoints.js';
import { TrailVerifier, sealEvents } from '../src/audit/trail.js';
import {
  MemoryEventStore,
  SqlEventStore,
  createApprovals,
  decide,
  dispatchEffects,
  fold,
  initialState,
  summarize,
  verifyAudit,
  AuditKeyring,
  generateAuditKeys,
  type Checkpoint,
  type StoredEvent,
  type CommandInput,
  type EventEffect,
  type EventStore,
  type SubmissionState,
} from '../src/index.js';

interface Figure {
  name: string;
  value: number;
  unit: 'x' | 'ms' | 'ops/s' | 'MB' | '%';
  target?: string;
  note?: string;
}
const figures: Figure[] = [];
function report(figure: Figure): void {
  figures.push(figure);
  const { note: _note, ...line } = figure;
  console.log(`BENCH ${JSON.stringify({ ...line, value: Number(figure.value.toFixed(2)) })}`);
}

const reviewers: PrincipalInput[] = Array.from({ length: 32 }, (_, i) => ({
  id: `rev-${i + 1}`,
  roles: ['regional-manager'],
  regions: ['EMEA'],
}));
const author: PrincipalInput = { id: 'lena', roles: ['spoke-marketer'], regions: ['EMEA'] };
const brand: PrincipalInput = { id: 'bea', roles: ['brand-manager'] };
const directory = [author, brand, ...reviewers];
const workflow: WorkflowDefInput = {
  id: 'bench',
  version: 1,
  name: 'Bench review',
  stages: [
    { id: 'brand', name: 'Brand', reviewers: [{ role: 'brand-manager' }], completion: { rule: 'any' } },
    {
      id: 'regional',
      name: 'Regional',
      reviewers: [{ role: 'regional-manager', region: 'submission' }],
      completion: { rule: 'all' },
      due: { after: 'P2D', reminders: ['-PT4H'] },
    },
  ],
};
const submit = {
  type: 'submit',
  draftId: 'd',
  title: 'Bench',
  contentHash: 'h',
  facts: { region: 'EMEA', tags: ['pricing'] },
} satisfies CommandInput;

/** A realistic 50-event history: submit, brand approval, comments, 32 regional approvals; with the effects it asks for. */
function sampleHistory(streamId: string): { events: ApprovalEvent[]; effects: EventEffect[] } {
  let state: SubmissionState = initialState(streamId);
  let n = 0;
  const events: ApprovalEvent[] = [];
  const effects: EventEffect[] = [];
  const run = (principal: PrincipalInput, command: Record<string, unknown>) => {
    const r = decide(state, command, {
      workflow,
      operatingModel: hybrid,
      principal,
      now: '2026-03-02T09:00:00Z',
      newId: () => `${streamId}-${++n}`,
      directory,
    });
    if (!r.ok) throw r.error;
    state = r.state;
    events.push(...r.events);
    effects.push(...r.eventEffects);
  };
  run(author, submit);
  for (let i = 0; i < 8; i++)
    run(brand, { type: 'comment', text: `Brand note ${i}`, anchor: { instanceId: 'hero-1' } });
  run(brand, { type: 'decide', decision: 'approved' });
  for (const reviewer of reviewers) run(reviewer, { type: 'decide', decision: 'approved' });
  return { events, effects };
}

const sampleStream = (streamId: string): ApprovalEvent[] => sampleHistory(streamId).events;

function benchFold(): void {
  // Events as a store hands them back (parsed from JSON), which is what a fold sees in practice.
  const streams = Array.from(
    { length: 1000 },
    (_, i) => JSON.parse(JSON.stringify(sampleStream(`s-${i}`))) as ApprovalEvent[],
  );
  const perStream = streams[0]?.length ?? 0;
  const rounds = Math.ceil(1_000_000 / (perStream * streams.length));
  for (const s of streams.slice(0, 50)) fold(s); // warm up
  let folded = 0;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const s of streams) folded += fold(s).seq;
  const ms = performance.now() - start;
  report({
    name: 'fold 1M events',
    value: (ms * 1_000_000) / folded,
    unit: 'ms',
    target: '<=1000',
    note: `${folded.toLocaleString()} events in ${perStream}-event streams`,
  });
  report({
    name: 'fold throughput',
    value: folded / (ms / 1000),
    unit: 'ops/s',
    target: '>=1000000',
    note: 'events/s',
  });

  const sample = streams.slice(0, 200).flat();
  const t = performance.now();
  for (const s of streams.slice(0, 200)) if (!verifyAudit(s).ok) throw new Error('audit failed');
  const verifyMs = performance.now() - t;
  report({
    name: 'verifyAudit throughput',
    value: sample.length / (verifyMs / 1000),
    unit: 'ops/s',
    target: '>=20000',
    note: 'events/s, schema check + SHA-256 chain',
  });

  // Baseline: parsing the same events from JSON, which every store read pays anyway.
  const texts = streams.map((s) => JSON.stringify(s));
  const p = performance.now();
  let parsed = 0;
  for (let r = 0; r < rounds; r++) for (const t of texts) parsed += (JSON.parse(t) as unknown[]).length;
  const parseMs = performance.now() - p;
  report({
    name: 'fold vs JSON.parse of the same events',
    value: parseMs / parsed / (ms / folded),
    unit: 'x',
    target: '>=1',
    note: 'above 1: folding costs less than reading the events',
  });
}

/**
 * The keyed audit trail: one stream of 1,000,000 stored events (the sample history's events,
 * renumbered, as JSON text), sealed with HMAC-SHA-256 and anchored by a signed checkpoint every
 * 1,000 events. Verified as `verify()` does it: pages of 5,000 events pushed through a
 * `TrailVerifier` (every MAC checked), then the latest checkpoint's signature and that the chain
 * reaches and matches it. Only the verifier's own work is timed, not making the pages.
 */
function benchTrail(): void {
  const count = 1_000_000;
  const page = 5000;
  const generated = generateAuditKeys('bench');
  const keys = AuditKeyring.from(generated.macKey);
  const checkpointKeys = new CheckpointKeys({ signingKey: generated.signingKey });
  const template = sampleStream('template');
  const streamId = 'chain-1m';
  // The checkpoints are signed over the same events the pages will hold.
  const pageOf = (first: number): StoredEvent[] => {
    const records: StoredEvent[] = [];
    for (let seq = first; seq < first + page && seq <= count; seq++) {
      const event = { ...template[(seq - 1) % template.length]!, streamId, seq, id: `e-${seq}` };
      const [mac = ''] = sealEvents(keys, streamId, prevMac, [event]);
      records.push({ seq, body: JSON.stringify(event), mac });
      prevMac = mac;
      if (seq % 1000 === 0)
        checkpoints.push(
          checkpointKeys.sign({
            streamId,
            seq,
            eventId: event.id,
            hash: event.hash,
            mac,
            at: '2026-03-02T09:00:00.000Z',
          }),
        );
    }
    return records;
  };
  let prevMac = '';
  const checkpoints: Checkpoint[] = [];
  const pages: StoredEvent[][] = [];
  for (let first = 1; first <= count; first += page) pages.push(pageOf(first));
  let cpuMs = 0;
  let wallMs = 0;
  const timed = <T>(work: () => T): T => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = work();
    wallMs += performance.now() - start;
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
    return result;
  };
  const verifier = new TrailVerifier(keys, checkpointKeys, streamId, checkpoints);
  for (const records of pages)
    timed(() => {
      verifier.push(records);
    });
  const result = timed(() => verifier.finish());
  if (!result.ok || result.count !== count || result.unanchored !== 0) throw new Error('trail did not verify');
  // Per CPU second: on a machine shared with other work the wall clock mostly measures the neighbours.
  report({
    name: 'verify 1M-event keyed chain with checkpoints',
    value: count / (cpuMs / 1000),
    unit: 'ops/s',
    target: '>=200000',
    note: `events per CPU second (wall: ${Math.round(count / (wallMs / 1000)).toLocaleString()}/s); HMAC-SHA-256 over each stored event's text, pages of ${page}, ${checkpoints.length} Ed25519 checkpoints (the latest checked)`,
  });
}

async function benchCommands(label: string, client: SqlClient, prefix: string): Promise<void> {
  const store = await SqlEventStore.open(client, { tablePrefix: prefix });
  for (const writers of [1, 8, 32]) {
    let n = 0;
    const approvals = createApprovals({
      store,
      workflows: [workflow],
      operatingModel: hybrid,
      directory,
      ids: () => `${prefix}${writers}-${++n}`,
    });
    const submissions = await Promise.all(
      Array.from({ length: 4 }, () => approvals.submit(author, submit).then((r) => r.submissionId)),
    );
    const perWriter = Math.max(4, Math.floor(256 / writers));
    let conflicts = 0;
    let retried = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const submission = submissions[(w + i) % submissions.length] ?? '';
          const result = await approvals.comment(reviewers[w % reviewers.length] ?? author, submission, {
            text: `comment ${w}/${i}`,
          });
          conflicts += result.retries;
          if (result.retries > 0) retried++;
        }
      }),
    );
    const ms = performance.now() - start;
    const commands = writers * perWriter;
    report({
      name: `${label} commands, ${writers} writer(s)`,
      value: commands / (ms / 1000),
      unit: 'ops/s',
      target: '>=100',
      note: `${commands} comments on 4 submissions; ${conflicts} conflicts, ${retried} commands retried`,
    });
    report({
      name: `${label} conflict rate, ${writers} writer(s)`,
      value: (conflicts / commands) * 100,
      unit: '%',
      note: `${conflicts} lost races over ${commands} commands (each retried)`,
    });
  }
}

/**
 * Outbox dispatch: histories appended with their effects, then drained by `workers` concurrent
 * `dispatchEffects` calls with a handler that does nothing, so the figure is the outbox's own cost
 * per effect (its share of a claim, plus one ack).
 */
async function benchDispatch(label: string, store: EventStore, streams: number, workers = 1): Promise<void> {
  let enqueued = 0;
  for (let i = 0; i < streams; i++) {
    const streamId = `${label}-${workers}-${i}`;
    const { events, effects } = sampleHistory(streamId);
    await store.append({ streamId, expectedVersion: 0, events, summary: summarize(fold(events)), effects });
    enqueued += effects.length;
  }
  let handled = 0;
  const start = performance.now();
  const reports = await Promise.all(
    Array.from({ length: workers }, () =>
      dispatchEffects(
        store,
        () => {
          handled++;
        },
        { batchSize: 100 },
      ),
    ),
  );
  const ms = performance.now() - start;
  const dispatched = reports.reduce((n, r) => n + r.dispatched, 0);
  if (dispatched !== enqueued || handled !== enqueued)
    throw new Error(`${label}: dispatched ${dispatched} of ${enqueued} effects`);
  report({
    name: `${label} outbox dispatch, ${workers} worker(s)`,
    value: dispatched / (ms / 1000),
    unit: 'ops/s',
    target: label === 'memory' ? '>=20000' : '>=1000',
    note: `effects/s: ${dispatched} effects of ${streams} submissions, batches of 100, claim + handler + ack each`,
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  benchFold();
  benchTrail();

  const lite = new PGlite();
  await benchCommands('PGlite', lite, 'bench_');
  await benchDispatch('PGlite', await SqlEventStore.open(lite, { tablePrefix: 'outbox_bench_' }), 40);
  await lite.close();
  await benchDispatch('memory', new MemoryEventStore(), 200);

  const url = process.env.HUBSPOKE_TEST_PG_URL;
  if (url === undefined || url === '') {
    console.log('PostgreSQL benchmark skipped: HUBSPOKE_TEST_PG_URL is not set');
  } else {
    const name = `hubspoke_approval_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: target.toString(), max: 32 });
    // DROP DATABASE … WITH (FORCE) below ends idle connections; the pool reports that as an error event.
    pool.on('error', () => undefined);
    try {
      await benchCommands('PostgreSQL', pool, 'bench_');
      for (const workers of [1, 4])
        await benchDispatch(
          'PostgreSQL',
          await SqlEventStore.open(pool, { tablePrefix: `outbox_bench${workers}_` }),
          30,
          workers,
        );
    } finally {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }

  console.log('\n| benchmark | value | unit | target | note |\n|---|---:|---|---|---|');
  for (const f of figures)
    console.log(`| ${f.name} | ${f.value.toFixed(2)} | ${f.unit} | ${f.target ?? ''} | ${f.note ?? ''} |`);
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
