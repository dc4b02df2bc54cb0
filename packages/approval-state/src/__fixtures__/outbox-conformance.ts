import { HubspokeError, hybrid, type ApprovalEvent, type WorkflowEffect } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { createApprovals } from '../approvals.js';
import { dispatchEffects } from '../dispatch.js';
import { eventEffectsOf } from '../effects.js';
import { fold, initialState } from '../state.js';
import { summarize, type EventStore } from '../store/event-store.js';
import { LEASE_EXPIRED, outboxId, type ClaimedEffect, type OutboxEntry } from '../store/outbox.js';
import { directory, fullSubmit, people, standardWorkflow } from './harness.js';
import { counter, hostileStrings, makeEvents, rejects } from './store-conformance.js';

const T = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T.getTime() + ms);

/** Rejects with an E_VALIDATION HubspokeError whose path is `path`. */
async function invalid(promise: Promise<unknown>, path: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected E_VALIDATION at ${path}`).toBeInstanceOf(HubspokeError);
  expect(error).toMatchObject({ code: 'E_VALIDATION', path });
}

function service(store: EventStore, prefix: string, clock?: () => Date) {
  return createApprovals({ store, workflows: [standardWorkflow], operatingModel: hybrid, directory, ids: counter(prefix), ...(clock === undefined ? {} : { clock }) });
}

/** Appends `events` with the effects the engine derives from them. */
function appendWithEffects(store: EventStore, streamId: string, events: ApprovalEvent[], expectedVersion: number, extra: Partial<Parameters<EventStore['append']>[0]> = {}) {
  const before = fold(makeEvents(streamId, expectedVersion), initialState(streamId));
  return store.append({ streamId, expectedVersion, events, summary: summarize(fold(events, before)), effects: eventEffectsOf(before, events), ...extra });
}

/** Submits `count` full reviews and returns every outbox entry id they enqueued. */
async function enqueue(store: EventStore, prefix: string, count: number): Promise<string[]> {
  const approvals = service(store, prefix);
  for (let i = 0; i < count; i++) await approvals.submit(people.lena, { ...fullSubmit, submissionId: `${prefix}-${i}` });
  return (await store.listEffects({ limit: 1000 })).map((e) => e.id);
}

const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id);

function nth<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`expected at least ${i + 1} items, got ${list.length}`);
  return item;
}

/**
 * The outbox behaviour every EventStore must show. `fresh()` gives each test an empty store on
 * the same database, so claims in one test never see another test's entries.
 */
export function describeOutbox(fresh: () => Promise<EventStore>): void {
  describe('outbox', () => {
    it('enqueues the effects of every append with it, under stable ids', async () => {
      const store = await fresh();
      let now = T;
      const approvals = service(store, 'fx', () => now);
      const submitted = await approvals.submit(people.lena, fullSubmit);
      expect(submitted.effects.length).toBeGreaterThan(0);
      const decided = await approvals.decide(people.bea, submitted.submissionId, { decision: 'approved' });
      now = at(2 * 86_400_000);
      const tick = await approvals.due(now);
      expect(tick.effects.length).toBeGreaterThan(0);

      const entries = await store.listEffects({ streamId: submitted.submissionId });
      expect(entries.map((e) => e.effect)).toEqual([...submitted.effects, ...decided.effects, ...tick.effects]);
      const events = await store.read(submitted.submissionId);
      const perEvent = new Map<number, number>();
      for (const entry of entries) {
        const index = perEvent.get(entry.seq) ?? 0;
        perEvent.set(entry.seq, index + 1);
        const event = events[entry.seq - 1];
        expect(entry).toEqual({ id: outboxId(submitted.submissionId, entry.seq, index), streamId: submitted.submissionId, seq: entry.seq, eventId: event?.id, index, effect: entry.effect, status: 'pending', createdAt: event?.at, attempts: 0 });
      }
      expect(await store.listEffects({ streamId: 'no-such-stream' })).toEqual([]);
    });

    it('a refused append enqueues nothing: version conflict, reused key, bad effects', async () => {
      const store = await fresh();
      const events = makeEvents('s-fx', 3);
      await appendWithEffects(store, 's-fx', events.slice(0, 2), 0);
      const stored = await store.listEffects();
      expect(stored.length).toBeGreaterThan(0);
      await rejects(appendWithEffects(store, 's-fx', events.slice(0, 2), 0), 'E_CONFLICT', 'version');
      await appendWithEffects(store, 's-key', makeEvents('s-key', 2), 0, { idempotency: { key: 'k', requestHash: 'h' } });
      const keyed = await store.listEffects();
      expect(keyed.length).toBeGreaterThan(stored.length);
      await rejects(appendWithEffects(store, 's-key2', makeEvents('s-key2', 2), 0, { idempotency: { key: 'k', requestHash: 'h' } }), 'E_CONFLICT', 'idempotency');
      expect(await store.listEffects()).toEqual(keyed);
      expect(await store.read('s-key2')).toEqual([]);

      const next = { streamId: 's-fx', expectedVersion: 2, events: events.slice(2), summary: summarize(fold(events)) };
      const bogus = { type: 'sendMoney', to: 'x' } as unknown as WorkflowEffect;
      await invalid(store.append({ ...next, effects: [{ seq: 3, effect: bogus }] }), 'effects[0].effect.type');
      const notify: WorkflowEffect = { type: 'notify', submissionId: 's-fx', to: ['bea'], reason: 'comment', message: 'hi' };
      await invalid(store.append({ ...next, effects: [{ seq: 2, effect: notify }] }), 'effects[0].seq');
      await invalid(store.append({ ...next, events: [{ ...events[2], at: 'not a time' } as ApprovalEvent], effects: [{ seq: 3, effect: notify }] }), 'events[0].at');
      expect(await store.read('s-fx')).toEqual(events.slice(0, 2));
      expect(await store.listEffects({ streamId: 's-fx' })).toEqual(stored);
    });

    it('a replayed or raced command enqueues its effects once', async () => {
      const store = await fresh();
      const approvals = service(store, 'idem');
      const first = await approvals.submit(people.lena, { ...fullSubmit, idempotencyKey: 'submit-once' });
      const again = await approvals.submit(people.lena, { ...fullSubmit, idempotencyKey: 'submit-once' });
      expect(again).toMatchObject({ replayed: true, effects: first.effects });
      expect((await store.listEffects()).map((e) => e.effect)).toEqual(first.effects);

      const id = first.submissionId;
      const same = await Promise.all(Array.from({ length: 5 }, () => approvals.comment(people.lee, id, { text: 'see @bea', mentions: ['bea'], idempotencyKey: 'c-1' })));
      expect(same.every((r) => r.effects.length === 1)).toBe(true);
      // Eight different comments race for the same version; the losers are decided again, and only what was stored is enqueued.
      const raced = await Promise.all(Array.from({ length: 8 }, (_, i) => approvals.comment(people.bea, id, { text: `note ${i}`, mentions: ['lee'] })));
      expect(raced.some((r) => r.retries > 0)).toBe(true);
      const mentions = (await store.listEffects({ streamId: id, limit: 1000 })).filter((e) => e.effect.type === 'notify' && e.effect.reason === 'mention');
      expect(mentions).toHaveLength(1 + 8);
      expect(new Set(ids(mentions)).size).toBe(9);
      const comments = (await store.read(id)).filter((e) => e.type === 'comment.added');
      expect(mentions.map((m) => m.eventId).sort()).toEqual(comments.map((c) => c.id).sort());
    });

    it('a lease keeps an entry from other workers until it runs out; then the next worker takes it', async () => {
      const store = await fresh();
      const all = await enqueue(store, 'lease', 1);
      const a = await store.claimEffects({ limit: 100, leaseMs: 60_000, now: T });
      expect(ids(a)).toEqual(all);
      expect(a.every((e) => e.attempts === 1 && e.leasedUntil === at(60_000).toISOString() && e.leaseToken.length > 0)).toBe(true);
      expect((await store.listEffects())[0]).toMatchObject({ leasedUntil: at(60_000).toISOString(), attempts: 1 });
      expect(await store.claimEffects({ limit: 100, now: at(59_999) })).toEqual([]);
      const b = await store.claimEffects({ limit: 100, leaseMs: 60_000, now: at(60_000) });
      expect(ids(b)).toEqual(all);
      expect(b.every((e, i) => e.attempts === 2 && e.leaseToken !== a[i]?.leaseToken)).toBe(true);
      const [stale, current] = [nth(a, 0), nth(b, 0)];
      await rejects(store.ackEffect(stale, { now: at(61_000) }), 'E_CONFLICT', 'lease');
      await rejects(store.failEffect(stale, { error: 'late', retryAt: at(70_000) }), 'E_CONFLICT', 'lease');
      await store.ackEffect(current, { now: at(61_000) });
      const [done] = await store.listEffects({ status: 'dispatched' });
      expect(done).toMatchObject({ id: current.id, status: 'dispatched', dispatchedAt: at(61_000).toISOString(), attempts: 2 });
      expect(done).not.toHaveProperty('leasedUntil');
      // A worker whose lease ran out but that nobody replaced may still settle.
      const late = nth(b, 1);
      await store.ackEffect(late, { now: at(500_000) });
      expect((await store.listEffects({ status: 'dispatched' })).map((e) => e.id)).toContain(late.id);
    });

    it('without `now` the store keeps time: leases, retries and stamps come from its own clock', async () => {
      const store = await fresh();
      const all = await enqueue(store, 'clock', 1);
      // Long enough that no stall of a busy machine outlasts it between two calls; the test waits it out once.
      const leaseMs = 2_000;
      const lease = await store.claimEffects({ limit: 100, leaseMs });
      expect(ids(lease)).toEqual(all);
      expect(await store.claimEffects({ limit: 100 })).toEqual([]);
      // The lease started when the store took it; a retry is timed from when the store records the failure, later still.
      const claimedAt = Date.parse(nth(lease, 0).leasedUntil) - leaseMs;
      await store.failEffect(nth(lease, 0), { error: 'try later', retryAfterMs: 60_000 });
      await store.ackEffect(nth(lease, 1));
      const [failed, acked] = await store.listEffects({ limit: 2 });
      // "Its own clock": now-ish (within a minute of the claim, however slow the machine), not the caller's or zero.
      const retryIn = Date.parse(failed?.nextAttemptAt ?? '') - claimedAt;
      expect(retryIn).toBeGreaterThanOrEqual(60_000);
      expect(retryIn).toBeLessThan(120_000);
      const ackedAfter = Date.parse(acked?.dispatchedAt ?? '') - claimedAt;
      expect(ackedAfter).toBeGreaterThanOrEqual(0);
      expect(ackedAfter).toBeLessThan(60_000);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, claimedAt + leaseMs + 100 - Date.now())));
      expect(ids(await store.claimEffects({ limit: 100 }))).toEqual(all.slice(2));
      // An explicit `now` is still the caller's time, for tests and simulations.
      const simulated = await store.claimEffects({ limit: 100, leaseMs: 1000, now: new Date(claimedAt + 130_000) });
      expect(ids(simulated)).toEqual(all.filter((id) => id !== acked?.id));
      expect(simulated.every((e) => e.leasedUntil === new Date(claimedAt + 131_000).toISOString())).toBe(true);
      await store.failEffect(nth(simulated, 0), { error: 'again', retryAfterMs: 5000, now: T });
      expect((await store.listEffects({ limit: 1 }))[0]).toMatchObject({ nextAttemptAt: at(5000).toISOString(), lastError: 'again' });
    });

    it('concurrent workers never hold the same entry', async () => {
      const store = await fresh();
      const all = await enqueue(store, 'race', 12);
      const held = new Map<string, number>();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (;;) {
            const batch = await store.claimEffects({ limit: 3, leaseMs: 600_000, now: T });
            if (batch.length === 0) return;
            for (const entry of batch) held.set(entry.id, (held.get(entry.id) ?? 0) + 1);
          }
        }),
      );
      expect([...held.keys()].sort()).toEqual([...all].sort());
      expect([...held.values()].every((n) => n === 1)).toBe(true);
    });

    it('four dispatchers drain the outbox together, each effect exactly once while leases hold', async () => {
      const store = await fresh();
      const all = await enqueue(store, 'workers', 10);
      const handled: string[] = [];
      const reports = await Promise.all(Array.from({ length: 4 }, () => dispatchEffects(store, (_effect, { entry }) => void handled.push(entry.id), { batchSize: 4, leaseMs: 600_000 })));
      expect(handled.sort()).toEqual([...all].sort());
      expect(reports.reduce((n, r) => n + r.dispatched, 0)).toBe(all.length);
      expect(await store.listEffects({ status: 'pending' })).toEqual([]);
    });

    it('fails with a retry time, dead-letters, requeues, releases and prunes', async () => {
      const store = await fresh();
      await enqueue(store, 'life', 1);
      const [entry] = await store.claimEffects({ limit: 1, now: T });
      if (entry === undefined) throw new Error('nothing claimed');
      await store.failEffect(entry, { error: 'Marketo answered 502', retryAt: at(10_000) });
      expect((await store.listEffects())[0]).toMatchObject({ id: entry.id, status: 'pending', attempts: 1, lastError: 'Marketo answered 502', nextAttemptAt: at(10_000).toISOString() });
      expect(ids(await store.claimEffects({ limit: 100, now: at(5_000) }))).not.toContain(entry.id);
      const [retry] = (await store.claimEffects({ limit: 100, leaseMs: 1000, now: at(10_000) })).filter((e) => e.id === entry.id);
      expect(retry).toMatchObject({ attempts: 2 });
      if (retry === undefined) throw new Error('not retried');
      await store.failEffect(retry, { error: 'x'.repeat(5000), dead: true, now: at(11_000) });
      const [dead] = await store.listEffects({ status: 'dead' });
      expect(dead).toMatchObject({ id: entry.id, status: 'dead', deadAt: at(11_000).toISOString(), attempts: 2 });
      expect(dead?.lastError).toHaveLength(2000);
      await rejects(store.ackEffect(retry), 'E_CONFLICT', 'lease');
      expect(ids(await store.claimEffects({ limit: 100, now: at(1e9) }))).not.toContain(entry.id);

      await store.requeueEffect(entry.id);
      await rejects(store.requeueEffect(entry.id), 'E_CONFLICT', 'status');
      await rejects(store.requeueEffect('no-such-entry'), 'E_NOT_FOUND');
      const [again] = await store.claimEffects({ limit: 1, now: at(2e9) });
      expect(again).toMatchObject({ id: entry.id, attempts: 1 });
      if (again === undefined) throw new Error('not requeued');
      await store.releaseEffect(again);
      await rejects(store.releaseEffect(again), 'E_CONFLICT', 'lease');
      const [back] = await store.claimEffects({ limit: 1, now: at(2e9) });
      expect(back).toMatchObject({ id: entry.id, attempts: 1 });
      if (back === undefined) throw new Error('not released');
      await store.ackEffect(back, { now: at(2e9) });
      await rejects(store.ackEffect(back), 'E_CONFLICT', 'lease');
      await rejects(store.ackEffect({ id: 'no-such-entry', leaseToken: 't' }), 'E_NOT_FOUND');

      const total = (await store.listEffects()).length;
      expect(await store.pruneEffects({ dispatchedBefore: at(2e9) })).toBe(0);
      expect(await store.pruneEffects({ dispatchedBefore: at(2e9 + 1) })).toBe(1);
      expect(await store.listEffects()).toHaveLength(total - 1);
    });

    it('an entry whose worker kept dying is dead-lettered once it used its attempts', async () => {
      const store = await fresh();
      const all = await enqueue(store, 'spent', 1);
      await store.claimEffects({ limit: 100, leaseMs: 1000, now: T, maxAttempts: 2 });
      await store.claimEffects({ limit: 100, leaseMs: 1000, now: at(1000), maxAttempts: 2 });
      expect(await store.claimEffects({ limit: 100, leaseMs: 1000, now: at(1500), maxAttempts: 2 })).toEqual([]);
      expect(await store.claimEffects({ limit: 100, leaseMs: 1000, now: at(2000), maxAttempts: 2 })).toEqual([]);
      const dead = await store.listEffects({ status: 'dead', limit: 1000 });
      expect(ids(dead)).toEqual(all);
      expect(dead.every((e) => e.attempts === 2 && e.lastError === LEASE_EXPIRED && e.deadAt === at(2000).toISOString())).toBe(true);
    });

    it('crash simulation: a worker dies after claiming, a handler throws mid-batch, the store drops an ack; nothing is lost', async () => {
      const store = await fresh();
      const all = await enqueue(store, 'crash', 3);
      // 1. A worker claims a batch and dies before acking anything.
      expect(await store.claimEffects({ limit: 4, leaseMs: 30_000, now: T })).toHaveLength(4);
      // 2. A restarted worker (before that lease ran out) has a handler that throws on its third effect.
      const handled: string[] = [];
      let calls = 0;
      const first = await dispatchEffects(
        store,
        (_effect, { entry }) => {
          if (++calls === 3) throw new Error('connector fell over');
          handled.push(entry.id);
        },
        { batchSize: 3, clock: () => at(1000), backoffMs: 60_000, jitter: 0 },
      );
      expect(first).toMatchObject({ retried: 1, dead: 0, dispatched: all.length - 5, aborted: false });
      // 3. After the dead worker's lease, a worker whose store connection drops on its second ack.
      let acks = 0;
      const flaky: EventStore = Object.assign(Object.create(store) as EventStore, {
        ackEffect: (claim: ClaimedEffect, options?: { now?: Date }) => (++acks === 2 ? Promise.reject(new HubspokeError('E_UPSTREAM', 'connection terminated')) : store.ackEffect(claim, options)),
      });
      await rejects(dispatchEffects(flaky, (_effect, { entry }) => void handled.push(entry.id), { clock: () => at(31_000) }), 'E_UPSTREAM');
      // 4. Once every lease and backoff has passed, a healthy worker finishes the job.
      const last = await dispatchEffects(store, (_effect, { entry }) => void handled.push(entry.id), { clock: () => at(120_000) });
      expect(last.dispatched).toBeGreaterThan(0);
      expect(await store.listEffects({ status: ['pending', 'dead'] })).toEqual([]);
      expect(new Set(handled)).toEqual(new Set(all));
      // At least once: only the effect whose ack was lost ran twice.
      expect(handled.length).toBe(all.length + 1);
    });

    it('bad input to the outbox API is E_VALIDATION with the path; injection strings are just data', async () => {
      const store = await fresh();
      const evil = hostileStrings[0] ?? '';
      await appendWithEffects(store, evil, makeEvents(evil, 2), 0);
      const approvals = service(store, 'evil');
      const { submissionId } = await approvals.submit(people.lena, fullSubmit);
      await approvals.comment(people.bea, submissionId, { text: hostileStrings.join(' '), mentions: [hostileStrings[1] ?? ''] });
      const before: OutboxEntry[] = await store.listEffects({ limit: 1000 });
      expect(before.some((e) => e.streamId === evil)).toBe(true);
      expect((await store.listEffects({ streamId: evil })).every((e) => e.streamId === evil)).toBe(true);
      expect(await store.listEffects({ streamId: "x' OR '1'='1" })).toEqual([]);

      await invalid(store.claimEffects({ limit: 0 }), 'options.limit');
      await invalid(store.claimEffects({ limit: '5; DROP TABLE approval_outbox' as never }), 'options.limit');
      await invalid(store.claimEffects({ leaseMs: Number.NaN }), 'options.leaseMs');
      await invalid(store.claimEffects({ now: 'yesterday' }), 'options.now');
      await invalid(store.claimEffects({ now: new Date('nope') }), 'options.now');
      await invalid(store.claimEffects({ maxAttempts: -1 }), 'options.maxAttempts');
      await invalid(store.claimEffects({ evil: true } as never), 'options.evil');
      await invalid(store.ackEffect(null as never), 'claim');
      await invalid(store.ackEffect({ id: 'x' } as never), 'claim.leaseToken');
      await invalid(store.ackEffect({ id: 'x', leaseToken: 't' }, { now: 'soon' as never }), 'options.now');
      await rejects(store.ackEffect({ id: "x' OR '1'='1", leaseToken: "' OR 1=1 --" }), 'E_NOT_FOUND');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x' }), 'failure.dead');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x', retryAt: T, dead: true }), 'failure.retryAt');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 42 as never, retryAt: T }), 'failure.error');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x', retryAt: T, retryAfterMs: 5 }), 'failure.retryAfterMs');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x', retryAfterMs: 5, dead: true }), 'failure.retryAfterMs');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x', retryAfterMs: -1 }), 'failure.retryAfterMs');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x', retryAfterMs: 1.5 }), 'failure.retryAfterMs');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x', retryAfterMs: '5; DROP TABLE approval_outbox' as never }), 'failure.retryAfterMs');
      await invalid(store.failEffect({ id: 'x', leaseToken: 't' }, { error: 'x', dead: false as never }), 'failure.dead');
      await invalid(store.releaseEffect({ id: '', leaseToken: 't' }), 'claim.id');
      await invalid(store.listEffects({ status: 'bogus' as never }), 'query.status');
      await invalid(store.listEffects({ limit: 1e9 }), 'query.limit');
      await invalid(store.requeueEffect(42 as never), 'id');
      await invalid(store.pruneEffects({} as never), 'options.dispatchedBefore');
      await invalid(store.pruneEffects({ dispatchedBefore: "'; DELETE FROM approval_outbox; --" }), 'options.dispatchedBefore');
      expect(await store.listEffects({ limit: 1000 })).toEqual(before);
    });
  });
}
