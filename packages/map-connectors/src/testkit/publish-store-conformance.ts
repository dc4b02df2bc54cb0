import { sleep, type CallOptions, type Connector, type PushEmailInput, type PushResult } from '@hubspoke/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { braze } from '../connectors/braze/braze.js';
import { memoryLogger } from '../sdk/http/logger.js';
import { createMemoryPublishStore, type PublishKey, type PublishStore } from '../sdk/publish/publish-store.js';
import { assertContractClean } from './fake-server.js';
import { FakeBraze } from './fakes/braze.js';
import { fastTestRuntime, samplePushEmailInput } from './fixtures.js';

/**
 * Two handles on one store, as two processes sharing it would hold: for a SQL store, two
 * instances over two connections (or pools) with the same table prefix; in memory, one store
 * twice. Called once per test, so each test may start from an empty store.
 */
export type OpenPublishStores = () => Promise<[PublishStore, PublishStore]>;

const key: PublishKey = { connector: 'marketo', kind: 'email', sourceId: 'spring-sale', version: 2, locale: 'de-DE' };
/** The key the Braze connector publishes `samplePushEmailInput(n)` under. */
const brazeKey = (n: number): PublishKey => ({
  connector: 'braze',
  kind: 'email',
  sourceId: `draft-${String(n)}`,
  version: 1,
  locale: 'en',
});
/** Strings a store must keep as data: SQL, quoting, wildcards, non-ASCII, whitespace. */
const HOSTILE = ["x'); DROP TABLE t; --", '"; --', '%_\\', 'ß🙂', ' spaced ', 'a'.repeat(40), '$1', '\\x00'];

/** Pushes through a connector that must be able to push emails (the Braze connector is). */
function push(connector: Connector, input: PushEmailInput, options?: CallOptions): Promise<PushResult> {
  if (connector.pushEmail === undefined) throw new Error(`${connector.manifest.id} cannot push emails`);
  return connector.pushEmail(input, options);
}

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

/**
 * Registers the publish-store contract as a vitest `describe` block, for authors of custom
 * stores: mapping and upserts, hostile data, exclusive claims with leases, recovery after a
 * crashed holder, bad input, and two publishers racing on the Braze fake creating one asset.
 */
