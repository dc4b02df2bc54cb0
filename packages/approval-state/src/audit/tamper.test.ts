/**
 * Tampering done the way someone with database access would do it: statements run directly
 * against the tables (PGlite and, with HUBSPOKE_TEST_PG_URL, a PostgreSQL server), then
 * `verify()` must name the first bad event, `status()` must not serve forged state, and no
 * command may build on a damaged history.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hybrid, isHubspokeError, type ApprovalEvent, type SqlClient } from '@hubspoke/core';
import { scratchDatabase } from '@hubspoke/core/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovals, type Approvals } from '../approvals.js';
import { directory, fullSubmit, people } from '../__fixtures__/harness.js';
import { counter, rejects } from '../__fixtures__/store-conformance.js';
import { standardWorkflow } from '../__fixtures__/harness.js';
import { SqlEventStore } from '../store/sql-store.js';
import { freshPGlite } from '../__fixtures__/lite.js';
import { FileCheckpointStore } from './checkpoints.js';
import { hashEvent } from './hash-chain.js';
import { AuditKeyring, generateAuditKeys } from './keys.js';
import { eventMac, verifyTrail } from './trail.js';

const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;
const generated = generateAuditKeys('k1');
const keys = generated.macKey;

interface Row {
  seq: number;
  body: string;
  mac: string | null;
}

function describeTampering(name: string, open: () => Promise<{ client: SqlClient; close(): Promise<void> }>): void {
  describe(`${name}: tampering in SQL is detected and named`, () => {
    let client: SqlClient;
    let close: () => Promise<void>;
    let folder: string;
    let approvals: Approvals;
    let plain: Approvals;
    let n = 0;

    beforeAll(async () => {
      const opened = await open();
      client = opened.client;
      close = () => opened.close();
      folder = await mkdtemp(join(tmpdir(), 'hubspoke-checkpoints-'));
      const store = await SqlEventStore.open(client);
      approvals = createApprovals({
        store,
        workflows: [standardWorkflow],
        operatingModel: hybrid,
        directory,
        ids: counter('t'),
        snapshotEvery: 4,
        audit: { keys, checkpoints: new FileCheckpointStore(folder), signingKey: generated.signingKey },
      });
      // The same tables without audit keys: what the hash chain alone catches.
      plain = createApprovals({
        store: await SqlEventStore.open(client, { tablePrefix: 'plain_' }),
        workflows: [standardWorkflow],
        operatingModel: hybrid,
        directory,
        ids: counter('p'),
        snapshotEvery: 4,
      });
    });
    afterAll(async () => {
      await close();
      await rm(folder, { recursive: true, force: true });
    });

    /** A submission taken all the way to approval: 13 events in 6 commands, snapshots at 5, 9 and 13, a checkpoint per command. */
    async function approved(service = approvals): Promise<{ id: string; events: ApprovalEvent[] }> {
      const id = `sub-${++n}`;
      await service.submit(people.lena, { ...fullSubmit, submissionId: id });
      await service.decide(people.bea, id, { decision: 'approved' });
      await service.comment(people.lee, id, { text: 'Footnote 2 needs the date' });
      await service.decide(people.lee, id, { decision: 'approved' });
      await service.decide(people.rita, id, { decision: 'approved' });
      await service.decide(people.raj, id, { decision: 'approved' });
      const events = await service.history(people.ada, id);
      expect(events.at(-1)?.type).toBe('submission.approved');
      expect(await service.verify(people.ada, id)).toMatchObject({ ok: true, count: events.length });
      return { id, events };
    }

    const rows = async (id: string, table = 'approval_events'): Promise<Row[]> =>
      (await client.query(`SELECT seq, body, mac FROM ${table} WHERE stream_id = $1 ORDER BY seq`, [id]))
        .rows as unknown as Row[];
    const seqOf = (events: ApprovalEvent[], predicate: (e: ApprovalEvent) => boolean) => {
      const event = events.find(predicate);
      if (event === undefined) throw new Error('no such event');
      return event;
    };
    const ritaDecision = (events: ApprovalEvent[]) =>
      seqOf(events, (e) => e.type === 'decision.made' && e.actor.id === 'rita');

    it('a truncated tail (the approval deleted) is named by the checkpoint, and nothing builds on it', async () => {
      const { id, events } = await approved();
      const total = events.length;
      await client.query('DELETE FROM approval_events WHERE stream_id = $1 AND seq > $2', [id, total - 3]);
      const report = await approvals.verify(people.ada, id);
      expect(report).toMatchObject({ ok: false, problem: 'truncated', seq: total - 2, through: total });
      if (!report.ok) expect(report.message).toContain(events.at(-1)?.id);
      await rejects(approvals.status(people.ada, id), 'E_CONFLICT', 'tampered');
      await rejects(approvals.comment(people.lee, id, { text: 'launder' }), 'E_CONFLICT', 'tampered');
      expect(await rows(id)).toHaveLength(total - 3);
    });

    it('a decision re-attributed to someone else, with every later hash recomputed, is named', async () => {
      const { id, events } = await approved();
      const target = ritaDecision(events);
      // What a careful attacker does: rewrite the event and re-hash the chain after it.
      let prevHash = events[target.seq - 2]?.hash ?? '';
      for (const row of (await rows(id)).filter((r) => r.seq >= target.seq)) {
        const event = JSON.parse(row.body) as ApprovalEvent;
        if (event.seq === target.seq) event.actor = { id: 'rex', roles: ['regional-manager'] };
        event.prevHash = prevHash;
        event.hash = hashEvent(event);
        prevHash = event.hash;
        await client.query('UPDATE approval_events SET body = $3 WHERE stream_id = $1 AND seq = $2', [
          id,
          row.seq,
          JSON.stringify(event),
        ]);
      }
      expect(await approvals.verify(people.ada, id)).toMatchObject({
        ok: false,
        problem: 'mac-mismatch',
        seq: target.seq,
        eventId: target.id,
      });
      await rejects(approvals.history(people.ada, id), 'E_CONFLICT', 'tampered');
      // Without keys the rewrite is consistent, which is why the MAC is there.
      const unkeyed = await approved(plain);
      expect((await plain.verify(people.ada, unkeyed.id)).ok).toBe(true);
    });

    it('an edited event is named', async () => {
      const { id, events } = await approved();
      const target = ritaDecision(events);
      await client.query(
        `UPDATE approval_events SET body = replace(body, '"decision":"approved"', '"decision":"rejected"') WHERE stream_id = $1 AND seq = $2`,
        [id, target.seq],
      );
      expect(await approvals.verify(people.ada, id)).toMatchObject({
        ok: false,
        problem: 'mac-mismatch',
        seq: target.seq,
        eventId: target.id,
      });
      // The snapshot at seq 13 is sealed and predates the edit, so status() still serves the recorded decision.
      const state = await approvals.status(people.ada, id);
      expect(state.stages.find((s) => s.id === 'regional')?.decisions.rita?.decision).toBe('approved');
    });

    it('a deletion from the middle is named, also when the later events are renumbered to close the gap', async () => {
      const { id } = await approved();
      await client.query('DELETE FROM approval_events WHERE stream_id = $1 AND seq = 5', [id]);
      expect(await approvals.verify(people.ada, id)).toMatchObject({ ok: false, problem: 'missing', seq: 5 });
      await client.query('UPDATE approval_events SET seq = seq - 1 WHERE stream_id = $1 AND seq > 5', [id]);
      expect(await approvals.verify(people.ada, id)).toMatchObject({ ok: false, problem: 'mac-mismatch', seq: 5 });
    });

    it('two swapped events are named', async () => {
      const { id, events } = await approved();
      for (const [from, to] of [
        [6, -1],
        [7, 6],
        [-1, 7],
      ] as const)
        await client.query('UPDATE approval_events SET seq = $3 WHERE stream_id = $1 AND seq = $2', [id, from, to]);
      expect(await approvals.verify(people.ada, id)).toMatchObject({
        ok: false,
        problem: 'mac-mismatch',
        seq: 6,
        eventId: events[6]?.id,
      });
    });

    it('a corrupt payload (not JSON) is a tamper by event, never a raw SyntaxError', async () => {
      const { id } = await approved();
      await client.query(`UPDATE approval_events SET body = '{"id": "broken' WHERE stream_id = $1 AND seq = 13`, [id]);
      const report = await approvals.verify(people.ada, id);
      expect(report).toMatchObject({ ok: false, problem: 'mac-mismatch', seq: 13 });
      if (!report.ok) expect(report.message).toMatch(/not JSON/);
      for (const call of [() => approvals.status(people.ada, id), () => approvals.history(people.ada, id)]) {
        const error: unknown = await call().catch((e: unknown) => e);
        expect(isHubspokeError(error, 'E_CONFLICT')).toBe(true);
        if (isHubspokeError(error)) expect(error.details).toMatchObject({ reason: 'tampered', seq: 13 });
      }
      // Without keys: the same corruption is reported as invalid at that event.
      const unkeyed = await approved(plain);
      await client.query(`UPDATE plain_events SET body = 'not json' WHERE stream_id = $1 AND seq = 13`, [unkeyed.id]);
      expect(await plain.verify(people.ada, unkeyed.id)).toMatchObject({ ok: false, problem: 'invalid', seq: 13 });
      await rejects(plain.history(people.ada, unkeyed.id), 'E_CONFLICT', 'tampered');
    });

    it('an edited snapshot is ignored by status() and reported by verify()', async () => {
      const { id } = await approved();
      const [snapshot] = (await client.query('SELECT seq FROM approval_snapshots WHERE stream_id = $1', [id])).rows as {
        seq: number;
      }[];
      expect(snapshot?.seq).toBe(13);
      await client.query(
        `UPDATE approval_snapshots SET state = replace(state, 'sha256:aaa', 'sha256:forged') WHERE stream_id = $1`,
        [id],
      );
      const state = await approvals.status(people.ada, id);
      expect(state.approvedContentHash).toBe('sha256:aaa');
      expect(await approvals.verify(people.ada, id)).toMatchObject({
        ok: false,
        problem: 'snapshot-mismatch',
        seq: 13,
      });
      // Without keys, verify() refolds and compares.
      const unkeyed = await approved(plain);
      await client.query(
        `UPDATE plain_snapshots SET state = replace(state, 'sha256:aaa', 'sha256:forged') WHERE stream_id = $1`,
        [unkeyed.id],
      );
      expect(await plain.verify(people.ada, unkeyed.id)).toMatchObject({ ok: false, problem: 'snapshot-mismatch' });
    });

    it('a rewrite by someone who also holds the MAC key is caught by the checkpoints and narrowed to one command', async () => {
      const { id, events } = await approved();
      const target = ritaDecision(events);
      const ring = AuditKeyring.from(keys);
      const stored = await rows(id);
      let prevHash = events[target.seq - 2]?.hash ?? '';
      let prevMac = stored[target.seq - 2]?.mac ?? '';
      for (const row of stored.filter((r) => r.seq >= target.seq)) {
        const event = JSON.parse(row.body) as ApprovalEvent;
        if (event.seq === target.seq) event.actor = { id: 'rex', roles: ['regional-manager'] };
        event.prevHash = prevHash;
        event.hash = hashEvent(event);
        const body = JSON.stringify(event);
        const mac = eventMac(ring, 'k1', id, row.seq, prevMac, body);
        [prevHash, prevMac] = [event.hash, mac];
        await client.query('UPDATE approval_events SET body = $3, mac = $4 WHERE stream_id = $1 AND seq = $2', [
          id,
          row.seq,
          body,
          mac,
        ]);
      }
      expect(await approvals.verify(people.ada, id)).toMatchObject({
        ok: false,
        problem: 'checkpoint-mismatch',
        seq: target.seq,
        eventId: target.id,
      });
      await rejects(approvals.status(people.ada, id), 'E_CONFLICT', 'tampered');
    });

    it('exports the history with its checkpoints; the export verifies elsewhere and shows the same tamper', async () => {
      const { id, events } = await approved();
      const trail = await approvals.exportAudit(people.ada, id);
      expect(trail.records).toHaveLength(events.length);
      expect(trail.checkpoints?.length).toBe(6);
      const options = { keys, publicKeys: [generated.publicKey] };
      expect(verifyTrail(JSON.parse(JSON.stringify(trail)) as typeof trail, options)).toMatchObject({
        ok: true,
        count: events.length,
        unanchored: 0,
        checkpoint: { seq: events.length },
      });
      await client.query('DELETE FROM approval_events WHERE stream_id = $1 AND seq = $2', [id, events.length]);
      const cut = await approvals.exportAudit(people.ada, id);
      expect(verifyTrail(cut, options)).toMatchObject({ ok: false, problem: 'truncated', seq: events.length });
    });
  });
}

describeTampering('PGlite', async () => {
  const db = await freshPGlite();
  return { client: db, close: () => db.close() };
});

describe.skipIf(!pgUrl)('PostgreSQL server (needs HUBSPOKE_TEST_PG_URL)', () => {
  describeTampering('PostgreSQL', async () => {
    const db = await scratchDatabase(pg, pgUrl);
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    return {
      client: pool,
      close: async () => {
        await pool.end();
        await db.drop();
      },
    };
  });
});
