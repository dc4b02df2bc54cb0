import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as PGliteModule from '@electric-sql/pglite';
import { describeValue, HubspokeError, isHubspokeError, type SqlClient } from '@hubspoke/core';
import { expandEnv } from './config.js';
import { fsError } from './io/fs-error.js';
import { optionalPeer } from './optional-peer.js';

/** Where a hub's database is: a PostgreSQL server, a PGlite folder, or PGlite in memory. */
export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string } | { kind: 'memory' };

/** An open database: the client every store uses, change notifications, and how to close it. */
export interface HubDatabase {
  readonly target: DatabaseTarget;
  readonly sql: SqlClient;
  /**
   * Calls `onNotify(payload)` for each notification on `channel` (PGlite: in-process; PostgreSQL:
   * a dedicated connection, since LISTEN is per session). Returns the unsubscribe function.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file; false when another process holds it. */
function tryLock(file: string): boolean {
  // Written whole to a temp file and linked into place: the lock never exists without its pid.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, String(process.pid));
    linkSync(temp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fsError(e, 'lock the database', file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The pid in a lock file, or undefined when the file is gone or unreadable. */
function lockHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PGlite does not lock its folder, so two processes could corrupt it: take a lock file next to
 * it, and clear one whose process is gone.
 */
function lockFolder(dir: string): () => void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fsError(e, 'create the database folder', dir);
  }
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (tryLock(file)) {
      return () => {
        rmSync(file, { force: true });
      };
    }
    const pid = lockHolder(file);
    if (pid !== undefined && alive(pid)) {
      throw new HubspokeError('E_CONFLICT', `database ${dir} is locked by another hubspoke process (pid ${pid})`, {
        details: { reason: 'locked', pid },
        hint: `wait for it to finish and retry; if no hubspoke is running, delete ${file}`,
      });
    }
    rmSync(file, { force: true });
  }
  throw new HubspokeError('E_CONFLICT', `database ${dir} is locked`, { details: { reason: 'locked' } });
}

/**
 * PGlite makes a database in whatever folder it is given: refuse a folder that holds other files
 * (a database URL of `.` would otherwise fill the hub with PostgreSQL's files).
 */
function assertDatabaseFolder(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fsError(e, 'open the database folder', dir);
  }
  if (names.length > 0 && !names.includes('PG_VERSION')) {
    throw new HubspokeError(
      'E_VALIDATION',
      `database folder ${dir} holds other files (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}), not a database`,
      {
        path: dir,
        hint: 'point the database URL at an empty or new folder, or at an existing Hubspoke database',
      },
    );
  }
}

/** `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***` */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

export interface ResolveDatabaseOptions {
  /** Given by the caller (`--database-url`, `HUBSPOKE_DATABASE_URL`): a folder is relative to `cwd`. */
  given?: string | undefined;
  /** From the config (`database.url`, `${NAME}` read from `env`): a folder is relative to `configDir`. */
  configured?: string | undefined;
  cwd: string;
  configDir: string;
  env: Record<string, string | undefined>;
  /** The PGlite folder when neither says (default `.hubspoke/approvals` in `configDir`). */
  defaultFolder?: string;
}

/** Where the database is: a PostgreSQL URL, or a PGlite folder (`memory:` for PGlite in memory). */
export function resolveDatabase(options: ResolveDatabaseOptions): DatabaseTarget {
  const given = options.given !== undefined && options.given !== '' ? options.given : undefined;
  const configured = options.configured;
  const url =
    given ?? (configured === undefined ? undefined : expandEnv(configured, 'config.database.url', options.env));
  if (url === undefined)
    return { kind: 'pglite', dir: path.resolve(options.configDir, options.defaultFolder ?? '.hubspoke/approvals') };
  if (url === 'memory:') return { kind: 'memory' };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    if (!URL.canParse(url))
      throw new HubspokeError('E_VALIDATION', `database URL ${redactUrl(url)} is not a valid URL`, {
        hint: 'write it as postgres://user:password@host:5432/database',
      });
    return { kind: 'postgres', url };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (scheme !== undefined) {
    throw new HubspokeError('E_VALIDATION', `database URL: ${scheme}:// is not supported`, {
      hint: 'use postgres://… for a PostgreSQL server, or a folder path for the embedded database',
    });
  }
  const folder = url.replace(/^file:/, '');
  return { kind: 'pglite', dir: path.resolve(given === undefined ? options.configDir : options.cwd, folder) };
}

