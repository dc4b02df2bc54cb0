// Vitest globalSetup for the packages whose tests open many PGlite databases (hub, cli, server,
// the hub-and-spoke example): one initdb per run, its cluster dumped to a file in a temporary folder
// only this user can read (mkdtemp: mode 0700). Each test file hands it to `usePristineCluster`
// (see use-pristine-cluster.ts), so its fresh databases load a copy instead of running initdb.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The pristine PGlite cluster of this run (a `dumpDataDir('none')` tar). */
    pristinePGlite: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-pristine-'));
  const db = await PGlite.create();
  try {
    const snapshot = await db.dumpDataDir('none');
    const file = path.join(dir, 'cluster.tar');
    await writeFile(file, new Uint8Array(await snapshot.arrayBuffer()), { mode: 0o600 });
    project.provide('pristinePGlite', file);
  } finally {
    await db.close();
  }
  return () => rm(dir, { recursive: true, force: true });
}
