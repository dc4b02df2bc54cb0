import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { HubspokeError, isHubspokeError, type SqlClient } from '@hubspoke/core';
import { createApprovals, SqlEventStore, type Approvals, type EventStore } from '@hubspoke/approval-state';
import { expandEnv } from './config/load-config.js';
import { fsError } from './fs-error.js';
import type { Project } from './project.js';

export interface OpenApprovals {
  approvals: Approvals;
  /** The event store under `approvals`, for its effect outbox. */
  store: EventStore;
  /** The same database, for other durable state (e.g. the publish map). */
  sql: SqlClient;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `--database-url` or `HUBSPOKE_DATABASE_URL`; else the config's `database.url`. */
  url?: string | undefined;
  env: Record<string, string | undefined>;
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
 * PGlite does not lock its folder, so two `hubspoke` processes could corrupt it: take a lock
 * file next to it, and clear one whose process is gone.
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
 * (`--database-url .` would otherwise fill the hub with PostgreSQL's files).
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
        hint: 'point --database-url at an empty or new folder, or at an existing Hubspoke database',
      },
    );
  }
}

/** `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***` */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

type Target = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

/**
 * Where the approval state lives: a PostgreSQL URL, or a PGlite folder (given on the command line:
 * relative to where it runs; in the config: relative to the config file).
 */
export function databaseTarget(project: Project, options: DatabaseOptions): Target {
  const given = options.url !== undefined && options.url !== '' ? options.url : undefined;
  const configured = project.config.database.url;
  const url =
    given ?? (configured === undefined ? undefined : expandEnv(configured, 'config.database.url', options.env));
  if (url === undefined) return { kind: 'pglite', dir: project.path('.hubspoke/approvals') };
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
  return { kind: 'pglite', dir: given === undefined ? project.path(folder) : project.arg(folder) };
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
function withDatabaseHint(e: unknown): unknown {
  if (!isHubspokeError(e, 'E_AUTH') || e.hint !== undefined) return e;
  return new HubspokeError('E_AUTH', e.message, {
    details: e.details,
    cause: e,
    hint: 'check the user and password in the database URL (--database-url, HUBSPOKE_DATABASE_URL or database.url)',
  });
}

/** Opens the approval state: PGlite in `.hubspoke/approvals` by default, or PostgreSQL at a URL. */
export async function openApprovals(project: Project, options: DatabaseOptions): Promise<OpenApprovals> {
  const target = databaseTarget(project, options);
  const workflows = [await project.workflow()];
  const operatingModel = await project.operatingModel();
  const directory = await project.principals();
  if (target.kind === 'postgres') {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ ...poolOptions(target.url), connectionTimeoutMillis: 5000, max: 4 });
    pool.on('error', () => {
      // idle-client errors surface on the next query as E_UPSTREAM
    });
    try {
      const store = await SqlEventStore.open(pool);
      return {
        approvals: createApprovals({ store, workflows, operatingModel, directory }),
        store,
        sql: pool,
        close: () => pool.end(),
      };
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw withDatabaseHint(e);
    }
  }
  assertDatabaseFolder(target.dir);
  const unlock = lockFolder(target.dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(target.dir);
    const store = await SqlEventStore.open(db);
    return {
      approvals: createApprovals({ store, workflows, operatingModel, directory }),
      store,
      sql: db,
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
