// A fresh PGlite database for a test file: a copy of the run's pristine cluster (pristine-cluster.ts),
// in memory or in a new folder, instead of an initdb of its own (seconds each on a busy machine).
import { openAsBlob } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';

let pristine: Promise<Blob> | undefined;

/** A fresh, empty PGlite database (in `dir` when given, which must be empty). */
export async function freshPGlite(dir?: string): Promise<PGlite> {
  pristine ??= openAsBlob(inject('pristinePGlite'));
  const loadDataDir = await pristine;
  return dir === undefined ? PGlite.create({ loadDataDir }) : PGlite.create(dir, { loadDataDir });
}
