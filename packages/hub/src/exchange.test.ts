import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editJson, folderHub, freshDatabase } from './__fixtures__/hubs.js';
import { exportHub, importHub } from './exchange.js';
import { loadHub, openHub, type Hub } from './hub.js';

async function definitionOf(hub: Hub) {
  return {
    settings: await hub.settings(),
    brandKit: await hub.brandKit(),
    lint: await hub.source.lintConfig(),
    templates: (await hub.templates()).map((t) => t.template),
    workflows: await hub.workflows(),
    model: await hub.operatingModel(),
    directory: await hub.directory(),
    okrs: await hub.okrs(),
    drafts: (await hub.drafts()).map((d) => d.draft),
  };
}

describe('hub import and export', () => {
  it('round-trips a folder hub through a HubStore and back to a folder that loads the same', async () => {
    const folder = await folderHub();
    const out = await mkdtemp(path.join(tmpdir(), 'hubspoke-export-'));
    const { database, cleanup } = await freshDatabase('pglite');
    try {
      await editJson(path.join(folder.dir, 'drafts/austin-store-opening.json'), (d) => {
        d.version = 3;
      });
      const stored = await openHub({ database, env: {} });
      const { store } = await stored.state();
      const report = await importHub(folder.hub, store, await folder.hub.principal('hana'));
      expect(report).toEqual({
        templates: { created: 2, changed: 0 },
        drafts: { created: 1, updated: 0, unchanged: 0 },
        workflows: 1,
        okrs: true,
      });
      await expect(importHub(folder.hub, store, await folder.hub.principal('bea'))).rejects.toMatchObject({
        code: 'E_FORBIDDEN',
      });
      expect(await importHub(folder.hub, store, await folder.hub.principal('hana'))).toMatchObject({
        templates: { created: 0, changed: 0 },
        drafts: { unchanged: 1 },
      });
      expect((await stored.draft('austin-store-opening')).version).toBe(3);
      const files = await exportHub(stored, out);
      expect(files).toEqual(expect.arrayContaining(['hubspoke.config.json', 'templates/announcement.mjml']));
      const config = JSON.parse(await readFile(path.join(out, 'hubspoke.config.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(config.operatingModel).toBe('hybrid');
      const reloaded = await loadHub({ cwd: out, database: 'memory:', env: {} });
      expect(await definitionOf(reloaded)).toEqual(await definitionOf(folder.hub));
      expect(await definitionOf(stored)).toEqual(await definitionOf(folder.hub));
      await expect(exportHub(stored, out)).rejects.toMatchObject({ code: 'E_CONFLICT' });
      expect((await exportHub(stored, out, { force: true })).length).toBe(files.length);
      await reloaded.close();
    } finally {
      await cleanup();
      await folder.cleanup();
      await rm(out, { recursive: true, force: true });
    }
  });

  it('gives an edited draft a new version on re-import, at least the file one', async () => {
    const folder = await folderHub();
    const { database, cleanup } = await freshDatabase('pglite');
    try {
      const stored = await openHub({ database, env: {} });
      const { store } = await stored.state();
      await importHub(folder.hub, store, await folder.hub.principal('hana'));
      await editJson(path.join(folder.dir, 'drafts/austin-store-opening.json'), (d) => {
        d.name = 'Austin store: now open';
      });
      expect((await importHub(folder.hub, store, await folder.hub.principal('hana'))).drafts.updated).toBe(1);
      const draft = await stored.draft('austin-store-opening');
      expect([draft.version, draft.draft.name]).toEqual([2, 'Austin store: now open']);
    } finally {
      await cleanup();
      await folder.cleanup();
    }
  });
});
