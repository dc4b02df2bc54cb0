import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editJson, useFolderHub } from './__fixtures__/hubs.js';
import type { Hub } from './hub.js';

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('render, push, metrics, OKRs, effects and upgrades through the hub', () => {
  let hub: Hub;
  let dir: string;
  const as = (id: string) => hub.principal(id);

  useFolderHub((opened) => {
    ({ hub, dir } = opened);
  });

  it('renders every locale × dialect with findings sorted into report categories', async () => {
    const { draft } = await hub.draft('austin-store-opening');
    const done: number[] = [];
    const variants = await hub.renderAll(draft, {
      dialects: ['marketo', 'sfmc'],
      contact: 'marcus',
      onProgress: (n) => done.push(n),
    });
    expect(variants.map((v) => [v.locale, v.dialect])).toEqual([
      ['en-US', 'marketo'],
      ['en-US', 'sfmc'],
    ]);
    expect(done).toEqual([1, 2]);
    expect(variants[0]?.email.html).toContain('<html');
    expect(variants[0]?.counts).toEqual(expect.objectContaining({ error: expect.any(Number) as unknown }));
    expect(await rejection(hub.renderAll(draft, { contact: 'nobody-here' }))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'contact',
    });
    expect(await rejection(hub.renderAll(draft, { dialects: ['mailchimp' as 'preview'] }))).toMatchObject({
      code: 'E_VALIDATION',
    });
    const aborted = new AbortController();
    aborted.abort();
    expect(await rejection(hub.renderAll(draft, { signal: aborted.signal }))).toMatchObject({ code: 'E_ABORTED' });
  });

  it('pushes only what was approved as it is now, idempotently', async () => {
    expect(await rejection(hub.push(await as('jo'), 'austin-store-opening'))).toMatchObject({
      code: 'E_FORBIDDEN',
      details: { reason: 'notApproved' },
    });
    await hub.submit(await as('jo'), 'austin-store-opening');
    await hub.decide(await as('sam'), 'austin-store-opening', { verdict: 'approved' });
    expect(await rejection(hub.push(await as('lena'), 'austin-store-opening'))).toMatchObject({ code: 'E_FORBIDDEN' });
    const dry = await hub.push(await as('jo'), 'austin-store-opening', { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.requests?.length).toBeGreaterThan(0);
    expect(existsSync(path.join(dir, 'out/export/austin-store-opening/v1/en-US/email.html'))).toBe(false);
    const first = await hub.push(await as('jo'), 'austin-store-opening');
    expect(first.report.items.map((i) => i.ok && i.result.created)).toEqual([true]);
    expect(existsSync(path.join(dir, 'out/export/austin-store-opening/v1/en-US/email.html'))).toBe(true);
    const again = await hub.push(await as('jo'), 'austin-store-opening');
    expect(again.report.items.map((i) => i.ok && i.result.created)).toEqual([false]);
    expect(await rejection(hub.push(await as('jo'), 'austin-store-opening', { connector: 'nope' }))).toMatchObject({
      code: 'E_NOT_FOUND',
    });
    // A template version edited in place changes what was approved, until it is put back.
    const templateFile = path.join(dir, 'templates/announcement.mjml');
    const original = await readFile(templateFile, 'utf8');
    await writeFile(templateFile, original.replace('Email preferences', 'Your email preferences'));
    hub.invalidate();
    expect(await rejection(hub.push(await as('jo'), 'austin-store-opening'))).toMatchObject({
      details: { reason: 'changedAfterApproval' },
    });
    await writeFile(templateFile, original);
    hub.invalidate();
    expect((await hub.push(await as('jo'), 'austin-store-opening')).report.failed).toBe(0);
    await editJson(path.join(dir, 'drafts/austin-store-opening.json'), (d) => {
      d.name = 'Changed after approval';
      const content = d.content as Record<string, { subject?: string }>;
      if (content['en-US'] !== undefined) content['en-US'].subject = 'Something else entirely';
    });
    expect(await rejection(hub.push(await as('jo'), 'austin-store-opening'))).toMatchObject({
      code: 'E_FORBIDDEN',
      details: { reason: 'changedAfterApproval' },
    });
    expect(await rejection(hub.checkConnector('marketo'))).toMatchObject({ code: 'E_AUTH' });
  });

  it('imports metrics into batches, replaces a file imported again, and adds check-ins to bound key results', async () => {
    const ana = await as('ana');
    const first = await hub.importMetrics(ana, [{ name: 'metrics/sample.csv', file: 'metrics/sample.csv' }], {
      groupBy: ['region'],
    });
    expect(first.imported).toBe(2);
    expect(first.rows).toBe(2);
    expect(first.table.groups.map((g) => g.key)).toEqual(expect.arrayContaining([{ region: 'NA' }]));
    const again = await hub.importMetrics(ana, [{ name: 'sample.csv', file: path.join(dir, 'metrics/sample.csv') }]);
    expect(again.rows).toBe(2);
    const okrs = JSON.parse(await readFile(path.join(dir, 'okrs.json'), 'utf8')) as { $schema?: string };
    expect(okrs.$schema).toContain('okr-set.json');
    const data = await hub.importMetrics(ana, [
      {
        name: 'upload.ndjson',
        data: `${JSON.stringify({ campaignId: 'x', date: '2026-04-08', region: 'NA', sent: 10 })}\n`,
      },
    ]);
    expect(data.rows).toBe(3);
    expect(
      await rejection(hub.importMetrics(await as('jo'), [{ name: 'm.csv', file: 'metrics/sample.csv' }])),
    ).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    // Sam may import NA only; the file also holds EMEA rows, so nothing of it is kept.
    expect(
      await rejection(hub.importMetrics(await as('sam'), [{ name: 'both.csv', file: 'metrics/sample.csv' }])),
    ).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    expect((await hub.importMetrics(ana, [])).rows).toBe(3);
    // A good input and a bad one: neither is kept.
    const good = { name: 'good.ndjson', data: `${JSON.stringify({ campaignId: 'y', date: '2026-04-09', sent: 5 })}\n` };
    const bad = { name: 'bad.csv', data: 'campaignId,date,sent\nx,not-a-date,1\n' };
    expect(await rejection(hub.importMetrics(ana, [good, bad]))).toMatchObject({ code: 'E_VALIDATION' });
    expect((await hub.importMetrics(ana, [])).rows).toBe(3);
    const skipped = await hub.importMetrics(
      ana,
      [{ name: 'bad.csv', data: 'campaignId,date,sent\nx,not-a-date,1\n' }],
      {
        skipInvalid: true,
      },
    );
    expect(skipped.rejected).toEqual({ 'bad.csv': 1 });
    expect(await rejection(hub.importMetrics(ana, [], { groupBy: ['planet'] }))).toMatchObject({ path: 'groupBy' });
  });

  it('reports OKRs in every format, and refuses a bad one', async () => {
    expect(await hub.okrReport({ asOf: '2026-05-31' })).toContain('#');
    expect(await hub.okrReport({ format: 'svg' })).toContain('<svg');
    expect(await rejection(hub.okrReport({ format: 'pdf' as 'md' }))).toMatchObject({ path: 'format' });
    expect(await rejection(hub.okrReport({ asOf: 'someday' }))).toMatchObject({ path: 'asOf' });
  });

  it('delivers the outbox with connectors that can, and refuses one that cannot', async () => {
    expect((await hub.listEffects()).length).toBeGreaterThan(0);
    expect(await rejection(hub.dispatchEffects({ connectors: ['marketo'] }))).toMatchObject({ code: 'E_AUTH' });
    const keepsQueued = await hub.dispatchEffects({ connectors: ['fs'], maxAttempts: 3 });
    expect(keepsQueued.failures).toEqual([]);
    expect(keepsQueued.dispatched).toBeGreaterThan(0);
    expect(await hub.listEffects({ status: 'pending' })).toEqual([]);
    expect(await readFile(path.join(dir, 'out/export/outbox/notifications.jsonl'), 'utf8')).toContain('sam');
  });

  it('upgrades a draft to a new template version and saves it as a new revision', async () => {
    const source = (await hub.templates()).find((t) => t.template.id === 'announcement')?.source ?? '';
    await writeFile(
      path.join(dir, 'templates/announcement-v2.mjml'),
      source.replace('hs-version="1"', 'hs-version="2"').replace('hs-max="60"', 'hs-max="20"'),
    );
    hub.invalidate();
    const before = await hub.draft('austin-store-opening');
    const dry = await hub.upgradeDraft(await as('jo'), 'austin-store-opening', { dryRun: true });
    expect([dry.from, dry.to, dry.changed, dry.saved]).toEqual([1, 2, true, undefined]);
    expect((await hub.draft('austin-store-opening')).draft.template.version).toBe(1);
    expect(await rejection(hub.upgradeDraft(await as('lena'), 'austin-store-opening'))).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    const done = await hub.upgradeDraft(await as('jo'), 'austin-store-opening');
    expect(done.saved?.draft.template).toEqual({ id: 'announcement', version: 2 });
    expect(done.saved?.version).toBe(before.version + 1);
    expect((await hub.upgradeDraft(await as('jo'), 'austin-store-opening')).changed).toBe(false);
  });
});