/**
 * pg 8 reads `sslmode=prefer|require|verify-ca` as verify-full, and prints a nine-line warning
 * about that on every run. Hubspoke keeps pg 8's stricter meaning and states it here instead:
 * such a mode becomes `ssl: true` (the server certificate is verified), without the warning.
 * `uselibpqcompat=true` in the URL still asks pg for libpq's weaker meanings.
 */
export function poolOptions(url: string): { connectionString: string; ssl?: true } {
  const parsed = new URL(url);
  const mode = parsed.searchParams.get('sslmode');
  if (mode === null || !['prefer', 'require', 'verify-ca'].includes(mode) || parsed.searchParams.has('uselibpqcompat'))
    return { connectionString: url };
  parsed.searchParams.delete('sslmode');
  return { connectionString: parsed.toString(), ssl: true };
}

/** The database's own hint for refused credentials (the generic E_AUTH hint is about connectors). */
export function withDatabaseHint(e: unknown): unknown {
  if (!isHubspokeError(e, 'E_AUTH') || e.hint !== undefined) return e;
  return new HubspokeError('E_AUTH', e.message, {
    details: e.details,
    cause: e,
    hint: 'check the user and password in the database URL (--database-url, HUBSPOKE_DATABASE_URL or database.url)',
  });
}

export interface OpenDatabaseOptions {
  /** Runs once the database is open (e.g. migrations), before it is handed out; a failure closes it. */
  prepare?: (sql: SqlClient) => Promise<void>;
  /**
   * PostgreSQL pool size: connections one process holds at most (default 10, 1 to 1000). A request
   * waits up to 5 s for a free one; size it to the load and to the server's `max_connections`
   * divided by the number of processes.
   */
  poolSize?: number;
}

/** Connections of a PostgreSQL pool unless `poolSize` says otherwise (pg's own default). */
export const DEFAULT_POOL_SIZE = 10;

