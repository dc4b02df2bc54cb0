import path from 'node:path';
import { isHubspokeError } from '@hubspoke/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editJson, folderHub } from './__fixtures__/hubs.js';
import { loadHub, type Hub } from './hub.js';
import { knownReferences } from './references.js';

let hub: Hub;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ hub, dir, cleanup } = await folderHub());
});
afterAll(async () => {
  await cleanup();
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
