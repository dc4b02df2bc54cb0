// Vitest globalSetup for every package whose tests open many PGlite databases (approval-state, hub,
// cli, server): one initdb per run, its cluster dumped to a file in a temporary folder only this user
// can read (mkdtemp: mode 0700). The test files open their databases from it (`freshPGlite` in
// lite.ts here; `usePristineCluster` in the others' use-pristine-cluster.ts), which loads in a
// fraction of an initdb's time. It lives in the lowest package that uses it.
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