/** Opens a database: PostgreSQL through a `pg` pool, or PGlite (in a locked folder, or in memory). */
export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<HubDatabase> {
  assertTarget(target);
  if (target.kind === 'postgres') {
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    if (!Number.isSafeInteger(poolSize) || poolSize < 1 || poolSize > 1000)
      throw new HubspokeError(
        'E_VALIDATION',
        `poolSize: expected a whole number from 1 to 1000, got ${String(poolSize)}`,
        {
          path: 'poolSize',
        },
      );
    const { default: pg } = await optionalPeer('pg', 'A PostgreSQL database', () => import('pg'));
    const pool = new pg.Pool({
      ...poolOptions(target.url),
      connectionTimeoutMillis: 5000,
      max: poolSize,
    });
    pool.on('error', () => {
      // idle-client errors surface on the next query as E_UPSTREAM
    });
    try {
      await options.prepare?.(pool);
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw withDatabaseHint(e);
    }
    return {
      target,
      sql: pool,
      async listen(channel, onNotify, onError) {
        const client = new pg.Client({ ...poolOptions(target.url), connectionTimeoutMillis: 5000 });
        client.on('error', (e) => onError?.(e));
        client.on('notification', (n) => {
          if (n.channel === channel) onNotify(n.payload ?? '');
        });
        await client.connect();
        await client.query(`LISTEN ${quoteIdent(channel)}`);
        return () => client.end();
      },
      close: () => pool.end(),
    };
  }
  const unlock = target.kind === 'pglite' ? lock(target.dir) : () => undefined;
  try {
    const { PGlite } = await optionalPeer(
      '@electric-sql/pglite',
      'The embedded database (PGlite)',
      () => import('@electric-sql/pglite'),
    );
    const dir = target.kind === 'pglite' ? target.dir : undefined;
    const db = dir === undefined || folderIsFresh(dir) ? await freshPGlite(PGlite, dir) : new PGlite(dir);
    try {
      await options.prepare?.(db);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
    return {
      target,
      sql: db,
      async listen(channel, onNotify) {
        const stop = await db.listen(channel, onNotify);
        return stop;
      },
      close: async () => {
        try {
          await db.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}

/**
 * Refuses a target that names no database: an unknown `kind` would otherwise open PGlite in memory,
 * and a folder or URL that is not a string would reach PGlite or pg unchecked.
 */
function assertTarget(target: DatabaseTarget): void {
  const { kind } = target as { kind?: unknown };
  const field = kind === 'postgres' ? 'url' : kind === 'pglite' ? 'dir' : undefined;
  if (kind !== 'memory' && field === undefined)
    throw new HubspokeError(
      'E_VALIDATION',
      `target.kind: expected "postgres", "pglite" or "memory", got ${describeValue(kind)}`,
      {
        path: 'target.kind',
      },
    );
  if (field === undefined) return;
  const value = (target as unknown as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value === '')
    throw new HubspokeError(
      'E_VALIDATION',
      `target.${field}: expected a non-empty string, got ${describeValue(value)}`,
      {
        path: `target.${field}`,
      },
    );
}

/** Whether a PGlite folder holds no database yet (missing or empty: PGlite would run initdb there). */
function folderIsFresh(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

type PGliteClass = typeof PGliteModule.PGlite;
type PGliteInstance = InstanceType<PGliteClass>;

/**
 * A just-initialised PGlite cluster (`dumpDataDir('none')` of a fresh database, nothing written to
 * it yet), from which later fresh databases of this process load instead of running initdb again:
 * initdb costs seconds, loading the copy a fraction of that. Only ever made in this process (or
 * handed in by {@link usePristineCluster}), never read from a shared location.
 */
let pristine: Promise<Blob> | undefined;
/** Fresh PGlite databases this process opened without a pristine cluster. */
let freshOpens = 0;

/**
 * Fresh PGlite databases this process opens from now on (in memory, or in a new folder) start as a
 * copy of `snapshot`, a `dumpDataDir('none')` of a just-created PGlite database, instead of running
 * initdb (seconds each). For test runs and tools that open many databases; the caller vouches that
 * the snapshot is pristine and comes from a place only it can write.
 */
export function usePristineCluster(snapshot: Blob): void {
  if (!(snapshot instanceof Blob) || snapshot.size === 0)
    throw new HubspokeError('E_VALIDATION', 'usePristineCluster: expected a non-empty Blob from dumpDataDir', {
      path: 'snapshot',
      details: { function: 'usePristineCluster', argument: 0, expected: 'Blob' },
    });
  pristine = Promise.resolve(snapshot);
}

/** Loads a fresh database from the pristine cluster; undefined (folder emptied again) when that fails. */
async function fromPristine(
  PGlite: PGliteClass,
  dir: string | undefined,
  snapshot: Blob,
): Promise<PGliteInstance | undefined> {
  const db = dir === undefined ? new PGlite({ loadDataDir: snapshot }) : new PGlite(dir, { loadDataDir: snapshot });
  try {
    await db.waitReady;
    return db;
  } catch {
    await db.close().catch(() => undefined);
    // The folder was empty and is locked by this process: what the failed load wrote goes.
    if (dir !== undefined) for (const name of readdirSync(dir)) rmSync(path.join(dir, name), { recursive: true });
    return undefined;
  }
}

/**
 * A fresh PGlite database. The first in a process runs initdb (a single command pays nothing
 * extra); the second runs it too and keeps a pristine copy of the cluster before anything is
 * written to it, from which the rest load. A copy that does not load is dropped (initdb again).
 */
async function freshPGlite(PGlite: PGliteClass, dir: string | undefined): Promise<PGliteInstance> {
  const seed = pristine;
  if (seed !== undefined) {
    const snapshot = await seed.catch(() => undefined);
    const db = snapshot === undefined ? undefined : await fromPristine(PGlite, dir, snapshot);
    if (db !== undefined) return db;
    if (pristine === seed) pristine = undefined;
  }
  const db = dir === undefined ? new PGlite() : new PGlite(dir);
  freshOpens += 1;
  if (freshOpens >= 2 && pristine === undefined) {
    const snapshot = db.waitReady.then(() => db.dumpDataDir('none'));
    pristine = snapshot;
    snapshot.catch(() => {
      if (pristine === snapshot) pristine = undefined;
    });
    await snapshot.catch(() => undefined);
  }
  return db;
}

function lock(dir: string): () => void {
  assertDatabaseFolder(dir);
  return lockFolder(dir);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
