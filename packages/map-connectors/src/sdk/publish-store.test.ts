import { PGlite } from '@electric-sql/pglite';
import { isHubspokeError, sleep, type SqlClient } from '@hubspoke/core';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { braze } from '../connectors/braze/braze.js';
import { FakeBraze } from '../testkit/fakes/braze.js';
import { fastTestRuntime, samplePushEmailInput } from '../testkit/fixtures.js';
import { memoryLogger } from './logger.js';
import { createMemoryPublishStore, type PublishKey, type PublishStore } from './publish-store.js';
import { createSqlPublishStore } from './sql-publish-store.js';

const key: PublishKey = { connector: 'marketo', kind: 'email', sourceId: 'spring-sale', version: 2, locale: 'de-DE' };
/** The key the Braze connector publishes `samplePushEmailInput(n)` under. */
const brazeKey = (n: number): PublishKey => ({ connector: 'braze', kind: 'email', sourceId: `draft-${n}`, version: 1, locale: 'en' });

/** Two handles on one store, as two processes sharing it would hold (in memory: one store, shared). */
type OpenPair = () => Promise<[PublishStore, PublishStore]>;

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

function publishStoreConformance(name: string, open: OpenPair) {
  describe(name, () => {
    it('maps (draft, version, locale) to one remote id, upserting', async () => {
      const [store] = await open();
      expect(await store.get(key)).toBeUndefined();
      await store.put({ ...key, remoteId: '101', url: 'https://x/101', contentHash: 'a'.repeat(64), updatedAt: '2026-01-01T00:00:00.000Z' });
      await store.put({ ...key, remoteId: '102', updatedAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.get(key)).toEqual({ ...key, remoteId: '102', updatedAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.get({ ...key, locale: 'en' })).toBeUndefined();
      expect(await store.get({ ...key, version: 3 })).toBeUndefined();
      expect(await store.get({ ...key, connector: 'marketo-emea' })).toBeUndefined();
    });

    it('finds the source of a remote id', async () => {
      const [store] = await open();
      await store.put({ ...key, sourceId: 'other', remoteId: '7', updatedAt: '2026-01-01T00:00:00.000Z' });
      expect(await store.findByRemoteId('marketo', 'email', '7')).toMatchObject({ sourceId: 'other', locale: 'de-DE', version: 2 });
      expect(await store.findByRemoteId('marketo', 'template', '7')).toBeUndefined();
      // Vendor exports can name blank or odd ids: nothing is stored under them.
      expect(await store.findByRemoteId('marketo', 'email', '')).toBeUndefined();
      expect(await store.findByRemoteId('marketo', 'email', 'x\u0000')).toBeUndefined();
    });

    it('stores hostile strings as data, and what one handle writes the other reads', async () => {
      const [a, b] = await open();
      const hostile = { ...key, sourceId: "x'); DROP TABLE t; --", locale: '' };
      await a.put({ ...hostile, remoteId: "'; --", updatedAt: 'now' });
      expect(await b.get(hostile)).toMatchObject({ remoteId: "'; --" });
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ maxLength: 12 }), fc.string({ minLength: 1, maxLength: 40 }), async (sourceId, locale, remoteId) => {
          fc.pre(![sourceId, locale, remoteId].some((s) => s.includes('\u0000')));
          const k = { ...key, sourceId, locale };
          await a.put({ ...k, remoteId, updatedAt: 'now' });
          expect((await b.get(k))?.remoteId).toBe(remoteId);
        }),
        { numRuns: 25 },
      );
    });

    it('lets exactly one of two racing claimers hold a key, until it releases', async () => {
      const [a, b] = await open();
      const [first, second] = await Promise.all([a.claim(key, 'token-a', 60_000), b.claim(key, 'token-b', 60_000)]);
      expect([first, second].filter((c) => c !== undefined)).toHaveLength(1);
      const [winner, loser, token] = first === undefined ? [b, a, 'token-b'] : [a, b, 'token-a'];
      expect(first ?? second).toEqual({ token, recover: false });
      expect(await loser.claim(key, 'token-c', 60_000)).toBeUndefined();
      expect(await winner.renewClaim(key, token, 60_000)).toBe(true);
      expect(await loser.renewClaim(key, 'token-c', 60_000)).toBe(false);
      await loser.releaseClaim(key, 'token-c', true); // not the holder: no effect
      expect(await loser.claim(key, 'token-c', 60_000)).toBeUndefined();
      expect(await loser.claim({ ...key, locale: 'en' }, 'token-c', 60_000)).toEqual({ token: 'token-c', recover: false });
      await winner.releaseClaim(key, token, true);
      expect(await loser.claim(key, 'token-d', 60_000)).toEqual({ token: 'token-d', recover: false });
    });

    it('hands a lapsed lease (a crashed holder) to the next claimer, asking it to recover', async () => {
      const [a, b] = await open();
      expect(await a.claim(key, 'crashed', 10)).toEqual({ token: 'crashed', recover: false });
      await sleep(40);
      expect(await b.claim(key, 'next', 60_000)).toEqual({ token: 'next', recover: true });
      expect(await a.renewClaim(key, 'crashed', 60_000)).toBe(false);
      await a.releaseClaim(key, 'crashed', true);
      expect(await a.claim(key, 'third', 60_000)).toBeUndefined();
    });

    it('lapses an unsettled release at once, marked for recovery; a settled one leaves no mark', async () => {
      const [a, b] = await open();
      await a.claim(key, 'gave-up', 60_000);
      await a.releaseClaim(key, 'gave-up', false);
      expect(await b.claim(key, 'next', 60_000)).toEqual({ token: 'next', recover: true });
      await b.releaseClaim(key, 'next', true);
      expect(await a.claim(key, 'after', 60_000)).toEqual({ token: 'after', recover: false });
    });

    it('refuses bad input with E_VALIDATION and the path of the bad value', async () => {
      const [store] = await open();
      const cases: [Promise<unknown>, string][] = [
        [store.get({ ...key, version: -1 }), 'key.version'],
        [store.get({ ...key, version: 1.5 }), 'key.version'],
        [store.get({ ...key, kind: 'banner' as never }), 'key.kind'],
        [store.get({ ...key, sourceId: 'a\u0000b' }), 'key.sourceId'],
        [store.get({ ...key, connector: '' }), 'key.connector'],
        [store.get(null as never), 'key'],
        [store.put({ ...key, remoteId: '', updatedAt: 'now' }), 'record.remoteId'],
        [store.put({ ...key, remoteId: '1', url: 42 as never, updatedAt: 'now' }), 'record.url'],
        [store.findByRemoteId('marketo', 'email', 42 as never), 'remoteId'],
        [store.findByRemoteId('marketo', 'mail' as never, '1'), 'kind'],
        [store.claim(key, '', 1000), 'token'],
        [store.claim(key, 't', 0), 'leaseMs'],
        [store.claim(key, 't', Number.NaN), 'leaseMs'],
        [store.claim({ ...key, locale: 'x'.repeat(101) }, 't', 1000), 'key.locale'],
        [store.renewClaim(key, 't', 10 ** 12), 'leaseMs'],
        [store.releaseClaim(key, 't', 'yes' as never), 'settled'],
      ];
      for (const [promise, path] of cases) expect(await rejection(promise)).toMatchObject({ code: 'E_VALIDATION', path });
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

    describe('publishing through two connector instances against the Braze fake', () => {
      let fake: FakeBraze;
      beforeEach(async () => {
        fake = await new FakeBraze().start();
      });
      afterEach(async () => {
        await fake.close();
      });
      // These tests are about claims, not timeouts: a loaded machine must not turn slow answers into faults.
      const runtime = { ...fastTestRuntime, retry: { ...fastTestRuntime.retry, timeoutMs: 15_000 } };
      const connector = (store: PublishStore, extra: Parameters<typeof braze.create>[1] = {}) => braze.create({ apiKey: fake.apiKey, restEndpoint: fake.url }, { ...runtime, store, ...extra });

      it('creates exactly one asset per key when both push the same keys at once', { timeout: 60_000 }, async () => {
        const [a, b] = await open();
        const [ca, cb] = [connector(a), connector(b)];
        const inputs = [1, 2, 3].map((n) => samplePushEmailInput(n));
        const results = await Promise.all(inputs.flatMap((input) => [ca, cb, ca, cb].map((c) => c.pushEmail!(input))));
        expect(fake.templates.size).toBe(3);
        for (let k = 0; k < 3; k++) {
          const mine = results.slice(k * 4, k * 4 + 4);
          expect(new Set(mine.map((r) => r.remoteId)).size).toBe(1);
          expect(mine.filter((r) => r.created)).toHaveLength(1);
          expect((await b.get(brazeKey(k + 1)))?.remoteId).toBe(mine[0]?.remoteId);
        }
      });

      it('recovers from a publisher that crashed after creating the asset but before mapping it: one asset', { timeout: 60_000 }, async () => {
        const [a, b] = await open();
        const input = samplePushEmailInput(4);
        // The crashed process: it claimed the key, created the asset, and died before writing the mapping.
        await a.claim(brazeKey(4), 'crashed-process', 50);
        const orphan = await connector(createMemoryPublishStore()).pushEmail!(input);
        const logger = memoryLogger();
        const result = await connector(b, { logger, publishClaim: { leaseMs: 60_000, waitMs: 10_000 } }).pushEmail!(input);
        expect(result).toMatchObject({ remoteId: orphan.remoteId });
        expect(fake.templates.size).toBe(1);
        expect((await a.get(brazeKey(4)))?.remoteId).toBe(orphan.remoteId);
        expect(logger.records.map((r) => r.event)).toContain('publish.recovered');
        // The claim was settled: the next push is a plain update.
        expect(await connector(a).pushEmail!(input)).toMatchObject({ remoteId: orphan.remoteId, created: false });
        expect(fake.templates.size).toBe(1);
      });

      it('creates the asset when a crashed publisher had not got that far', { timeout: 60_000 }, async () => {
        const [a, b] = await open();
        await a.claim(brazeKey(5), 'crashed-process', 50);
        const result = await connector(b, { publishClaim: { waitMs: 10_000 } }).pushEmail!(samplePushEmailInput(5));
        expect(result.created).toBe(true);
        expect([...fake.templates.keys()]).toEqual([result.remoteId]);
      });

      it('fails with E_CONFLICT when the holder is still working past the wait, creating nothing', async () => {
        const [a, b] = await open();
        await a.claim(brazeKey(6), 'busy-process', 60_000);
        const error = await rejection(connector(b, { publishClaim: { waitMs: 60 } }).pushEmail!(samplePushEmailInput(6)));
        expect(error).toMatchObject({ code: 'E_CONFLICT', details: { reason: 'publish-in-progress', key: brazeKey(6) } });
        expect(fake.templates.size).toBe(0);
        await a.releaseClaim(brazeKey(6), 'busy-process', true);
      });

      it('stops waiting when its AbortSignal fires, leaving the holder’s claim alone', async () => {
        const [a, b] = await open();
        await a.claim(brazeKey(7), 'busy-process', 60_000);
        const controller = new AbortController();
        // Abort as soon as the waiter has seen the key taken.
        const watched: PublishStore = {
          ...b,
          claim: async (...args) => {
            const claim = await b.claim(...args);
            if (claim === undefined) controller.abort();
            return claim;
          },
        };
        const error = await rejection(connector(watched).pushEmail!(samplePushEmailInput(7), { signal: controller.signal }));
        expect(error).toMatchObject({ code: 'E_ABORTED' });
        expect(fake.templates.size).toBe(0);
        expect(await b.claim(brazeKey(7), 'other', 60_000)).toBeUndefined();
        await a.releaseClaim(brazeKey(7), 'busy-process', true);
        expect(await b.claim(brazeKey(7), 'other', 60_000)).toEqual({ token: 'other', recover: false });
      });
    });
  });
}

