import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HubDatabase } from '@hubspoke/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../program.js';
import { memoryDatabase, tempProject } from '../test-helpers.js';

// In-process runs (no spawned binary): what these commands print and how they exit.
let hub: string;
// One database for the commands of this file, but `hub import` and `hub export`, which are about
// the folder's own (.hubspoke/approvals).
let shared: HubDatabase;
async function cli(
  args: string[],
  database: HubDatabase | null = shared,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: hub,
    env: { NO_COLOR: '1' },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    ...(database === null ? {} : { database }),
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  hub = await tempProject();
  shared = await memoryDatabase();
  expect((await cli(['init'])).code).toBe(0);
});
afterAll(async () => {
  await shared.close();
});

describe('submit takes the region from the draft', () => {
  it('refuses a spoke submitting into another region (exit 4, one line)', async () => {
    const file = path.join(hub, 'drafts/austin-store-opening.json');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace('"region": "NA"', '"region": "EMEA"').replace('"team": "austin"', '"team": "berlin"'),
    );
    try {
      const r = await cli(['submit', 'austin-store-opening', '--as', 'jo']);
      expect(r.code).toBe(4);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error E_FORBIDDEN: /);
    } finally {
      await writeFile(file, original);
    }
  });
});

describe('hubspoke draft upgrade', () => {
  it('moves a draft to a new template version, prints what changed, and writes the draft', async () => {
    const template = await readFile(path.join(hub, 'templates/announcement.mjml'), 'utf8');
    await writeFile(
      path.join(hub, 'templates/announcement-v2.mjml'),
      template.replace('hs-version="1"', 'hs-version="2"').replace('hs-slot="cta"', 'hs-slot="button"'),
    );
    const dry = await cli(['draft', 'upgrade', 'austin-store-opening', '--dry-run', '--as', 'jo']);
    expect(dry.stdout).toContain('austin-store-opening would move from announcement@1 to @2');
    expect(dry.stdout).toMatch(/upgrade\/slot-removed \[en-US\/message-1\/cta\]/);
    const done = await cli(['draft', 'upgrade', 'austin-store-opening', '--as', 'jo', '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, from: 1, to: 2, changed: true });
    const draft = JSON.parse(await readFile(path.join(hub, 'drafts/austin-store-opening.json'), 'utf8')) as {
      template: unknown;
      version: number;
    };
    expect(draft).toMatchObject({ template: { id: 'announcement', version: 2 }, version: 2 });
    expect((await cli(['draft', 'upgrade', 'austin-store-opening', '--as', 'jo'])).stdout).toContain('already pins');
    const usage = await cli(['draft', 'frobnicate', 'austin-store-opening']);
    expect(usage.code).toBe(2);
  });
});

describe('hubspoke hub import and export', () => {
  it('copies the folder into its database and back out as a folder that loads', async () => {
    const folder = (args: string[]) => cli(args, null);
    const imported = await folder(['hub', 'import', '.', '--as', 'hana', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ ok: true, templates: { created: 3 }, drafts: { created: 1 } });
    expect((await folder(['hub', 'import', '.', '--as', 'jo'])).code).toBe(4);
    const exported = await folder(['hub', 'export', 'copy']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^exported \d+ files to copy/);
    expect((await folder(['hub', 'export', 'copy'])).code).toBe(5);
    expect((await cli(['lint', '--config', 'copy/hubspoke.config.json'])).code).toBe(0);
  });
});