export function describePublishStoreConformance(name: string, open: OpenPublishStores): void {
  describe(`${name} honours the publish-store contract`, () => {
    it('maps (draft, version, locale) to one remote id, upserting', async () => {
      const [store] = await open();
      expect(await store.get(key)).toBeUndefined();
      await store.put({
        ...key,
        remoteId: '101',
        url: 'https://x/101',
        contentHash: 'a'.repeat(64),
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      await store.put({ ...key, remoteId: '102', updatedAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.get(key)).toEqual({ ...key, remoteId: '102', updatedAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.get({ ...key, locale: 'en' })).toBeUndefined();
      expect(await store.get({ ...key, version: 3 })).toBeUndefined();
      expect(await store.get({ ...key, connector: 'marketo-emea' })).toBeUndefined();
    });

    it('finds the source of a remote id', async () => {
      const [store] = await open();
      await store.put({ ...key, sourceId: 'other', remoteId: '7', updatedAt: '2026-01-01T00:00:00.000Z' });
      expect(await store.findByRemoteId('marketo', 'email', '7')).toMatchObject({
        sourceId: 'other',
        locale: 'de-DE',
        version: 2,
      });
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
      for (const [i, text] of HOSTILE.entries()) {
        const k = { ...key, sourceId: text, locale: text.slice(0, 12) };
        await a.put({ ...k, remoteId: `${text}-${String(i)}`, updatedAt: 'now' });
        expect((await b.get(k))?.remoteId).toBe(`${text}-${String(i)}`);
      }
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
      expect(await loser.claim({ ...key, locale: 'en' }, 'token-c', 60_000)).toEqual({
        token: 'token-c',
        recover: false,
      });
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
      for (const [promise, path] of cases)
        expect(await rejection(promise)).toMatchObject({ code: 'E_VALIDATION', path });
      for (const bad of [undefined, 42, 'key', [], { ...key, version: '2' }, { ...key, locale: undefined }]) {
        expect(await rejection(store.claim(bad as unknown as PublishKey, 'token', 1000))).toMatchObject({
          code: 'E_VALIDATION',
        });
      }
    });

    describe('publishing through two connector instances against the Braze fake', () => {
      let fake: FakeBraze;
      beforeEach(async () => {
        fake = await new FakeBraze().start();
      });
      afterEach(async () => {
        await fake.close();
        assertContractClean(fake);
      });
      // These tests are about claims, not timeouts: a loaded machine must not turn slow answers into faults.
      const runtime = { ...fastTestRuntime, retry: { ...fastTestRuntime.retry, timeoutMs: 15_000 } };
      const connector = (store: PublishStore, extra: Parameters<typeof braze.create>[1] = {}) =>
        braze.create({ apiKey: fake.apiKey, restEndpoint: fake.url }, { ...runtime, store, ...extra });

      it('creates exactly one asset per key when both push the same keys at once', { timeout: 60_000 }, async () => {
        const [a, b] = await open();
        const [ca, cb] = [connector(a), connector(b)];
        const inputs = [1, 2, 3].map((n) => samplePushEmailInput(n));
        const results = await Promise.all(inputs.flatMap((input) => [ca, cb, ca, cb].map((c) => push(c, input))));
        expect(fake.templates.size).toBe(3);
        for (let k = 0; k < 3; k++) {
          const mine = results.slice(k * 4, k * 4 + 4);
          expect(new Set(mine.map((r) => r.remoteId)).size).toBe(1);
          expect(mine.filter((r) => r.created)).toHaveLength(1);
          expect((await b.get(brazeKey(k + 1)))?.remoteId).toBe(mine[0]?.remoteId);
        }
      });

      it(
        'recovers from a publisher that crashed after creating the asset but before mapping it: one asset',
        { timeout: 60_000 },
        async () => {
          const [a, b] = await open();
          const input = samplePushEmailInput(4);
          // The crashed process: it claimed the key, created the asset, and died before writing the mapping.
          await a.claim(brazeKey(4), 'crashed-process', 50);
          const orphan = await push(connector(createMemoryPublishStore()), input);
          const logger = memoryLogger();
          const result = await push(connector(b, { logger, publishClaim: { leaseMs: 60_000, waitMs: 10_000 } }), input);
          expect(result).toMatchObject({ remoteId: orphan.remoteId });
          expect(fake.templates.size).toBe(1);
          expect((await a.get(brazeKey(4)))?.remoteId).toBe(orphan.remoteId);
          expect(logger.records.map((r) => r.event)).toContain('publish.recovered');
          // The claim was settled: the next push is a plain update.
          expect(await push(connector(a), input)).toMatchObject({ remoteId: orphan.remoteId, created: false });
          expect(fake.templates.size).toBe(1);
        },
      );

      it('creates the asset when a crashed publisher had not got that far', { timeout: 60_000 }, async () => {
        const [a, b] = await open();
        await a.claim(brazeKey(5), 'crashed-process', 50);
        const result = await push(connector(b, { publishClaim: { waitMs: 10_000 } }), samplePushEmailInput(5));
        expect(result.created).toBe(true);
        expect([...fake.templates.keys()]).toEqual([result.remoteId]);
      });

      it('fails with E_CONFLICT when the holder is still working past the wait, creating nothing', async () => {
        const [a, b] = await open();
        await a.claim(brazeKey(6), 'busy-process', 60_000);
        const error = await rejection(push(connector(b, { publishClaim: { waitMs: 60 } }), samplePushEmailInput(6)));
        expect(error).toMatchObject({
          code: 'E_CONFLICT',
          details: { reason: 'publish-in-progress', key: brazeKey(6) },
        });
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
        const error = await rejection(push(connector(watched), samplePushEmailInput(7), { signal: controller.signal }));
        expect(error).toMatchObject({ code: 'E_ABORTED' });
        expect(fake.templates.size).toBe(0);
        expect(await b.claim(brazeKey(7), 'other', 60_000)).toBeUndefined();
        await a.releaseClaim(brazeKey(7), 'busy-process', true);
        expect(await b.claim(brazeKey(7), 'other', 60_000)).toEqual({ token: 'other', recover: false });
      });
    });
  });
}
