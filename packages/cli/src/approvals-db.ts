import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { HubspokeError, type SqlClient } from '@hubspoke/core';
import { createApprovals, SqlEventStore, type Approvals } from '@hubspoke/approval-state';
import type { Project } from './project.js';

export interface OpenApprovals {
  approvals: Approvals;
  /** The same database, for other durable state (e.g. the publish map). */
  sql: SqlClient;
  /** Where the state lives, for messages: a folder or a redacted URL. */
  location: string;
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

/**
 * PGlite does not lock its folder, so two `hubspoke` processes could corrupt it: take a lock
 * file next to it, and clear one whose process is gone.
 */
function lockFolder(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, '..', `${path.basename(dir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new HubspokeError('E_CONFLICT', `database ${dir} is locked by another hubspoke process (pid ${pid})`, {
          details: { reason: 'locked', pid },
          hint: `wait for it to finish; if no hubspoke is running, delete ${file}`,
        });
      }
      rmSync(file, { force: true });
    }
  }
  throw new HubspokeError('E_CONFLICT', `database ${dir} is locked`, { details: { reason: 'locked' } });
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db` */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** Opens the approval state: PGlite in `.hubspoke/approvals` by default, or PostgreSQL at a URL. */
export async function openApprovals(project: Project, databaseUrl: string | undefined): Promise<OpenApprovals> {
  const url = databaseUrl === undefined || databaseUrl === '' ? project.config.database.url : databaseUrl;
  const workflows = [await project.workflow()];
  const operatingModel = await project.operatingModel();
  const directory = await project.principals();
  if (url !== undefined && /^postgres(ql)?:\/\//.test(url)) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5000, max: 4 });
    pool.on('error', () => {
      // idle-client errors surface on the next query as E_UPSTREAM
    });
    try {
      const store = await SqlEventStore.open(pool);
      return { approvals: createApprovals({ store, workflows, operatingModel, directory }), sql: pool, location: redactUrl(url), close: () => pool.end() };
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
  }
  const dir = url === undefined ? project.path('.hubspoke/approvals') : path.resolve(project.dir, url.replace(/^file:/, ''));
  const unlock = lockFolder(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(dir);
    const store = await SqlEventStore.open(db);
    return {
      approvals: createApprovals({ store, workflows, operatingModel, directory }),
      sql: db,
      location: project.show(dir),
      close: async () => {
        await db.close();
        unlock();
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}
