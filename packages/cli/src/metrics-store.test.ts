import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/load-config.js';
import { importBatchFile, metricsDir, pullBatchFile, pullScope } from './metrics-store.js';
import { Project } from './project.js';
import { tempProject } from './test-helpers.js';

async function project(): Promise<Project> {
  const dir = await tempProject({ 'hubspoke.config.json': JSON.stringify({ brandKit: 'b.json', workflow: 'w.json' }) });
  return new Project(await loadConfig({ cwd: dir }), dir);
}

const day = (d: string, end = false) => new Date(`${d}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);

describe('import batches', () => {
  it('gives files of the same name in different folders their own batch, and one file always the same', async () => {
    const p = await project();
    const a = importBatchFile(p, path.join(p.dir, 'week1/results.csv'));
    const b = importBatchFile(p, path.join(p.dir, 'week2/results.csv'));
    expect(a).not.toBe(b);
    expect(importBatchFile(p, path.join(p.dir, 'week1', '..', 'week1/results.csv'))).toBe(a);
    expect(path.dirname(a)).toBe(metricsDir(p));
    expect(path.basename(a)).toMatch(/^import-results\.csv-[0-9a-f]{10}\.ndjson$/);
  });
});

describe('pull batches', () => {
  async function withPull(p: Project, scope: string, since: Date, until: Date) {
    const { file } = pullBatchFile(p, scope, since, until);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '');
    return file;
  }

  it('replaces earlier pulls inside the new range and keeps the others', async () => {
    const p = await project();
    const april = await withPull(p, 'braze', day('2026-04-01'), day('2026-04-30', true));
    const may = await withPull(p, 'braze', day('2026-05-01'), day('2026-05-31', true));
    const again = pullBatchFile(p, 'braze', day('2026-04-01'), day('2026-04-30', true));
    expect(again.file).toBe(april);
    expect(again.replaces).toEqual([april]);
    const quarter = pullBatchFile(p, 'braze', day('2026-04-01'), day('2026-06-30', true));
    expect(quarter.replaces.sort()).toEqual([april, may].sort());
    expect(pullBatchFile(p, 'braze', day('2026-06-01'), day('2026-06-30', true)).replaces).toEqual([]);
  });

  it('refuses a pull that partly overlaps an earlier one of the same scope (its days would count twice)', async () => {
    const p = await project();
    await withPull(p, 'braze', day('2026-04-01'), day('2026-04-30', true));
    let error: unknown;
    try {
      pullBatchFile(p, 'braze', day('2026-04-15'), day('2026-05-15', true));
    } catch (e) {
      error = e;
    }
    expect(isHubspokeError(error, 'E_CONFLICT')).toBe(true);
    expect((error as Error).message).toContain(
      'overlaps the earlier pull of 2026-04-01T00:00:00.000Z – 2026-04-30T23:59:59.999Z from braze',
    );
    // other connectors, and other campaign sets, are other scopes
    expect(pullBatchFile(p, 'marketo', day('2026-04-15'), day('2026-05-15', true)).replaces).toEqual([]);
    expect(pullBatchFile(p, pullScope('braze', ['c-1']), day('2026-04-15'), day('2026-05-15', true)).replaces).toEqual(
      [],
    );
  });

  it('keeps a connector whose name contains dashes and digits apart from its prefix', async () => {
    const p = await project();
    await withPull(p, 'braze-2', day('2026-04-01'), day('2026-04-30', true));
    expect(pullBatchFile(p, 'braze', day('2026-04-15'), day('2026-05-15', true)).replaces).toEqual([]);
    expect(() => pullBatchFile(p, 'braze-2', day('2026-04-15'), day('2026-05-15', true))).toThrow(/overlaps/);
  });

  it('names the campaign set in the scope, whatever its order', () => {
    expect(pullScope('braze', undefined)).toBe('braze');
    expect(pullScope('braze', [])).toBe('braze');
    expect(pullScope('braze', ['b', 'a'])).toBe(pullScope('braze', ['a', 'b']));
    expect(pullScope('braze', ['a'])).not.toBe(pullScope('braze', ['b']));
  });
});
