import { parseDraft, type Draft, type SqlClient } from '@hubspoke/core';
import { scratchDatabase } from '@hubspoke/core/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, pgUrl } from '../__fixtures__/hubs.js';
import { openDatabase, type HubDatabase } from '../database.js';
import { openHub } from '../hub.js';
import { exampleDraft } from '../scaffold/scaffold.js';
import { HubStore } from './hub-store.js';

const draft = (overrides: Partial<Draft> = {}): Draft => parseDraft({ ...exampleDraft, ...overrides });

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/** A client that counts the statements reading the drafts table. */
function counting(sql: SqlClient): { sql: SqlClient; reads: () => number } {
  let reads = 0;
  return {
    sql: {
      query: (text, params) => {
        if (text.trim().startsWith('SELECT id, version')) reads++;
        return sql.query(text, params);
      },
    },
    reads: () => reads,
  };
}

describe('HubStore draft rows on an exclusive database (PGlite)', () => {
  let database: HubDatabase;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ database, cleanup } = await freshDatabase('pglite'));
  });
  afterAll(async () => {
    await cleanup();
  });

  it('reads a draft it wrote or read from memory, a copy of its own each time, and what every write changed', async () => {
    const client = counting(database.sql);
    const store = await HubStore.open(client.sql, { exclusive: true });
    await store.createDraft(draft({ id: 'kept' }), 'jo');
    const first = await store.getDraft('kept');
    expect(first?.version).toBe(1);
    expect(client.reads()).toBe(0); // written through
    first!.draft.name = 'changed by a caller';
    expect((await store.getDraft('kept'))?.draft.name).toBe(exampleDraft.name);

    const saved = await store.updateDraft(draft({ id: 'kept', name: 'Second' }), 1, 'jo');
    expect(saved.version).toBe(2);
    expect(await store.getDraft('kept')).toMatchObject({ version: 2, draft: { name: 'Second' } });
    expect(client.reads()).toBe(0);

    // A stale save still fails, naming the current version, and leaves the saved one readable.
    expect(await rejection(store.updateDraft(draft({ id: 'kept', name: 'Lost' }), 1, 'sam'))).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'stale', currentVersion: 2 },
    });
    expect(await store.getDraft('kept')).toMatchObject({ version: 2, draft: { name: 'Second' } });

    // A review moves the draft's status: the next read is of the database, and sees it.
    const reads = client.reads();
    await store.recordReview('kept', 's-1', 'inReview', 'jo');
    expect(await store.getDraft('kept')).toMatchObject({ version: 2, status: 'inReview', submissionId: 's-1' });
    expect(client.reads()).toBe(reads + 1);
    expect((await store.getDraft('kept'))?.status).toBe('inReview');
    expect(client.reads()).toBe(reads + 1);
  });

  it('shares the rows between stores on one client, so a write through one is what the other reads', async () => {
    const a = await HubStore.open(database.sql, { exclusive: true });
    const b = await HubStore.open(database.sql, { exclusive: true });
    await a.createDraft(draft({ id: 'shared' }), 'jo');
    expect((await b.getDraft('shared'))?.version).toBe(1);
    await b.updateDraft(draft({ id: 'shared', name: 'By b' }), 1, 'jo');
    expect(await a.getDraft('shared')).toMatchObject({ version: 2, draft: { name: 'By b' } });
    expect(await rejection(a.updateDraft(draft({ id: 'shared' }), 1, 'jo'))).toMatchObject({
      details: { reason: 'stale' },
    });
  });

  it('never keeps a row a read fetched while a save of the draft was running', async () => {
    const store = await HubStore.open(database.sql, { exclusive: true });
    await store.createDraft(draft({ id: 'racing' }), 'jo');
    await store.recordReview('racing', 's-2', 'returned', 'jo'); // forgets the row: the next read queries
    // The read is issued first, so it may see version 1; the save ends after it started.
    const [read, saved] = await Promise.all([
      store.getDraft('racing'),
      store.updateDraft(draft({ id: 'racing', name: 'Saved' }), 1, 'jo'),
    ]);
    expect(read?.version).toBeLessThanOrEqual(saved.version);
    expect(await store.getDraft('racing')).toMatchObject({ version: 2, draft: { name: 'Saved' } });
  });

  it('is what openHub uses on PGlite (and not on PostgreSQL: see below)', async () => {
    const hub = await openHub({ database, env: {} });
    const { store } = await hub.state();
    await store.createDraft(draft({ id: 'via-hub' }), 'jo');
    // A raw write bypasses the kept row: proof that the store reads from memory here.
    await database.sql.query(`UPDATE hub_drafts SET version = 9 WHERE id = 'via-hub'`);
    expect((await store.getDraft('via-hub'))?.version).toBe(1);
  });
});

describe.skipIf(pgUrl === undefined)('HubStore drafts on PostgreSQL, shared by instances', () => {
  let url: string;
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  const open: HubDatabase[] = [];
  beforeAll(async () => {
    scratch = await scratchDatabase(pg, pgUrl);
    url = scratch.url;
  });
  afterAll(async () => {
    for (const db of open) await db.close();
    await scratch.drop();
  });

  it('reads every draft from the database: a save by another instance is read at once, and a stale save fails', async () => {
    const instance = async () => {
      const db = await openDatabase({ kind: 'postgres', url });
      open.push(db);
      return (await (await openHub({ database: db, env: {} })).state()).store;
    };
    const a = await instance();
    const b = await instance();
    await a.createDraft(draft({ id: 'pg-shared' }), 'jo');
    expect((await a.getDraft('pg-shared'))?.version).toBe(1);
    await b.updateDraft(draft({ id: 'pg-shared', name: 'By b' }), 1, 'jo');
    expect(await a.getDraft('pg-shared')).toMatchObject({ version: 2, draft: { name: 'By b' } });
    expect(await rejection(a.updateDraft(draft({ id: 'pg-shared', name: 'Stale' }), 1, 'jo'))).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'stale', currentVersion: 2 },
    });
    await b.recordReview('pg-shared', 's-1', 'inReview', 'jo');
    expect((await a.getDraft('pg-shared'))?.status).toBe('inReview');
  });
});
