import { hybrid, isHubspokeError, type ApprovalEvent, type ErrorCode, type PrincipalInput, type WorkflowDefInput } from '@hubspoke/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovals } from '../approvals.js';
import { verifyAudit } from '../audit/hash-chain.js';
import { decide } from '../decide.js';
import { fold, initialState, STATE_FORMAT } from '../state.js';
import { summarize, type EventStore } from '../store/event-store.js';
import { directory, fullSubmit, people, standardWorkflow, textOnlySubmit } from './harness.js';
import { describeOutbox } from './outbox-conformance.js';

export interface OpenedStore {
  store: EventStore;
  /** Another empty store on the same database (its own tables), for tests that need it to themselves. */
  fresh(): Promise<EventStore>;
  close(): Promise<void>;
}

export async function rejects(promise: Promise<unknown>, code: ErrorCode, reason?: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isHubspokeError(error), `expected a HubspokeError ${code}, got ${String(error)}`).toBe(true);
  if (isHubspokeError(error)) {
    expect(error.code, error.message).toBe(code);
    if (reason !== undefined) expect(error.details.reason).toBe(reason);
  }
}

export const hostileStrings = ["'; DROP TABLE approval_events; --", 'Robert"); DELETE FROM approval_submissions; --', '$1 $2 \\x00', 'nul\u0000byte', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 🚀 \u202Eevil', '<script>alert(1)</script>', 'x'.repeat(9000)];

export function makeEvents(streamId: string, count: number, from = 0): ApprovalEvent[] {
  let state = initialState(streamId);
  let n = 0;
  const ctx = (principal: PrincipalInput) => ({ workflow: standardWorkflow, operatingModel: hybrid, principal, now: '2026-03-02T09:00:00Z', newId: () => `${streamId}-e${++n}`, directory });
  const first = decide(state, fullSubmit, ctx(people.lena));
  if (!first.ok) throw first.error;
  const events = [...first.events];
  state = first.state;
  while (events.length < from + count) {
    const r = decide(state, { type: 'comment', text: `note ${events.length}` }, ctx(people.bea));
    if (!r.ok) throw r.error;
    events.push(...r.events);
    state = r.state;
  }
  return events.slice(from, from + count);
}

const crowd: PrincipalInput[] = Array.from({ length: 32 }, (_, i) => ({ id: `reviewer-${i + 1}`, roles: ['regional-manager'], regions: ['EMEA'] }));
const crowdWorkflow = (rule: 'all' | 'quorum'): WorkflowDefInput => ({
  id: `crowd-${rule}`,
  version: 1,
  name: 'Everyone reviews',
  stages: [{ id: 'review', name: 'Review', reviewers: [{ role: 'regional-manager', region: 'submission' }], completion: rule === 'all' ? { rule: 'all' } : { rule: 'quorum', n: 3 } }],
});

/** The behaviour every EventStore must show; run against the memory store, PGlite and PostgreSQL. */
export function describeEventStore(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name}: EventStore conformance`, () => {
    let opened: OpenedStore;
    let store: EventStore;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened.close();
    });

    const append = (streamId: string, events: ApprovalEvent[], expectedVersion = events[0] === undefined ? 0 : events[0].seq - 1, key?: string) =>
      store.append({
        streamId,
        expectedVersion,
        events,
        summary: summarize(fold(events, initialState(streamId))),
        ...(key === undefined ? {} : { idempotency: { key, requestHash: `hash-${key}` } }),
      });

    it('reads back exactly what was appended, hostile text included', async () => {
      const events = makeEvents('s-roundtrip', 4);
      const hostile = events.map((e, i) => (i === 0 ? e : { ...e, data: { ...e.data, text: hostileStrings[i % hostileStrings.length] } }));
      await append('s-roundtrip', hostile);
      expect(await store.read('s-roundtrip')).toEqual(hostile);
      expect(await store.read('s-roundtrip', 2)).toEqual(hostile.slice(2));
      expect(await store.read('no-such-stream')).toEqual([]);
      const stranger = hostileStrings[0] ?? '';
      await append(stranger, makeEvents(stranger, 2));
      expect((await store.read(stranger)).map((e) => e.streamId)).toEqual([stranger, stranger]);
    });

    it('keeps each event as the exact text the MAC covers, with its MAC, and pages through it', async () => {
      const events = makeEvents('s-stored', 5).map((e, i) => (i === 1 ? { ...e, data: { ...e.data, text: hostileStrings[6] } } : e));
      const macs = events.map((_, i) => `k1:${String(i).repeat(64).slice(0, 64)}`);
      await store.append({ streamId: 's-stored', expectedVersion: 0, events, summary: summarize(fold(events, initialState('s-stored'))), macs: macs.slice(0, 5) });
      const stored = await store.readStored('s-stored');
      expect(stored).toEqual(events.map((e, i) => ({ seq: e.seq, body: JSON.stringify(e), mac: macs[i] })));
      expect(await store.readStored('s-stored', 1, 2)).toEqual(stored.slice(1, 3));
      expect(await store.readStored('s-stored', 4, 10)).toEqual(stored.slice(4));
      const unsealed = makeEvents('s-unsealed', 1);
      await append('s-unsealed', unsealed);
      expect(await store.readStored('s-unsealed')).toEqual([{ seq: 1, body: JSON.stringify(unsealed[0]) }]);
      await rejects(store.append({ streamId: 's-x', expectedVersion: 0, events: makeEvents('s-x', 2), summary: summarize(initialState('s-x')), macs: ['k1:x'] }), 'E_VALIDATION');
    });

    it('refuses an append at a stale or future version with E_CONFLICT and keeps the stream intact', async () => {
      const events = makeEvents('s-conflict', 3);
      await append('s-conflict', events.slice(0, 2));
      await rejects(append('s-conflict', events.slice(0, 1), 0), 'E_CONFLICT', 'version');
      await rejects(store.append({ streamId: 's-conflict', expectedVersion: 5, events: events.slice(2).map((e) => ({ ...e, seq: 6 })), summary: summarize(initialState('s-conflict')) }), 'E_CONFLICT', 'version');
      expect(await store.read('s-conflict')).toEqual(events.slice(0, 2));
      await append('s-conflict', events.slice(2));
      expect(await store.read('s-conflict')).toEqual(events);
    });

    it('rejects events that do not continue the stream (E_VALIDATION)', async () => {
      const events = makeEvents('s-gap', 3);
      await rejects(store.append({ streamId: 's-gap', expectedVersion: 0, events: events.filter((_, i) => i !== 1), summary: summarize(initialState('s-gap')) }), 'E_VALIDATION');
      await rejects(store.append({ streamId: 'other', expectedVersion: 0, events: events.slice(0, 1), summary: summarize(initialState('other')) }), 'E_VALIDATION');
      await rejects(store.append({ streamId: 's-gap', expectedVersion: 0, events: [], summary: summarize(initialState('s-gap')) }), 'E_VALIDATION');
      expect(await store.read('s-gap')).toEqual([]);
    });

    it('records idempotency keys once, across streams', async () => {
      const a = makeEvents('s-idem-a', 2);
      await append('s-idem-a', a, 0, 'key-1');
      expect(await store.findIdempotency('key-1')).toEqual({ key: 'key-1', streamId: 's-idem-a', firstSeq: 1, lastSeq: 2, requestHash: 'hash-key-1' });
      await rejects(append('s-idem-b', makeEvents('s-idem-b', 1), 0, 'key-1'), 'E_CONFLICT', 'idempotency');
      expect(await store.read('s-idem-b')).toEqual([]);
      expect(await store.findIdempotency('missing')).toBeUndefined();
    });

    it('keeps the newest snapshot per stream', async () => {
      const state = fold(makeEvents('s-snap', 3));
      await store.saveSnapshot({ streamId: 's-snap', seq: 3, format: STATE_FORMAT, state });
      await store.saveSnapshot({ streamId: 's-snap', seq: 2, format: STATE_FORMAT, state: initialState('s-snap') });
      expect(await store.loadSnapshot('s-snap')).toEqual({ streamId: 's-snap', seq: 3, format: STATE_FORMAT, state });
      expect(await store.loadSnapshot('none')).toBeUndefined();
    });

    it('lists submissions by status, assignee and workflow, newest first, with paging', async () => {
      const service = createApprovals({ store, workflows: [standardWorkflow], operatingModel: hybrid, directory, ids: counter('list') });
      let minute = 10;
      const at = () => new Date(`2026-04-01T10:${String(minute++).padStart(2, '0')}:00Z`);
      const timed = createApprovals({ store, workflows: [standardWorkflow], operatingModel: hybrid, directory, ids: counter('lst'), clock: at });
      const a = await timed.submit(people.lena, { ...fullSubmit, submissionId: 'list-a' });
      const b = await timed.submit(people.lena, { ...textOnlySubmit, submissionId: 'list-b' });
      await timed.decide(people.rita, 'list-b', { decision: 'changesRequired' });
      const mine = await store.list({ assignee: 'bea', status: 'inReview', workflowId: 'standard' });
      expect(mine.map((s) => s.submissionId)).toContain(a.submissionId);
      expect(mine.map((s) => s.submissionId)).not.toContain(b.submissionId);
      expect((await store.list({ status: 'returned' })).map((s) => s.submissionId)).toContain('list-b');
      const all = await store.list({ status: ['inReview', 'returned'], limit: 1000 });
      expect(all.map((s) => s.updatedAt)).toEqual([...all.map((s) => s.updatedAt)].sort().reverse());
      const [first, second] = await Promise.all([store.list({ limit: 1 }), store.list({ limit: 1, offset: 1 })]);
      expect(first).toHaveLength(1);
      expect(first[0]?.submissionId).not.toBe(second[0]?.submissionId);
      expect(await store.list({ assignee: "x' OR '1'='1" })).toEqual([]);
      expect((await store.list({ draftId: fullSubmit.draftId, limit: 1000 })).map((s) => s.draftId)).toEqual(expect.arrayContaining([fullSubmit.draftId]));
      expect(await store.list({ draftId: "x' OR '1'='1" })).toEqual([]);
      await rejects(store.list({ limit: 0 }), 'E_VALIDATION');
      await rejects(store.list({ status: 'bogus' as never }), 'E_VALIDATION');
      expect(service).toBeDefined();
    });

    it('runs a submission end to end and verifies its stored history', async () => {
      const service = createApprovals({ store, workflows: [standardWorkflow], operatingModel: hybrid, directory, ids: counter('e2e'), snapshotEvery: 3 });
      const { submissionId } = await service.submit(people.lena, fullSubmit);
      await service.decide(people.bea, submissionId, { decision: 'approved' });
      await service.comment(people.lee, submissionId, { text: hostileStrings[1] ?? '' });
      await service.decide(people.lee, submissionId, { decision: 'approved' });
      await service.decide(people.rita, submissionId, { decision: 'approved' });
      const last = await service.decide(people.raj, submissionId, { decision: 'approved' });
      expect(last.state.status).toBe('approved');
      expect(await store.loadSnapshot(submissionId)).toMatchObject({ format: STATE_FORMAT });
      const status = await service.status(people.ada, submissionId);
      expect(status).toEqual(fold(await store.read(submissionId)));
      expect(await service.verify(people.ada, submissionId)).toMatchObject({ ok: true, count: status.seq });
    });

    it('answers a retried command with its first result and appends nothing', async () => {
      const service = createApprovals({ store, workflows: [standardWorkflow], operatingModel: hybrid, directory, ids: counter('idem') });
      const first = await service.submit(people.lena, { ...fullSubmit, idempotencyKey: 'submit-once' });
      const again = await service.submit(people.lena, { ...fullSubmit, idempotencyKey: 'submit-once' });
      expect(again).toMatchObject({ replayed: true, submissionId: first.submissionId, events: first.events, effects: first.effects });
      expect(await store.read(first.submissionId)).toEqual(first.events);
      const decision = await service.decide(people.bea, first.submissionId, { decision: 'approved', idempotencyKey: 'bea-1' });
      const retried = await service.decide(people.bea, first.submissionId, { decision: 'approved', idempotencyKey: 'bea-1' });
      expect(retried.events).toEqual(decision.events);
      expect(retried.state).toEqual(decision.state);
      await rejects(service.decide(people.bea, first.submissionId, { decision: 'changesRequired', idempotencyKey: 'bea-1' }), 'E_CONFLICT', 'idempotency');
      const concurrent = await Promise.all(Array.from({ length: 5 }, () => service.comment(people.lee, first.submissionId, { text: 'same', idempotencyKey: 'c-1' })));
      expect(new Set(concurrent.map((r) => r.events[0]?.id)).size).toBe(1);
      expect((await store.read(first.submissionId)).filter((e) => e.type === 'comment.added')).toHaveLength(1);
    });

    it('32 concurrent reviewers: no lost or duplicated event, state equals a serial replay', async () => {
      const service = createApprovals({ store, workflows: [crowdWorkflow('all')], operatingModel: hybrid, directory: [...crowd, people.lena], ids: counter('crowd'), snapshotEvery: 7 });
      const ids = await Promise.all([1, 2, 3].map(async (i) => (await service.submit(people.lena, { ...textOnlySubmit, submissionId: `crowd-${i}` })).submissionId));
      const results = await Promise.all(ids.flatMap((id) => crowd.map((reviewer) => service.decide(reviewer, id, { decision: 'approved' }))));
      const retries = results.reduce((n, r) => n + r.retries, 0);
      for (const id of ids) {
        const events = await store.read(id);
        expect(verifyAudit(events).ok).toBe(true);
        expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        const decided = events.filter((e) => e.type === 'decision.made').map((e) => e.actor.id);
        expect(decided.sort()).toEqual(crowd.map((p) => p.id).sort());
        const replayed = fold(events);
        expect(replayed.status).toBe('approved');
        expect(await service.status(people.lena, id)).toEqual(replayed);
      }
      expect(retries).toBeGreaterThanOrEqual(0);
    });

    it('32 concurrent reviewers on a quorum of 3: exactly 3 decisions land, the rest are told the review is over', async () => {
      const service = createApprovals({ store, workflows: [crowdWorkflow('quorum')], operatingModel: hybrid, directory: [...crowd, people.lena], ids: counter('quorum') });
      const { submissionId } = await service.submit(people.lena, textOnlySubmit);
      const settled = await Promise.allSettled(crowd.map((reviewer) => service.decide(reviewer, submissionId, { decision: 'approved' })));
      const ok = settled.filter((s) => s.status === 'fulfilled');
      const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(ok).toHaveLength(3);
      expect(refused.every((r) => isHubspokeError(r.reason, 'E_CONFLICT'))).toBe(true);
      const events = await store.read(submissionId);
      expect(events.filter((e) => e.type === 'decision.made')).toHaveLength(3);
      expect(fold(events).status).toBe('approved');
    });

    describeOutbox(() => opened.fresh());
  });
}

export function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
