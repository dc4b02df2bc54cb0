import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from '@hubspoke/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryPublishStore, createSqlPublishStore, type PublishStore } from './publish-store.js';

const key = { connector: 'marketo', kind: 'email' as const, sourceId: 'spring-sale', version: 2, locale: 'de-DE' };

function contract(name: string, make: () => Promise<PublishStore>) {
  describe(name, () => {
    it('maps (draft, version, locale) to one remote id, upserting', async () => {
      const store = await make();
      expect(await store.get(key)).toBeUndefined();
      await store.put({ ...key, remoteId: '101', url: 'https://x/101', contentHash: 'a'.repeat(64), updatedAt: '2026-01-01T00:00:00.000Z' });
      await store.put({ ...key, remoteId: '102', updatedAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.get(key)).toEqual({ ...key, remoteId: '102', updatedAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.get({ ...key, locale: 'en' })).toBeUndefined();
      expect(await store.get({ ...key, version: 3 })).toBeUndefined();
      expect(await store.get({ ...key, connector: 'marketo-emea' })).toBeUndefined();
    });

    it('finds the source of a remote id', async () => {
      const store = await make();
      await store.put({ ...key, sourceId: 'other', remoteId: '7', updatedAt: '2026-01-01T00:00:00.000Z' });
      expect(await store.findByRemoteId('marketo', 'email', '7')).toMatchObject({ sourceId: 'other', locale: 'de-DE', version: 2 });
      expect(await store.findByRemoteId('marketo', 'template', '7')).toBeUndefined();
    });

    it('stores hostile strings as data', async () => {
      const store = await make();
      const hostile = { ...key, sourceId: "x'); DROP TABLE t; --", locale: '' };
      await store.put({ ...hostile, remoteId: "'; --", updatedAt: 'now' });
      expect(await store.get(hostile)).toMatchObject({ remoteId: "'; --" });
    });
  });
}

contract('memory publish store', () => Promise.resolve(createMemoryPublishStore()));

const pglite = new PGlite();
let n = 0;
contract('SQL publish store on PGlite', () => Promise.resolve(createSqlPublishStore(pglite, { tablePrefix: `t${++n}_` })));

const url = process.env.HUBSPOKE_TEST_PG_URL;
const pool = url === undefined ? undefined : new pg.Pool({ connectionString: url, max: 2 });
const prefix = `hs_mapconn_${process.pid}_`;
describe.skipIf(pool === undefined)('SQL publish store on PostgreSQL (needs HUBSPOKE_TEST_PG_URL)', () => {
  let m = 0;
  contract('pg', () => Promise.resolve(createSqlPublishStore(pool as unknown as SqlClient, { tablePrefix: `${prefix}${++m}_` })));
  afterAll(async () => {
    for (let i = 1; i <= m; i++) await pool!.query(`DROP TABLE IF EXISTS ${prefix}${i}_publish_map`);
    await pool!.end();
  });
});

describe('createSqlPublishStore', () => {
  it('refuses a table prefix that is not a plain identifier', () => {
    expect(() => createSqlPublishStore(pglite, { tablePrefix: 'x; DROP TABLE y; --' })).toThrow(expect.objectContaining({ code: 'E_VALIDATION', path: 'tablePrefix' }));
  });
  it('retries migration after a failed first attempt', async () => {
    let calls = 0;
    const flaky: SqlClient = {
      query: (text, params) => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('connection lost')) : pglite.query(text, params);
      },
    };
    const store = createSqlPublishStore(flaky, { tablePrefix: 'flaky_' });
    await expect(store.get(key)).rejects.toThrow('connection lost');
    await expect(store.get(key)).resolves.toBeUndefined();
  });
});
