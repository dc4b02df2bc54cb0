import { HubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { assetName, publishOnce, type PublishSpec } from './publish.js';
import { createMemoryPublishStore } from './publish-store.js';

const key = { connector: 'x', kind: 'email' as const, sourceId: 'd1', version: 2, locale: 'de-DE' };
const ctx = (store = createMemoryPublishStore()) => ({ store, http: { log: () => undefined }, dryRun: false, now: () => 0 });
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
    expect(await publishOnce(c, spec({ update: (id) => ((updated = id), Promise.resolve(undefined)), create: () => Promise.reject(new Error('no')) }))).toEqual({ remoteId: 'new', created: false });
    expect(updated).toBe('new');
  });

  it('recreates when the mapped asset was deleted remotely', async () => {
    const c = ctx();
    await publishOnce(c, spec({}));
    const result = await publishOnce(c, spec({ update: () => Promise.reject(new HubspokeError('E_NOT_FOUND', 'gone')), create: () => Promise.resolve({ id: 'again' }) }));
    expect(result).toEqual({ remoteId: 'again', created: true });
    expect((await c.store.get(key))?.remoteId).toBe('again');
  });

  it('adopts an existing asset on a name conflict, and retries a create whose outcome was unknown when nothing is found', async () => {
    const conflict = await publishOnce(ctx(), spec({ create: () => Promise.reject(new HubspokeError('E_CONFLICT', 'taken')), find: () => Promise.resolve({ id: 'old' }) }));
    expect(conflict).toEqual({ remoteId: 'old', created: false });
    let attempts = 0;
    const ambiguous = new HubspokeError('E_UPSTREAM', 'reset', { details: { ambiguous: true } });
    const retried = await publishOnce(ctx(), spec({ create: () => (++attempts < 3 ? Promise.reject(ambiguous) : Promise.resolve({ id: 'third' })) }));
    expect(retried).toEqual({ remoteId: 'third', created: true });
    await expect(publishOnce(ctx(), spec({ create: () => Promise.reject(ambiguous) }))).rejects.toBe(ambiguous);
  });

  it('does not retry or look up after a plain failure, and stores nothing in a dry run', async () => {
    let finds = 0;
    const failure = new HubspokeError('E_VALIDATION', 'bad');
    await expect(publishOnce(ctx(), spec({ create: () => Promise.reject(failure), find: () => (finds++, Promise.resolve(undefined)) }))).rejects.toBe(failure);
    expect(finds).toBe(0);
    const dry = { ...ctx(), dryRun: true };
    await publishOnce(dry, spec({}));
    expect(await dry.store.get(key)).toBeUndefined();
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
