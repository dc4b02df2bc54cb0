import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { hybrid, type SqlClient } from '@hubspoke/core';
import { scratchDatabase } from '@hubspoke/core/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApprovals } from '../approvals.js';
import { dispatchEffects } from '../dispatch.js';
import { counter, describeEventStore, makeEvents, rejects } from '../__fixtures__/store-conformance.js';
import { directory, fullSubmit, people, standardWorkflow } from '../__fixtures__/harness.js';
import { MIGRATIONS } from './migrations.js';
import { SqlEventStore } from './sql-store.js';
import { toStoreError } from './sql-errors.js';
import { freshPGlite } from '../__fixtures__/lite.js';

const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;

/** Fresh stores on one database: each gets its own table prefix. */
function prefixes(client: SqlClient): () => Promise<SqlEventStore> {
  let n = 0;
  return () => SqlEventStore.open(client, { tablePrefix: `fresh${++n}_` });
}

// One embedded database for the file (starting one takes seconds on a busy machine); each suite uses its own
// table prefix. The last test closes it.
let lite: PGlite;
beforeAll(async () => {
  lite = await freshPGlite();
});
afterAll(async () => {
  if (!lite.closed) await lite.close();
});

describeEventStore('PGlite (in memory)', async () => ({
  store: await SqlEventStore.open(lite, { tablePrefix: 'conformance_' }),
  fresh: prefixes(lite),
  close: () => Promise.resolve(),
}));

describe.skipIf(!pgUrl)('PostgreSQL server (needs HUBSPOKE_TEST_PG_URL)', () => {
  describeEventStore('PostgreSQL', async () => {
    const db = await scratchDatabase(pg, pgUrl);
    const pool = new pg.Pool({ connectionString: db.url, max: 8 });
    return {
      store: await SqlEventStore.open(pool),
      fresh: prefixes(pool),
      close: async () => {
        await pool.end();
        await db.drop();
      },
    };
  });

  it('two processes migrating at once both succeed', async () => {
    const db = await scratchDatabase(pg, pgUrl);
    const pools = [new pg.Pool({ connectionString: db.url }), new pg.Pool({ connectionString: db.url })];
    try {
      const applied = await Promise.all(pools.map((p) => new SqlEventStore(p).migrate()));
      expect(applied.flat().length).toBeGreaterThanOrEqual(1);
      const { rows } = await pools[0]!.query('SELECT version FROM approval_migrations');
      expect(rows.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await db.drop();
    }
  });

  it('workers whose clocks disagree never hold the same entry: without `now`, the database clock times leases and retries', async () => {
    const db = await scratchDatabase(pg, pgUrl);
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    /** Runs `work` as a worker whose clock is `offsetMs` off (PGlite would share it: it runs in this process). */
    const skewed = async <T>(offsetMs: number, work: () => Promise<T>): Promise<T> => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + offsetMs });
      try {
        return await work();
      } finally {
        vi.useRealTimers();
      }
    };
    const dbNow = async () => {
      const { rows } = await pool.query<{ now: Date }>('SELECT statement_timestamp() AS now');
      return rows[0]?.now.getTime() ?? Number.NaN;
    };
    const tenMinutes = 600_000;
    try {
      const store = await SqlEventStore.open(pool, { tablePrefix: 'skew_' });
      const approvals = createApprovals({
        store,
        workflows: [standardWorkflow],
        operatingModel: hybrid,
        directory,
        ids: counter('skew'),
      });
      await approvals.submit(people.lena, fullSubmit);
      const all = (await store.listEffects()).map((e) => e.id);

      // Worker A's clock is ten minutes slow: by it, the 60 s lease it takes ended long ago.
      const before = await dbNow();
      const held = await skewed(-tenMinutes, () => store.claimEffects({ limit: 100, leaseMs: 60_000 }));
      const after = await dbNow();
      expect(held.map((e) => e.id)).toEqual(all);
      for (const { leasedUntil } of held) {
        expect(Date.parse(leasedUntil)).toBeGreaterThanOrEqual(before + 60_000);
        expect(Date.parse(leasedUntil)).toBeLessThanOrEqual(after + 60_000);
      }
      // Worker B's clock is ten minutes fast: by it, A's lease is over. The database says otherwise.
      expect(await skewed(tenMinutes, () => store.claimEffects({ limit: 100 }))).toEqual([]);
      expect(await skewed(tenMinutes, () => dispatchEffects(store, () => undefined))).toMatchObject({
        batches: 0,
        dispatched: 0,
      });

      // A retry after 1 s is due 1 s after the database's now, whatever the failing worker's clock says.
      const [first] = held;
      if (first === undefined) throw new Error('nothing claimed');
      const failedFrom = await dbNow();
      await skewed(tenMinutes, () => store.failEffect(first, { error: 'Asana 503', retryAfterMs: 1000 }));
      const failedBy = await dbNow();
      const retryAt = Date.parse((await store.listEffects({ limit: 1 }))[0]?.nextAttemptAt ?? '');
      expect(retryAt).toBeGreaterThanOrEqual(failedFrom + 1000);
      expect(retryAt).toBeLessThanOrEqual(failedBy + 1000);

      // An explicit `now` is still the caller's: a simulation an hour ahead takes every lease.
      const simulated = await store.claimEffects({ limit: 100, now: new Date(after + 3_600_000) });
      expect(simulated.map((e) => e.id)).toEqual(all);
    } finally {
      vi.useRealTimers();
      await pool.end();
      await db.drop();
    }
  });

  it('reports wrong credentials as E_AUTH and a missing database as E_NOT_FOUND', async () => {
    const wrongPassword = new URL(pgUrl ?? '');
    wrongPassword.password = 'definitely-wrong';
    const pool = new pg.Pool({ connectionString: wrongPassword.toString() });
    await rejects(SqlEventStore.open(pool), 'E_AUTH');
    await pool.end();
    const missing = new URL(pgUrl ?? '');
    missing.pathname = '/hubspoke_no_such_database';
    const other = new pg.Pool({ connectionString: missing.toString() });
    await rejects(SqlEventStore.open(other), 'E_NOT_FOUND');
    await other.end();
  });
});

