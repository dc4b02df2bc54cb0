import { PGlite } from '@electric-sql/pglite';
import { isHubspokeError, type SqlClient } from '@hubspoke/core';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePublishStoreConformance, type OpenPublishStores } from '../../testkit/publish-store-conformance.js';
import { createMemoryPublishStore, type PublishKey } from './publish-store.js';
import { createSqlPublishStore } from './sql-publish-store.js';

const key: PublishKey = { connector: 'marketo', kind: 'email', sourceId: 'spring-sale', version: 2, locale: 'de-DE' };
const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

/** Random input on top of the contract's fixed cases: any string is data, any bad input E_VALIDATION. */
function storeProperties(name: string, open: OpenPublishStores): void {
  describe(`${name}: properties`, () => {
    it('stores any string as data, and what one handle writes the other reads', async () => {
      const [a, b] = await open();
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.string({ maxLength: 12 }),
          fc.string({ minLength: 1, maxLength: 40 }),
          async (sourceId, locale, remoteId) => {
            fc.pre(![sourceId, locale, remoteId].some((s) => s.includes('\u0000')));
            const k = { ...key, sourceId, locale };
            await a.put({ ...k, remoteId, updatedAt: 'now' });
            expect((await b.get(k))?.remoteId).toBe(remoteId);
          },
        ),
        { numRuns: 25 },
      );
    });

    it('answers any bad claim with E_VALIDATION', async () => {
      const [store] = await open();
      await fc.assert(
        fc.asyncProperty(fc.anything(), fc.anything(), async (badKey, lease) => {
          const error = await store.claim(badKey as PublishKey, 'token', lease as number).then(
            () => undefined,
            (e: unknown) => e,
          );
          if (error !== undefined) expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  });
}

const openMemory: OpenPublishStores = () => {
  const store = createMemoryPublishStore();
  return Promise.resolve([store, store]);
};
describePublishStoreConformance('memory publish store', openMemory);
storeProperties('memory publish store', openMemory);

let pgliteTables = 0;
// Started before the first test, not at import: PGlite's start-up blocks the event loop for seconds
// (far longer on a loaded machine), which, begun in the background, stalled the memory store's
// timer-driven claim tests (tens of seconds under load) instead of showing as the PGlite set-up it is.
let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create();
});
afterAll(async () => {
  await pglite.close();
});
const openPglite: OpenPublishStores = () => {
  const tablePrefix = `t${String(++pgliteTables)}_`;
  return Promise.resolve([
    createSqlPublishStore(pglite, { tablePrefix }),
    createSqlPublishStore(pglite, { tablePrefix }),
  ]);
};
describePublishStoreConformance('SQL publish store on PGlite', openPglite);
storeProperties('SQL publish store on PGlite', openPglite);

const url = process.env.HUBSPOKE_TEST_PG_URL;
describe.skipIf(url === undefined)('SQL publish store on PostgreSQL (needs HUBSPOKE_TEST_PG_URL)', () => {
  // Two pools: two processes' worth of connections racing on the same tables.
  const pools = [
    new pg.Pool({ connectionString: url, max: 3 }),
    new pg.Pool({ connectionString: url, max: 3 }),
  ] as const;
  const prefix = `hs_mapconn_${process.pid}_`;
  let tables = 0;
  describePublishStoreConformance('pg', () => {
    const tablePrefix = `${prefix}${++tables}_`;
    return Promise.resolve([
      createSqlPublishStore(pools[0] as unknown as SqlClient, { tablePrefix }),
      createSqlPublishStore(pools[1] as unknown as SqlClient, { tablePrefix }),
    ]);
  });
  afterAll(async () => {
    for (let i = 1; i <= tables; i++) {
      for (const table of ['publish_map', 'publish_claims', 'publish_migrations'])
        await pools[0].query(`DROP TABLE IF EXISTS ${prefix}${i}_${table}`);
    }
    await Promise.all(pools.map((pool) => pool.end()));
  });
});

describe('createSqlPublishStore', () => {
  it('refuses a table prefix that is not a plain identifier', () => {
    expect(() => createSqlPublishStore(pglite, { tablePrefix: 'x; DROP TABLE y; --' })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'tablePrefix' }),
    );
  });

  it('retries migration after a failed first attempt, reporting the failure as E_UPSTREAM', async () => {
    let calls = 0;
    const flaky: SqlClient = {
      query: (text, params) => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('connection lost')) : pglite.query(text, params);
      },
    };
    const store = createSqlPublishStore(flaky, { tablePrefix: 'flaky_' });
    expect(await rejection(store.get(key))).toMatchObject({
      code: 'E_UPSTREAM',
      message: expect.stringContaining('connection lost') as unknown,
    });
    await expect(store.get(key)).resolves.toBeUndefined();
  });

  it('upgrades a table written by 0.1 (no migration history) in place, keeping its mappings', async () => {
    // The table exactly as 0.1 created it.
    await pglite.query(`CREATE TABLE old_publish_map (
      connector text NOT NULL, kind text NOT NULL, source_id text NOT NULL, version integer NOT NULL, locale text NOT NULL,
      remote_id text NOT NULL, url text, content_hash text, updated_at text NOT NULL,
      PRIMARY KEY (connector, kind, source_id, version, locale))`);
    await pglite.query(
      `INSERT INTO old_publish_map VALUES ('marketo', 'email', 'spring-sale', 2, 'de-DE', '55', NULL, NULL, '2025-01-01T00:00:00.000Z')`,
    );
    const store = createSqlPublishStore(pglite, { tablePrefix: 'old_' });
    expect(await store.get(key)).toEqual({ ...key, remoteId: '55', updatedAt: '2025-01-01T00:00:00.000Z' });
    expect(await store.claim(key, 'first', 1000)).toEqual({ token: 'first', recover: false });
    const { rows } = await pglite.query('SELECT version FROM old_publish_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('refuses a schema newer than it understands', async () => {
    await createSqlPublishStore(pglite, { tablePrefix: 'future_' }).migrate();
    await pglite.query(`INSERT INTO future_publish_migrations VALUES (99, 'from the future', 'now')`);
    expect(await rejection(createSqlPublishStore(pglite, { tablePrefix: 'future_' }).get(key))).toMatchObject({
      code: 'E_UNSUPPORTED',
      details: { schemaVersion: 99 },
    });
  });
});
