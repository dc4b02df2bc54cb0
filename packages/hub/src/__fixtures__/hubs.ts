import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scratchDatabase } from '@hubspoke/core/testkit';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type HubDatabase } from '../database.js';
import { importHub } from '../exchange.js';
import { loadHub, openHub, type Hub } from '../hub.js';
import { scaffoldHub } from '../scaffold/scaffold.js';

export const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;

/** A temporary folder holding the example hub (Northwind Trails). */
export async function exampleFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-hub-'));
  await scaffoldHub(dir);
  return dir;
}

/** Edits a JSON file of a folder hub. */
export async function editJson(file: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  await writeFile(file, JSON.stringify(value, null, 2));
}

/** The example hub as a folder hub, its state in PGlite in memory. */
export async function folderHub(): Promise<{ hub: Hub; dir: string; cleanup: () => Promise<void> }> {
  const dir = await exampleFolder();
  const hub = await loadHub({ cwd: dir, database: 'memory:', env: {} });
  return {
    hub,
    dir,
    cleanup: async () => {
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = pgUrl === undefined ? ['pglite'] : ['pglite', 'postgres'];

/** A fresh database of the backend: PGlite in memory, or a scratch PostgreSQL database. */
export async function freshDatabase(
  backend: Backend,
): Promise<{ database: HubDatabase; cleanup: () => Promise<void> }> {
  if (backend === 'pglite') {
    const database = await openDatabase({ kind: 'memory' });
    return { database, cleanup: () => database.close() };
  }
  const scratch = await scratchDatabase(pg, pgUrl);
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  return {
    database,
    cleanup: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/** The example hub imported into a HubStore on the backend (what the server runs on). */
export async function storeHub(
  backend: Backend,
  env: Record<string, string | undefined> = {},
): Promise<{ hub: Hub; database: HubDatabase; cleanup: () => Promise<void> }> {
  const folder = await folderHub();
  const { database, cleanup } = await freshDatabase(backend);
  const hub = await openHub({ database, env, cwd: folder.dir });
  await importHub(folder.hub, (await hub.state()).store, await folder.hub.principal('hana'));
  await folder.hub.close();
  return {
    hub,
    database,
    cleanup: async () => {
      await hub.close();
      await cleanup();
      await rm(folder.dir, { recursive: true, force: true });
    },
  };
}

type Opened<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/**
 * The example hub in a HubStore on the backend, shared by the tests of the file or `describe` that
 * calls this: opened before the first (then `onOpen` gets it), closed after the last. Tests that
 * write to it use their own drafts, so they do not depend on each other's order.
 */
export function useStoreHub(
  onOpen: (opened: Opened<typeof storeHub>) => void | Promise<void>,
  backend: Backend = 'pglite',
  env: Record<string, string | undefined> = {},
): void {
  shareFixture(() => storeHub(backend, env), onOpen);
}

/** The example folder hub (state in PGlite in memory), shared like {@link useStoreHub}. */
export function useFolderHub(onOpen: (opened: Opened<typeof folderHub>) => void | Promise<void>): void {
  shareFixture(folderHub, onOpen);
}

function shareFixture<T extends { cleanup: () => Promise<void> }>(
  open: () => Promise<T>,
  onOpen: (opened: T) => void | Promise<void>,
): void {
  let opened: T | undefined;
  beforeAll(async () => {
    opened = await open();
    await onOpen(opened);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });
}