describe('PGlite in a folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubspoke-approval-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps submissions across restarts and migrates once', async () => {
    const first = await freshPGlite(dir);
    const store = await SqlEventStore.open(first);
    const approvals = createApprovals({
      store,
      workflows: [standardWorkflow],
      operatingModel: hybrid,
      directory,
      ids: counter('folder'),
    });
    const { submissionId, events } = await approvals.submit(people.lena, fullSubmit);
    await first.close();

    const second = new PGlite(dir);
    const reopened = new SqlEventStore(second);
    expect(await reopened.migrate()).toEqual([]);
    expect(await reopened.read(submissionId)).toEqual(events);
    await second.close();
  });
});

describe('schema upgrades', () => {
  it('a database from before the outbox migrates to it, keeps its history and does not replay old effects', async () => {
    const db = lite;
    const v1 = MIGRATIONS.find((m) => m.version === 1);
    await db.query(
      'CREATE TABLE old_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)',
    );
    for (const statement of v1?.statements('old_') ?? []) await db.query(statement);
    await db.query(
      "INSERT INTO old_migrations VALUES (1, 'events, idempotency keys, submissions, snapshots', '2026-01-01T00:00:00Z')",
    );
    const old = new SqlEventStore(db, { tablePrefix: 'old_' });
    // Before migrating there is no outbox table: the append (events and effects in one statement) fails whole.
    const early = createApprovals({
      store: old,
      workflows: [standardWorkflow],
      operatingModel: hybrid,
      directory,
      ids: counter('v1'),
    });
    await rejects(early.submit(people.lena, { ...fullSubmit, submissionId: 'too-early' }), 'E_NOT_FOUND');
    expect((await db.query("SELECT 1 FROM old_events WHERE stream_id = 'too-early'")).rows).toEqual([]);
    // History written by the version 1 code.
    for (const e of makeEvents('legacy', 2))
      await db.query(
        'INSERT INTO old_events (stream_id, seq, event_id, type, at, body) VALUES ($1, $2, $3, $4, $5, $6)',
        [e.streamId, e.seq, e.id, e.type, e.at, JSON.stringify(e)],
      );

    expect(await old.migrate()).toEqual([2, 3]);
    expect(await old.read('legacy')).toHaveLength(2);
    expect(await old.listEffects()).toEqual([]);
    const approvals = createApprovals({
      store: old,
      workflows: [standardWorkflow],
      operatingModel: hybrid,
      directory,
      ids: counter('v2'),
    });
    const { effects } = await approvals.submit(people.lena, fullSubmit);
    expect((await old.listEffects()).map((e) => e.effect)).toEqual(effects);
  });
});

describe('SQL errors become clear HubspokeErrors', () => {
  it('missing tables are E_NOT_FOUND with a hint to migrate', async () => {
    const store = await SqlEventStore.open(lite, { tablePrefix: 'missing_', migrate: false });
    await rejects(store.read('x'), 'E_NOT_FOUND');
  });

  it('a refused connection is E_UPSTREAM and does not leak the password', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    const pool = new pg.Pool({
      connectionString: `postgres://app:s3cret-pw@127.0.0.1:${port}/x`,
      connectionTimeoutMillis: 2000,
    });
    const error: unknown = await SqlEventStore.open(pool).catch((e: unknown) => e);
    await pool.end();
    expect(error).toMatchObject({ code: 'E_UPSTREAM' });
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain('s3cret-pw');
  });

  it('a server that hangs up mid-handshake is E_UPSTREAM', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new pg.Client({ connectionString: `postgres://app:pw@127.0.0.1:${port}/x` });
    const store = new SqlEventStore({
      query: async (text, params) => {
        await client.connect();
        return client.query(text, params);
      },
    });
    await rejects(store.read('x'), 'E_UPSTREAM');
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  it('maps lock, serialization, timeout and unknown failures', () => {
    expect(toStoreError(Object.assign(new Error('could not obtain lock'), { code: '55P03' }), 'append')).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'locked' },
    });
    expect(toStoreError(Object.assign(new Error('serialize'), { code: '40001' }), 'append')).toMatchObject({
      code: 'E_CONFLICT',
    });
    expect(toStoreError(Object.assign(new Error('canceling statement'), { code: '57014' }), 'append').code).toBe(
      'E_TIMEOUT',
    );
    expect(toStoreError(new Error('weird'), 'append').code).toBe('E_UPSTREAM');
    expect(toStoreError('not even an error', 'append').code).toBe('E_UPSTREAM');
  });

  it('rejects an unsafe table prefix', () => {
    expect(() => new SqlEventStore(lite, { tablePrefix: 'x; DROP TABLE y' })).toThrow(/tablePrefix/);
  });

  it('refuses tables migrated by a newer version', async () => {
    const store = await SqlEventStore.open(lite, { tablePrefix: 'future_' });
    await lite.query(
      "INSERT INTO future_migrations (version, name, applied_at) VALUES (999, 'from the future', 'now')",
    );
    await rejects(store.migrate(), 'E_UNSUPPORTED');
  });

  // Last in the file: it closes the shared database.
  it('a closed PGlite is unreachable (E_UPSTREAM)', async () => {
    const store = await SqlEventStore.open(lite, { tablePrefix: 'closed_' });
    await lite.close();
    await rejects(store.read('x'), 'E_UPSTREAM');
  });
});
