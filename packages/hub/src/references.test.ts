import path from 'node:path';
import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { editJson, useFolderHub } from './__fixtures__/hubs.js';
import { loadHub, type Hub } from './hub.js';
import { knownReferences } from './references.js';

let hub: Hub;
let dir: string;

useFolderHub((opened) => {
  ({ hub, dir } = opened);
});

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    expect(isHubspokeError(error)).toBe(true);
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('unknown references are errors, with did-you-mean', () => {
  it('reads the regions and teams the hub defines from its definition', async () => {
    const known = await knownReferences(hub);
    expect([...known.regions].sort()).toEqual(['EMEA', 'NA']);
    expect(known.teams.size).toBeGreaterThan(0);
  });

  it('a draft whose region the hub does not define fails its check (its legal rules would not apply)', async () => {
    const { draft } = await hub.draft('austin-store-opening');
    const clean = await hub.checkDraft(draft);
    expect(clean.failed).toBe(false);
    const check = await hub.checkDraft({ ...draft, region: 'NAA' });
    expect(check.failed).toBe(true);
    expect(check.diagnostics.filter((d) => d.ruleId === 'hub/unknown-region')).toMatchObject([
      { severity: 'error', data: { region: 'NAA', didYouMean: 'NA' } },
    ]);
  });

  it('an OKR report for an unknown region or team is E_NOT_FOUND, not an empty report', async () => {
    await expect(hub.okrReport({ region: 'EMEA', format: 'json' })).resolves.toContain('EMEA');
    expect(await rejection(hub.okrReport({ region: 'EMA' }))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'region',
      hint: expect.stringContaining('did you mean "EMEA"') as unknown,
    });
    expect(await rejection(hub.okrReport({ team: 'no-such-team' }))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'team',
    });
  });

  it('a new draft in an unknown region is E_NOT_FOUND before anything is written', async () => {
    const jo = await hub.principal('jo');
    const before = (await hub.drafts()).length;
    expect(
      await rejection(
        hub.createDraft(jo, { id: 'typo-region', name: 'x', template: { id: 'announcement' }, region: 'Na' }),
      ),
    ).toMatchObject({ code: 'E_NOT_FOUND', path: 'region', hint: expect.stringContaining('"NA"') as unknown });
    expect((await hub.drafts()).length).toBe(before);
  });

  it('reads the locales the hub defines from its templates and brand kit', async () => {
    expect([...(await knownReferences(hub)).locales].sort()).toEqual(['de-AT', 'de-DE', 'en-GB', 'en-US']);
  });

  it('a new draft of a template or in a locale the hub does not have is E_NOT_FOUND with did-you-mean, before anything is written', async () => {
    const jo = await hub.principal('jo');
    const before = (await hub.drafts()).length;
    const create = (input: Record<string, unknown>) =>
      rejection(hub.createDraft(jo, { id: 'typo', name: 'x', template: { id: 'announcement' }, ...input }));
    expect(await create({ template: { id: 'anouncement' } })).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'template.id',
      message: expect.stringContaining('did you mean "announcement"') as unknown,
      details: { template: 'anouncement', didYouMean: 'announcement' },
    });
    expect(await create({ template: { id: 'anouncement', version: 1 } })).toMatchObject({
      path: 'template.id',
      details: { didYouMean: 'announcement' },
    });
    expect(await create({ template: { id: 'announcement', version: 7 } })).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'template.version',
      details: { versions: [1] },
    });
    expect(await create({ defaultLocale: 'de-DD' })).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'defaultLocale',
      details: { locale: 'de-DD', didYouMean: 'de-DE' },
    });
    expect((await hub.drafts()).length).toBe(before);
  });

  it('upgrading to a template version, or checking a draft pinned to a template, the hub does not have is E_NOT_FOUND at the pin', async () => {
    const jo = await hub.principal('jo');
    expect(await rejection(hub.upgradeDraft(jo, 'austin-store-opening', { to: 3, dryRun: true }))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'to',
      details: { versions: [1] },
    });
    const { draft } = await hub.draft('austin-store-opening');
    expect(await rejection(hub.checkDraft({ ...draft, template: { id: 'anouncement', version: 1 } }))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'draft.template.id',
      details: { didYouMean: 'announcement' },
    });
  });

  it('a render or preview of a locale neither the draft nor the hub has is E_NOT_FOUND with did-you-mean, not an empty render', async () => {
    const { draft } = await hub.draft('austin-store-opening');
    expect(await rejection(hub.renderAll(draft, { locales: ['en-US', 'en-UX'] }))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'locales[1]',
      details: { locale: 'en-UX', didYouMean: 'en-US' },
    });
    // A locale the hub defines that this draft has no content in renders nothing (several drafts, one --locale).
    expect(await hub.renderAll(draft, { locales: ['de-DE'] })).toEqual([]);
    expect(await rejection(hub.previewRender('austin-store-opening', 'en-UX'))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'locale',
      details: { locale: 'en-UX', didYouMean: 'en-US' },
    });
    expect(await rejection(hub.previewRender('austin-store-opening', 'de-DE'))).toMatchObject({
      code: 'E_NOT_FOUND',
      path: 'locale',
      details: { known: ['en-US'] },
    });
  });

  it('a misspelt operating model is an error naming the preset, not a missing file', async () => {
    const file = path.join(dir, 'hubspoke.config.json');
    await editJson(file, (config) => {
      config.operatingModel = 'hybird';
    });
    const other = await loadHub({ cwd: dir, database: 'memory:', env: {} });
    try {
      expect(await rejection(other.operatingModel())).toMatchObject({
        code: 'E_VALIDATION',
        path: 'config.operatingModel',
        message: expect.stringContaining('did you mean "hybrid"') as unknown,
      });
    } finally {
      await other.close();
      await editJson(file, (config) => {
        config.operatingModel = 'hybrid';
      });
    }
  });
});
