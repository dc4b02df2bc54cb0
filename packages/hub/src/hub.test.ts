import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editJson, exampleFolder, useFolderHub } from './__fixtures__/hubs.js';
import { openDatabase } from './database.js';
import { loadHub, type Hub } from './hub.js';

let hub: Hub;
let dir: string;

useFolderHub((opened) => {
  ({ hub, dir } = opened);
});

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('loadHub (a folder hub)', () => {
  it('reads the definition the config names', async () => {
    expect((await hub.brandKit()).name).toBe('Northwind Trails');
    expect((await hub.templates()).map((t) => t.template.id).sort()).toEqual(['announcement', 'seasonal-newsletter']);
    expect((await hub.workflow()).stages.length).toBeGreaterThan(1);
    expect((await hub.operatingModel()).id).toBe('hybrid');
    expect((await hub.principal('jo')).regions).toEqual(['NA']);
    expect((await hub.okrs()).objectives.length).toBeGreaterThan(0);
    expect((await hub.drafts()).map((d) => d.draft.id)).toEqual(['austin-store-opening']);
    expect((await hub.draft('drafts/austin-store-opening.json')).draft.id).toBe('austin-store-opening');
  });

  it('names what is unknown: a principal, a template version, a draft, a config', async () => {
    expect(await rejection(hub.principal('nobody'))).toMatchObject({
      code: 'E_NOT_FOUND',
      hint: expect.stringContaining('jo') as unknown,
    });
    expect(await rejection(hub.template('announcement', 9))).toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining('versions there: 1') as unknown,
    });
    expect(await rejection(hub.template('anouncement', 1))).toMatchObject({
      hint: expect.stringContaining('announcement') as unknown,
    });
    expect(await rejection(hub.draft('missing'))).toMatchObject({ code: 'E_NOT_FOUND' });
    expect(await rejection(loadHub({ cwd: path.dirname(dir) === dir ? dir : '/' }))).toMatchObject({
      code: 'E_NOT_FOUND',
    });
  });

  it('reads each part on first use, so a broken OKR file does not stop checks', async () => {
    const other = await loadHub({ cwd: dir, database: 'memory:', env: {} });
    await writeFile(path.join(dir, 'okrs.json'), '{ not json');
    try {
      expect(await rejection(other.okrs())).toMatchObject({
        code: 'E_VALIDATION',
        message: expect.stringMatching(/okrs\.json:1:3 is not valid JSON/) as unknown,
      });
      const { draft } = await other.draft('austin-store-opening');
      expect((await other.checkDraft(draft)).counts.error).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('loadHub with a database opened by the caller', () => {
  it('shares it between hubs in turn and leaves it open; refuses what is no database', async () => {
    const other = await exampleFolder();
    const database = await openDatabase({ kind: 'memory' });
    try {
      const first = await loadHub({ cwd: other, database, env: {} });
      await first.submit(await first.principal('jo'), 'austin-store-opening');
      await first.close();
      const second = await loadHub({ cwd: other, database, env: {} });
      expect((await second.getDraft(await second.principal('jo'), 'austin-store-opening')).status).toBe('inReview');
      expect((await second.state()).database.sql).toBe(database.sql);
      await second.close();
      // Still open after both hubs closed.
      expect((await database.sql.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      for (const bad of [{}, null, { sql: {} }, 42])
        expect(await rejection(loadHub({ cwd: other, database: bad as never }))).toMatchObject({
          code: 'E_VALIDATION',
          path: 'database',
        });
    } finally {
      await database.close();
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('checkDraft', () => {
  it('validates, renders each locale once and lints: the example draft is clean', async () => {
    const { draft } = await hub.draft('austin-store-opening');
    const check = await hub.checkDraft(draft);
    expect(check.diagnostics).toEqual([]);
    expect(check.failed).toBe(false);
    expect(check.rendered.map((r) => [r.locale, r.dialect])).toEqual([['en-US', 'preview']]);
  });

  it('reports template and brand findings together, and applies safe fixes when asked', async () => {
    const file = path.join(dir, 'drafts/austin-store-opening.json');
    await editJson(file, (d) => {
      const slots = (d.content as Record<string, { slots: Record<string, Record<string, unknown>> }>)['en-US']?.slots[
        'message-1'
      ];
      if (slots === undefined) throw new Error('no message-1');
      slots.headline = 'Cheap boots, Austin';
      slots.cta = { href: 'http://northwind.example/stores/austin', text: 'Plan your visit' };
    });
    const { draft } = await hub.draft('austin-store-opening');
    const check = await hub.checkDraft(draft);
    expect(check.diagnostics.map((d) => d.ruleId)).toEqual(
      expect.arrayContaining(['brand/banned-term', 'brand/link-https']),
    );
    expect(check.failed).toBe(true);
    expect(check.diagnostics[0]?.location.file).toBe('austin-store-opening');
    const fixed = await hub.checkDraft(draft, { fix: true, file: 'drafts/austin-store-opening.json' });
    expect(fixed.fixes).toBeGreaterThan(0);
    expect(JSON.stringify(fixed.draft)).toContain('https://northwind.example/stores/austin');
    expect(fixed.diagnostics.every((d) => d.location.file === 'drafts/austin-store-opening.json')).toBe(true);
  });

  it('refuses what is not a draft at all with the path of the bad value', async () => {
    const { draft } = await hub.draft('austin-store-opening');
    expect(await rejection(hub.checkDraft({ ...draft, defaultLocale: 'fr-FR' }))).toMatchObject({
      code: 'E_VALIDATION',
      path: 'draft.content',
    });
    expect(await rejection(hub.checkDraft('<html>'))).toMatchObject({ code: 'E_VALIDATION' });
  });
});
