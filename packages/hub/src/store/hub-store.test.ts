import { parseDraft, type BrandKit, type CampaignMetrics, type Draft, type Template } from '@hubspoke/core';
import { parseTemplate } from '@hubspoke/template-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, pgUrl } from '../__fixtures__/hubs.js';
import type { HubDatabase } from '../database.js';
import { exampleBrandKit, exampleDraft } from '../scaffold/scaffold.js';
import { announcementTemplate } from '../scaffold/templates.js';
import { HubStore, parseChangeNotice } from './hub-store.js';

const draft = (overrides: Partial<Draft> = {}): Draft => parseDraft({ ...exampleDraft, ...overrides });
const template = (): Template => {
  const parsed = parseTemplate(announcementTemplate);
  if (!parsed.ok) throw new Error('the example template does not parse');
  return parsed.template;
};
const row = (campaignId: string, sent: number): CampaignMetrics =>
  ({ campaignId, date: '2026-05-01', region: 'NA', sent, delivered: sent }) as unknown as CampaignMetrics;

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

it.skipIf(pgUrl !== undefined)('runs the PostgreSQL suite only with HUBSPOKE_TEST_PG_URL (set it to run it)', () => {
  expect(BACKENDS).toEqual(['pglite']);
});

describe.each(BACKENDS)('HubStore on %s', (backend) => {
  let database: HubDatabase;
  let store: HubStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ database, cleanup } = await freshDatabase(backend));
    store = await HubStore.open(database.sql);
  });
  afterAll(async () => {
    await cleanup();
  });

  it('migrates once: opening again applies nothing and keeps the data', async () => {
    await store.createDraft(draft({ id: 'migrate-check' }), 'jo');
    const again = await HubStore.open(database.sql);
    expect((await again.getDraft('migrate-check'))?.version).toBe(1);
  });

  it('creates a draft at version 1 and refuses the same id again', async () => {
    const created = await store.createDraft(draft({ id: 'd1', version: 7 }), 'jo');
    expect(created).toMatchObject({ version: 1, status: 'draft', updatedBy: 'jo' });
    expect(created.draft.version).toBe(1);
    const error = await rejection(store.createDraft(draft({ id: 'd1' }), 'jo'));
    expect(error).toMatchObject({ code: 'E_CONFLICT', details: { reason: 'exists' } });
  });

  it('saves versions with optimistic concurrency: a stale version is E_CONFLICT naming the current one', async () => {
    await store.createDraft(draft({ id: 'd2' }), 'jo');
    const v2 = await store.updateDraft(draft({ id: 'd2', name: 'Second' }), 1, 'jo');
    expect(v2.version).toBe(2);
    expect(v2.draft).toMatchObject({ name: 'Second', version: 2 });
    const stale = await rejection(store.updateDraft(draft({ id: 'd2', name: 'Lost' }), 1, 'sam'));
    expect(stale).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'stale', expectedVersion: 1, currentVersion: 2 },
    });
    expect((await store.getDraft('d2'))?.draft.name).toBe('Second');
    expect((await store.getDraftVersion('d2', 1))?.name).toBe(exampleDraft.name);
    expect(await rejection(store.updateDraft(draft({ id: 'nope' }), 1, 'jo'))).toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('lets exactly one of two concurrent saves of the same version win', async () => {
    await store.createDraft(draft({ id: 'race' }), 'jo');
    const results = await Promise.allSettled([
      store.updateDraft(draft({ id: 'race', name: 'A' }), 1, 'jo'),
      store.updateDraft(draft({ id: 'race', name: 'B' }), 1, 'sam'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected');
    expect(failed?.reason).toMatchObject({ code: 'E_CONFLICT' });
    expect((await store.getDraft('race'))?.version).toBe(2);
  });

  it('lists drafts by region, team, status and author, newest first, in pages', async () => {
    await store.createDraft(draft({ id: 'eu-1', region: 'EMEA', team: 'berlin', author: 'lena' }), 'lena');
    await store.createDraft(draft({ id: 'eu-2', region: 'EMEA', team: 'berlin', author: 'lena' }), 'lena');
    await store.createDraft(draft({ id: 'eu-3', region: 'EMEA', team: 'munich', author: 'max' }), 'max');
    await store.recordReview('eu-2', 'eu-2', 'inReview', 'lena');
    expect((await store.listDrafts({ region: 'EMEA' })).map((d) => d.draft.id).sort()).toEqual([
      'eu-1',
      'eu-2',
      'eu-3',
    ]);
    expect((await store.listDrafts({ team: 'berlin' })).map((d) => d.draft.id).sort()).toEqual(['eu-1', 'eu-2']);
    expect((await store.listDrafts({ status: 'inReview' })).map((d) => d.draft.id)).toEqual(['eu-2']);
    expect((await store.getDraft('eu-2'))?.submissionId).toBe('eu-2');
    expect((await store.listDrafts({ author: 'max' })).map((d) => d.draft.id)).toEqual(['eu-3']);
    const first = await store.listDrafts({ region: 'EMEA', limit: 2 });
    const second = await store.listDrafts({ region: 'EMEA', limit: 2, offset: 2 });
    expect([...first, ...second].map((d) => d.draft.id).sort()).toEqual(['eu-1', 'eu-2', 'eu-3']);
  });

  it('publishes a template version once; other content for it needs replace', async () => {
    const t = template();
    expect(await store.putTemplate(t, t.source, 'bea')).toEqual({ created: true, changed: true });
    expect(await store.putTemplate(t, t.source, 'bea')).toEqual({ created: false, changed: false });
    const edited = { ...t, name: 'Edited in place' };
    expect(await rejection(store.putTemplate(edited, t.source, 'bea'))).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'published' },
    });
    expect(await store.putTemplate(edited, t.source, 'bea', { replace: true })).toEqual({
      created: false,
      changed: true,
    });
    expect((await store.templates()).map((x) => x.template.name)).toEqual(['Edited in place']);
  });

  it('keeps brand-kit versions and refuses a stale expected version', async () => {
    const kit = exampleBrandKit as unknown as BrandKit;
    expect(await store.putBrandKit(kit, 'bea')).toBe(1);
    expect(await store.putBrandKit(kit, 'bea')).toBe(1);
    expect(await store.putBrandKit({ ...kit, name: 'Northwind 2' }, 'bea', 1)).toBe(2);
    expect(await rejection(store.putBrandKit({ ...kit, name: 'Late' }, 'bea', 1))).toMatchObject({
      code: 'E_CONFLICT',
    });
    expect((await store.brandKit())?.brandKit.name).toBe('Northwind 2');
  });

  it('keeps documents by kind and key with a version', async () => {
    expect(await store.putDocument('workflow', 'review@1', { id: 'review', version: 1 }, 'hana')).toBe(1);
    expect(await store.putDocument('workflow', 'review@2', { id: 'review', version: 2 }, 'hana')).toBe(1);
    expect(await store.putDocument('operatingModel', '', 'hybrid', 'hana')).toBe(1);
    expect(await store.putDocument('operatingModel', '', 'centralized', 'hana')).toBe(2);
    expect((await store.documents('workflow')).map((d) => d.key)).toEqual(['review@1', 'review@2']);
    expect((await store.document('operatingModel'))?.body).toBe('centralized');
  });

  it('commits metrics batches together, replaces a batch with the same key, and drops aborted ones', async () => {
    const a = await store.beginMetricBatch({ key: 'import:a.csv', kind: 'import', source: 'a.csv' });
    await store.appendMetricRows(a, 0, [row('c1', 10), row('c2', 20)]);
    expect(await store.metricBatches()).toEqual([]);
    await store.commitMetricBatches([{ id: a, rows: 2 }], [], 'ana');
    expect((await store.metricBatches()).map((b) => b.rows)).toEqual([2]);
    const again = await store.beginMetricBatch({ key: 'import:a.csv', kind: 'import', source: 'a.csv' });
    await store.appendMetricRows(again, 0, [row('c1', 11)]);
    await store.commitMetricBatches([{ id: again, rows: 1 }], [], 'ana');
    const batches = await store.metricBatches();
    expect(batches.map((b) => b.id)).toEqual([again]);
    const rows: CampaignMetrics[] = [];
    for await (const r of store.metricRows(again, 1)) rows.push(r);
    expect(rows.map((r) => r.sent)).toEqual([11]);
    const dropped = await store.beginMetricBatch({ key: 'import:b.csv', kind: 'import', source: 'b.csv' });
    await store.appendMetricRows(dropped, 0, [row('c3', 5)]);
    await store.abortMetricBatch(dropped);
    expect((await store.metricBatches()).map((b) => b.id)).toEqual([again]);
    const pull = await store.beginMetricBatch({
      key: 'pull:fs:1:2',
      kind: 'pull',
      source: 'fs',
      scope: 'fs',
      since: new Date(1000),
      until: new Date(2000),
    });
    await store.commitMetricBatches([{ id: pull, rows: 0 }], [again], 'ana');
    expect(await store.metricBatches()).toEqual([
      {
        id: pull,
        key: 'pull:fs:1:2',
        kind: 'pull',
        scope: 'fs',
        since: new Date(1000),
        until: new Date(2000),
        rows: 0,
      },
    ]);
  });

  it('records every write in the change feed and notifies listeners once it is committed', async () => {
    const start = (await store.changesSince('0', 10_000)).at(-1);
    const heard: string[] = [];
    const stop = await database.listen(store.channel, (payload) => heard.push(payload));
    try {
      await store.createDraft(draft({ id: 'feed' }), 'jo');
      await store.updateDraft(draft({ id: 'feed', name: 'Fed' }), 1, 'jo');
      await rejection(store.updateDraft(draft({ id: 'feed', name: 'Stale' }), 1, 'jo'));
      await store.recordReview('feed', 'feed', 'inReview', 'jo', { event: 'submitted' });
      const changes = await store.changesSince(start?.id ?? '0');
      expect(changes.map((c) => [c.kind, c.key, c.version ?? null, c.actor])).toEqual([
        ['draft', 'feed', 1, 'jo'],
        ['draft', 'feed', 2, 'jo'],
        ['submission', 'feed', null, 'jo'],
      ]);
      expect(changes[2]?.data).toEqual({ draftId: 'feed', status: 'inReview', event: 'submitted' });
      expect(await store.change(changes[0]?.id ?? '')).toEqual(changes[0]);
      // The notice carries the kind and key, so a listener can decide without reading the change.
      await expect.poll(() => heard, { timeout: 10_000 }).toEqual(changes.map((c) => `${c.id}:${c.kind}:${c.key}`));
      expect(heard.map(parseChangeNotice)).toEqual(changes.map((c) => ({ id: c.id, kind: c.kind, key: c.key })));
    } finally {
      await stop();
    }
  });

  it('leaves a key too long for a notification out of the notice (the change itself keeps it)', async () => {
    const heard: string[] = [];
    const stop = await database.listen(store.channel, (payload) => heard.push(payload));
    try {
      const key = 'k'.repeat(201);
      const change = await store.recordTestSend(key, 'jo', { to: 'a@example.com' });
      expect(change.key).toBe(key);
      await expect.poll(() => heard, { timeout: 10_000 }).toEqual([`${change.id}:testSend`]);
      expect(parseChangeNotice(heard[0] ?? '')).toEqual({ id: change.id, kind: 'testSend' });
    } finally {
      await stop();
    }
  });

  it('refuses a malformed change id and a bad table prefix', async () => {
    expect(await rejection(store.changesSince('1; DROP TABLE x'))).toMatchObject({ code: 'E_VALIDATION' });
    expect(await store.change('x')).toBeUndefined();
    expect(await rejection(HubStore.open(database.sql, { tablePrefix: 'Bad-Prefix' }))).toMatchObject({
      code: 'E_VALIDATION',
      path: 'tablePrefix',
    });
  });
});

describe('parseChangeNotice', () => {
  it('reads id, kind and key; a bare id (an older writer) has no kind; anything else is undefined', () => {
    expect(parseChangeNotice('42:draft:spring:sale')).toEqual({ id: '42', kind: 'draft', key: 'spring:sale' });
    expect(parseChangeNotice('42:submission:')).toEqual({ id: '42', kind: 'submission', key: '' });
    expect(parseChangeNotice('42:brandKit')).toEqual({ id: '42', kind: 'brandKit' });
    expect(parseChangeNotice('42')).toEqual({ id: '42' });
    expect(parseChangeNotice('42:nonsense:x')).toEqual({ id: '42' });
    for (const bad of ['', 'x', ':draft', '1'.repeat(20), '-1:draft', ' 42'])
      expect(parseChangeNotice(bad)).toBeUndefined();
    expect(parseChangeNotice(42 as never)).toBeUndefined();
  });
});
