import { DraftSchema } from '@hubspoke/core';
import { describe, expect, it, vi } from 'vitest';
import { validDraft } from './check.js';
import { useStoreHub } from './__fixtures__/hubs.js';
import type { Hub } from './hub.js';
import { ResultCache } from './result-cache.js';

describe('ResultCache', () => {
  it('answers the same key from the first computation, and keeps at most max results, least recently used out', async () => {
    const cache = new ResultCache(2);
    let runs = 0;
    const compute = (value: string) => () => Promise.resolve(`${value}:${String(++runs)}`);
    const [a, b, c] = [cache.key('k', 'a'), cache.key('k', 'b'), cache.key('k', 'c')];
    expect(await cache.get(a, compute('a'))).toBe('a:1');
    expect(await cache.get(a, compute('a'))).toBe('a:1');
    expect(await cache.get(b, compute('b'))).toBe('b:2');
    expect(await cache.get(a, compute('a'))).toBe('a:1'); // a is now the most recently used
    expect(await cache.get(c, compute('c'))).toBe('c:3'); // b goes
    expect(cache.size).toBe(2);
    expect(await cache.get(a, compute('a'))).toBe('a:1');
    expect(await cache.get(b, compute('b'))).toBe('b:4');
  });

  it('by default keeps three results (validation, check, render) for each of 150 saved versions', async () => {
    const cache = new ResultCache();
    let runs = 0;
    const keys = Array.from({ length: 3 * 150 }, (_, i) => cache.key('k', i));
    for (const key of keys) await cache.get(key, () => Promise.resolve(++runs));
    // 50 editors saving every 2 s: the version each one edited is still there three rounds on.
    expect(await cache.get(keys[0], () => Promise.resolve(-1))).toBe(1);
    expect(cache.size).toBe(450);
  });

  it('does not remember a failure, and forgets everything on clear (a new definition: new keys)', async () => {
    const cache = new ResultCache();
    const key = cache.key('k', { draft: 1 });
    await expect(cache.get(key, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get(key, () => Promise.resolve('ok'))).toBe('ok');
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.key('k', { draft: 1 })).not.toBe(key);
  });

  it('computes without keeping when the parts cannot be serialised', async () => {
    const cache = new ResultCache();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(cache.key('k', cyclic)).toBeUndefined();
    expect(await cache.get(undefined, () => Promise.resolve(1))).toBe(1);
    expect(cache.size).toBe(0);
  });
});

describe('a hub keeps checks and renders of the same draft for its definition', () => {
  let hub: Hub;
  useStoreHub((opened) => {
    ({ hub } = opened);
  });

  it('a second check and the preview of the same draft reuse the first render; an edit or a new brand kit does not', async () => {
    const lena = await hub.principal('lena');
    const { draft } = await hub.createDraft(lena, {
      id: 'cached-check',
      name: 'Cached',
      template: { id: 'seasonal-newsletter' },
    });
    const first = await hub.checkDraft(draft, { principal: lena });
    const again = await hub.checkDraft(structuredClone(draft), { principal: lena });
    expect(again.diagnostics).toEqual(first.diagnostics);
    expect(again.rendered[0]).toBe(first.rendered[0]);
    // The caller's lists are its own: changing them does not change what the next caller gets.
    again.diagnostics.length = 0;
    expect((await hub.checkDraft(draft, { principal: lena })).diagnostics).toEqual(first.diagnostics);
    const [preview] = await hub.renderAll(draft, { locales: [draft.defaultLocale] });
    expect(preview?.email).toBe(first.rendered[0]);

    // An edit is another draft: rendered again, with the edit in it.
    const hero = draft.modules.find((m) => m.moduleId === 'hero')?.instanceId ?? '';
    const edited = structuredClone(draft);
    (edited.content[edited.defaultLocale]!.slots[hero] ??= {}).headline = 'A headline only this test writes';
    const checked = await hub.checkDraft(edited, { principal: lena });
    expect(checked.rendered[0]).not.toBe(first.rendered[0]);
    expect(checked.rendered[0]?.html).toContain('A headline only this test writes');

    // A new brand kit (hub.invalidate) is a new definition: nothing is answered from before it.
    const hana = await hub.principal('hana');
    const { brandKit, version } = await hub.brandKitVersion();
    await hub.saveBrandKit(hana, { ...brandKit, name: `${brandKit.name} (renamed)` }, version);
    const after = await hub.checkDraft(draft, { principal: lena });
    expect(after.rendered[0]).not.toBe(first.rendered[0]);
  });

  it('fixes, baselines and a given date are always computed', async () => {
    const lena = await hub.principal('lena');
    const { draft } = await hub.getDraft(lena, 'cached-check');
    const first = await hub.checkDraft(draft, { now: new Date('2026-01-01T00:00:00Z') });
    const again = await hub.checkDraft(draft, { now: new Date('2026-01-01T00:00:00Z') });
    expect(again.lint).not.toBe(first.lint);
    expect(again.diagnostics).toEqual(first.diagnostics);
  });

  it('validates a content once: the same content again (a save, then its check and preview) is not run through the schema', async () => {
    const lena = await hub.principal('lena');
    const { draft } = await hub.getDraft(lena, 'cached-check');
    const content = { ...structuredClone(draft), name: 'Validated once' };
    const schema = vi.spyOn(DraftSchema, 'safeParse');
    try {
      const first = await validDraft(hub, content);
      const calls = schema.mock.calls.length;
      expect(calls).toBeGreaterThan(0);
      const again = await validDraft(hub, structuredClone(content));
      expect(schema.mock.calls.length).toBe(calls);
      // Each caller gets a draft of its own, equal to the validated one.
      expect(again).toEqual(first);
      expect(again).not.toBe(first);
      first.name = 'changed by a caller';
      expect((await validDraft(hub, content)).name).toBe('Validated once');
      // Different content is validated; an invalid one is refused every time (a failure is not kept).
      const bad = { ...content, modules: 'not a list' };
      for (let i = 0; i < 2; i++) await expect(validDraft(hub, bad)).rejects.toMatchObject({ code: 'E_VALIDATION' });
      expect(schema.mock.calls.length).toBeGreaterThan(calls + 1);
      await expect(hub.checkDraft(bad)).rejects.toMatchObject({ code: 'E_VALIDATION' });
    } finally {
      schema.mockRestore();
    }
  });
});