publishStoreConformance('memory publish store', () => {
  const store = createMemoryPublishStore();
  return Promise.resolve([store, store]);
});

let pgliteTables = 0;
const pglite = new PGlite();
publishStoreConformance('SQL publish store on PGlite', () => {
  const tablePrefix = `t${++pgliteTables}_`;
  return Promise.resolve([createSqlPublishStore(pglite, { tablePrefix }), createSqlPublishStore(pglite, { tablePrefix })]);
});

const url = process.env.HUBSPOKE_TEST_PG_URL;
describe.skipIf(url === undefined)('SQL publish store on PostgreSQL (needs HUBSPOKE_TEST_PG_URL)', () => {
  // Two pools: two processes' worth of connections racing on the same tables.
  const pools = [new pg.Pool({ connectionString: url, max: 3 }), new pg.Pool({ connectionString: url, max: 3 })] as const;
  const prefix = `hs_mapconn_${process.pid}_`;
  let tables = 0;
  publishStoreConformance('pg', () => {
    const tablePrefix = `${prefix}${++tables}_`;
    return Promise.resolve([createSqlPublishStore(pools[0] as unknown as SqlClient, { tablePrefix }), createSqlPublishStore(pools[1] as unknown as SqlClient, { tablePrefix })]);
  });
  afterAll(async () => {
    for (let i = 1; i <= tables; i++) {
      for (const table of ['publish_map', 'publish_claims', 'publish_migrations']) await pools[0].query(`DROP TABLE IF EXISTS ${prefix}${i}_${table}`);
    }
    await Promise.all(pools.map((pool) => pool.end()));
  });
});

