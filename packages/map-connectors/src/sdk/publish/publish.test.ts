import { HubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { assetName, publishOnce, type PublishSpec } from './publish.js';
import { createMemoryPublishStore, type PublishStore } from './publish-store.js';

const key = { connector: 'x', kind: 'email' as const, sourceId: 'd1', version: 2, locale: 'de-DE' };
const ctx = (store = createMemoryPublishStore()) => ({
  store,
  http: { log: () => undefined },
  dryRun: false,
  now: () => 0,
});
const spec = (over: Partial<PublishSpec>): PublishSpec => ({
  key,
  name: 'n',
  create: () => Promise.resolve({ id: 'new' }),
  update: () => Promise.resolve(undefined),
  find: () => Promise.resolve(undefined),
  ...over,
});

describe('publishOnce', () => {
  it('creates once, then updates the mapped asset', async () => {
    const c = ctx();
    expect(await publishOnce(c, spec({}))).toEqual({ remoteId: 'new', created: true });
    let updated = '';
    expect(
      await publishOnce(
        c,
        spec({
          update: (id) => ((updated = id), Promise.resolve(undefined)),
          create: () => Promise.reject(new Error('no')),
        }),
      ),
    ).toEqual({ remoteId: 'new', created: false });
    expect(updated).toBe('new');
  });

  it('recreates when the mapped asset was deleted remotely', async () => {
    const c = ctx();
    await publishOnce(c, spec({}));
    const result = await publishOnce(
      c,
      spec({
        update: () => Promise.reject(new HubspokeError('E_NOT_FOUND', 'gone')),
        create: () => Promise.resolve({ id: 'again' }),
      }),
    );
    expect(result).toEqual({ remoteId: 'again', created: true });
    expect((await c.store.get(key))?.remoteId).toBe('again');
  });

  it('adopts an existing asset on a name conflict, and retries a create whose outcome was unknown when nothing is found', async () => {
    const conflict = await publishOnce(
      ctx(),
      spec({
        create: () => Promise.reject(new HubspokeError('E_CONFLICT', 'taken')),
        find: () => Promise.resolve({ id: 'old' }),
      }),
    );
    expect(conflict).toEqual({ remoteId: 'old', created: false });
    let attempts = 0;
    const ambiguous = new HubspokeError('E_UPSTREAM', 'reset', { details: { ambiguous: true } });
    const retried = await publishOnce(
      ctx(),
      spec({ create: () => (++attempts < 3 ? Promise.reject(ambiguous) : Promise.resolve({ id: 'third' })) }),
    );
    expect(retried).toEqual({ remoteId: 'third', created: true });
    await expect(publishOnce(ctx(), spec({ create: () => Promise.reject(ambiguous) }))).rejects.toBe(ambiguous);
  });

  it('does not retry or look up after a plain failure, and stores nothing in a dry run', async () => {
    let finds = 0;
    const failure = new HubspokeError('E_VALIDATION', 'bad');
    await expect(
      publishOnce(
        ctx(),
        spec({ create: () => Promise.reject(failure), find: () => (finds++, Promise.resolve(undefined)) }),
      ),
    ).rejects.toBe(failure);
    expect(finds).toBe(0);
    const dry = { ...ctx(), dryRun: true };
    await publishOnce(dry, spec({}));
    expect(await dry.store.get(key)).toBeUndefined();
  });
});

describe('publishOnce claims', () => {
  /** A remote system that keeps what is created, even when the answer is lost. */
  const remote = () => {
    const assets = new Map<string, string>();
    return {
      assets,
      create: (name: string) => {
        const id = `id-${assets.size + 1}`;
        assets.set(id, name);
        return id;
      },
      find: (name: string) => [...assets].find(([, n]) => n === name)?.[0],
    };
  };
  const ambiguous = () => new HubspokeError('E_UPSTREAM', 'reset', { details: { ambiguous: true } });

  it('leaves a mark when it gives up after a create that may have landed, so the next publish adopts the asset by name', async () => {
    const vendor = remote();
    const c = ctx();
    const lost = spec({
      create: () => (vendor.create('n'), Promise.reject(ambiguous())),
      find: () => Promise.reject(new HubspokeError('E_UPSTREAM', 'listing is down')),
    });
    await expect(publishOnce(c, lost)).rejects.toMatchObject({ message: 'listing is down' });
    let creates = 0;
    const again = await publishOnce(
      c,
      spec({
        create: () => (creates++, Promise.resolve({ id: vendor.create('n') })),
        find: (name) => Promise.resolve(vendor.find(name) === undefined ? undefined : { id: vendor.find(name)! }),
      }),
    );
    expect(again).toEqual({ remoteId: 'id-1', created: true });
    expect(creates).toBe(0);
    expect(vendor.assets.size).toBe(1);
  });

  it('keeps the recovery mark when the publisher that was to recover fails before creating', async () => {
    const vendor = remote();
    const c = ctx();
    // An unclear create, and a listing that is down: the claim lapses marked for recovery.
    await expect(
      publishOnce(
        c,
        spec({
          create: () => (vendor.create('n'), Promise.reject(ambiguous())),
          find: () => Promise.reject(new HubspokeError('E_UPSTREAM', 'listing is down')),
        }),
      ),
    ).rejects.toThrow('listing is down');
    // The next publisher takes the claim to recover, and its lookup fails too: the mark must stay.
    await expect(
      publishOnce(c, spec({ find: () => Promise.reject(new HubspokeError('E_UPSTREAM', 'still down')) })),
    ).rejects.toThrow('still down');
    let creates = 0;
    const third = await publishOnce(
      c,
      spec({
        create: () => (creates++, Promise.resolve({ id: vendor.create('n') })),
        find: (name) => Promise.resolve(vendor.find(name) === undefined ? undefined : { id: vendor.find(name) ?? '' }),
      }),
    );
    expect(third).toEqual({ remoteId: 'id-1', created: true });
    expect(creates).toBe(0);
    expect(vendor.assets.size).toBe(1);
  });

  it('looks the name up once more after its last unclear create', async () => {
    const vendor = remote();
    let finds = 0;
    const result = await publishOnce(
      { ...ctx(), maxCreateAttempts: 1 },
      spec({
        create: () => (vendor.create('n'), Promise.reject(ambiguous())),
        find: (name) => (finds++, Promise.resolve({ id: vendor.find(name)! })),
      }),
    );
    expect(result).toEqual({ remoteId: 'id-1', created: true });
    expect(finds).toBe(1);
  });

  it('keeps renewing its claim while a slow create runs, so a second publisher waits instead of taking over', async () => {
    let clock = 0;
    const base = createMemoryPublishStore({ now: () => clock });
    let renewed: () => void = () => undefined;
    const store: PublishStore = {
      ...base,
      renewClaim: async (...args) => (await base.renewClaim(...args)) && (renewed(), true),
    };
    let finishCreate: (id: string) => void = () => undefined;
    let createStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (createStarted = resolve));
    const slow = publishOnce(
      { ...ctx(store), claim: { leaseMs: 30 } },
      spec({
        create: () =>
          new Promise((resolve) => {
            finishCreate = (id) => {
              resolve({ id });
            };
            createStarted();
          }),
      }),
    );
    await started; // claimed at 0: the lease runs out at 30 unless renewed (every 10 ms of real time)
    clock = 20;
    await new Promise<void>((resolve) => (renewed = resolve));
    clock = 45;
    expect(await store.claim(key, 'second', 60_000)).toBeUndefined();
    finishCreate('slow-1');
    expect(await slow).toEqual({ remoteId: 'slow-1', created: true });
    expect(await store.claim(key, 'second', 60_000)).toEqual({ token: 'second', recover: false });
  });

  it('takes no claim to update a mapped asset, nor in a dry run', async () => {
    const base = createMemoryPublishStore();
    let claims = 0;
    const store: PublishStore = { ...base, claim: (...args) => (claims++, base.claim(...args)) };
    await publishOnce(ctx(store), spec({}));
    expect(claims).toBe(1);
    await publishOnce(ctx(store), spec({}));
    await publishOnce({ ...ctx(store), dryRun: true }, spec({ key: { ...key, locale: 'fr' } }));
    expect(claims).toBe(1);
  });

  it('fails at once with E_CONFLICT when told not to wait, and refuses bad claim options', async () => {
    const c = ctx();
    await c.store.claim(key, 'holder', 60_000);
    await expect(publishOnce({ ...c, claim: { waitMs: 0 } }, spec({}))).rejects.toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'publish-in-progress' },
    });
    await expect(publishOnce({ ...c, claim: { leaseMs: 5 } }, spec({}))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'claim.leaseMs',
    });
    await expect(publishOnce({ ...c, claim: { waitMs: -1 } }, spec({}))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'claim.waitMs',
    });
  });
});

describe('assetName', () => {
  it('suffixes the key and stays within the length limit', () => {
    expect(assetName('Spring sale', { sourceId: 'd1', version: 2, locale: 'de-DE' })).toBe('Spring sale [d1 v2 de-DE]');
    expect(assetName('Template', { sourceId: 't', version: 1, locale: '' })).toBe('Template [t v1]');
    const long = assetName('x'.repeat(500), { sourceId: 'd', version: 1, locale: 'en' }, 100);
    expect(long).toHaveLength(100);
    expect(long.endsWith(' [d v1 en]')).toBe(true);
  });
});