describe('createSqlPublishStore', () => {
  it('refuses a table prefix that is not a plain identifier', () => {
    expect(() => createSqlPublishStore(pglite, { tablePrefix: 'x; DROP TABLE y; --' })).toThrow(expect.objectContaining({ code: 'E_VALIDATION', path: 'tablePrefix' }));
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
    expect(await rejection(store.get(key))).toMatchObject({ code: 'E_UPSTREAM', message: expect.stringContaining('connection lost') as unknown });
    await expect(store.get(key)).resolves.toBeUndefined();
  });

  it('upgrades a table written by 0.1 (no migration history) in place, keeping its mappings', async () => {
    // The table exactly as 0.1 created it.
    await pglite.query(`CREATE TABLE old_publish_map (
      connector text NOT NULL, kind text NOT NULL, source_id text NOT NULL, version integer NOT NULL, locale text NOT NULL,
      remote_id text NOT NULL, url text, content_hash text, updated_at text NOT NULL,
      PRIMARY KEY (connector, kind, source_id, version, locale))`);
    await pglite.query(`INSERT INTO old_publish_map VALUES ('marketo', 'email', 'spring-sale', 2, 'de-DE', '55', NULL, NULL, '2025-01-01T00:00:00.000Z')`);
    const store = createSqlPublishStore(pglite, { tablePrefix: 'old_' });
    expect(await store.get(key)).toEqual({ ...key, remoteId: '55', updatedAt: '2025-01-01T00:00:00.000Z' });
    expect(await store.claim(key, 'first', 1000)).toEqual({ token: 'first', recover: false });
    const { rows } = await pglite.query('SELECT version FROM old_publish_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('refuses a schema newer than it understands', async () => {
    await createSqlPublishStore(pglite, { tablePrefix: 'future_' }).migrate();
    await pglite.query(`INSERT INTO future_publish_migrations VALUES (99, 'from the future', 'now')`);
    expect(await rejection(createSqlPublishStore(pglite, { tablePrefix: 'future_' }).get(key))).toMatchObject({ code: 'E_UNSUPPORTED', details: { schemaVersion: 99 } });
  });
});
