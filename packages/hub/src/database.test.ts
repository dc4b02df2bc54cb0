import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isHubspokeError } from '@hubspoke/core';
import { scratchDatabase } from '@hubspoke/core/testkit';
import fc from 'fast-check';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it, vi } from 'vitest';
import { exampleFolder, pgUrl } from './__fixtures__/hubs.js';
import { openHub } from './hub.js';
import {
  openDatabase,
  poolOptions,
  redactUrl,
  resolveDatabase,
  usePristineCluster,
  type ResolveDatabaseOptions,
} from './database.js';

const base = { cwd: '/srv/hubs', configDir: '/hub', env: {} };
const target = (options: Partial<ResolveDatabaseOptions>) => resolveDatabase({ ...base, ...options });

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('resolveDatabase', () => {
  it('defaults to PGlite in .hubspoke/approvals beside the config', () => {
    expect(target({})).toEqual({ kind: 'pglite', dir: path.join('/hub', '.hubspoke/approvals') });
    expect(target({ given: 'memory:' })).toEqual({ kind: 'memory' });
  });

  it("reads folders given by the caller from where it runs, and the config's from the config file", () => {
    expect(target({ configured: 'state/db' })).toEqual({ kind: 'pglite', dir: path.join('/hub', 'state/db') });
    expect(target({ configured: 'state/db', given: 'file:here' })).toEqual({
      kind: 'pglite',
      dir: path.join('/srv/hubs', 'here'),
    });
  });

  it("fills ${ENV} in the config's URL, and says which variable is missing without a value", () => {
    const configured = 'postgres://hub:${HUB_DB_PASSWORD}@db.example:5432/hub';
    expect(target({ configured, env: { HUB_DB_PASSWORD: 's3cret' } })).toEqual({
      kind: 'postgres',
      url: 'postgres://hub:s3cret@db.example:5432/hub',
    });
    const e = failure(() => target({ configured }));
    expect(isHubspokeError(e, 'E_AUTH')).toBe(true);
    expect((e as Error).message).toBe('config.database.url: environment variable HUB_DB_PASSWORD is not set');
  });

  it('refuses other URL schemes instead of making a folder named after them', () => {
    const e = failure(() => target({ given: 'mysql://root:pw@localhost/hub' }));
    expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    expect((e as Error).message).toBe('database URL: mysql:// is not supported');
  });

  it('refuses a malformed PostgreSQL URL without printing its password', () => {
    const e = failure(() => target({ given: 'postgres://hub:pa55word@[::1/hub' }));
    expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    expect((e as Error).message).not.toContain('pa55word');
  });
});

describe('redactUrl', () => {
  it('hides passwords in the user part and the query', () => {
    expect(redactUrl('postgres://hub:secret@db:5432/hub')).toBe('postgres://hub:***@db:5432/hub');
    expect(redactUrl('postgres://hub@db/hub?sslmode=require&password=secret')).toBe(
      'postgres://hub@db/hub?sslmode=require&password=***',
    );
    expect(redactUrl('postgres://db/hub')).toBe('postgres://db/hub');
  });

  it('never leaves a password in a URL it redacts (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9]{6,20}$/);
    fc.assert(
      fc.property(word, word, (user, password) => {
        const redacted = redactUrl(`postgres://${user}:${password}@db.example:5432/hub?password=${password}`);
        return !redacted.includes(`:${password}@`) && !redacted.includes(`=${password}`);
      }),
    );
  });
});

describe('the embedded database lock', () => {
  it('is held while open, refused to a second opener, and released on close', async () => {
    const hub = await exampleFolder();
    const dir = path.join(hub, '.hubspoke/approvals');
    const lock = `${dir}.lock`;
    const db = await openDatabase({ kind: 'pglite', dir });
    try {
      expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
      const e = await openDatabase({ kind: 'pglite', dir }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isHubspokeError(e, 'E_CONFLICT')).toBe(true);
    } finally {
      await db.close();
    }
    expect(existsSync(lock)).toBe(false);
  });

  it('clears a lock whose content is not a live pid', async () => {
    const hub = await exampleFolder();
    const dir = path.join(hub, '.hubspoke/approvals');
    const lock = `${dir}.lock`;
    mkdirSync(path.dirname(lock), { recursive: true });
    for (const stale of ['', 'garbage', '999999999']) {
      writeFileSync(lock, stale);
      const db = await openDatabase({ kind: 'pglite', dir });
      await db.close();
      expect(existsSync(lock)).toBe(false);
    }
  });

  it('refuses to make a database in a folder that holds other files', async () => {
    const hub = await exampleFolder();
    const e = await openDatabase({ kind: 'pglite', dir: hub }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    expect(existsSync(`${hub}.lock`)).toBe(false);
  });
});

describe('fresh PGlite databases', () => {
  it('start empty and apart: from the second on they copy a pristine cluster (one dump), in memory and in a new folder', async () => {
    const dump = vi.spyOn(PGlite.prototype, 'dumpDataDir');
    try {
      const dbs = [];
      for (let i = 0; i < 3; i += 1) dbs.push(await openDatabase({ kind: 'memory' }));
      const dir = path.join(await exampleFolder(), '.hubspoke/approvals');
      dbs.push(await openDatabase({ kind: 'pglite', dir }));
      for (const [i, db] of dbs.entries()) {
        const { rows } = await db.sql.query("select count(*)::int as n from pg_tables where schemaname = 'public'");
        expect(rows).toEqual([{ n: 0 }]);
        await db.sql.query(`create table t${i} (v int)`);
        await db.sql.query(`insert into t${i} values (${i})`);
      }
      // At most one pristine copy is made in a process (none when the test run handed one in).
      expect(dump.mock.calls.length).toBeLessThanOrEqual(1);
      for (const db of dbs) await db.close();
      // The folder database loaded from the copy is a real one: reopened, it keeps what was written.
      const reopened = await openDatabase({ kind: 'pglite', dir });
      try {
        expect((await reopened.sql.query('select v from t3')).rows).toEqual([{ v: 3 }]);
      } finally {
        await reopened.close();
      }
    } finally {
      dump.mockRestore();
    }
  });

  it('refuse a snapshot that is no Blob, and run initdb when a handed-in one does not load', async () => {
    for (const bad of [undefined, {}, 'tar', new Blob([])]) {
      const e = failure(() => {
        usePristineCluster(bad as Blob);
      });
      expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    }
    usePristineCluster(new Blob(['not a tar archive of a database']));
    const dir = path.join(await exampleFolder(), '.hubspoke/approvals');
    for (const target of [{ kind: 'memory' } as const, { kind: 'pglite', dir } as const]) {
      const db = await openDatabase(target);
      try {
        expect((await db.sql.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
    }
  });
});

describe('poolOptions', () => {
  it('keeps pg 8’s strict sslmode meanings as ssl: true, so pg prints no warning about them', () => {
    expect(poolOptions('postgres://hub@db/hub')).toEqual({ connectionString: 'postgres://hub@db/hub' });
    for (const mode of ['prefer', 'require', 'verify-ca']) {
      expect(poolOptions(`postgres://hub:pw@db:5432/hub?sslmode=${mode}&application_name=hs`)).toEqual({
        connectionString: 'postgres://hub:pw@db:5432/hub?application_name=hs',
        ssl: true,
      });
    }
    for (const url of [
      'postgres://hub@db/hub?sslmode=disable',
      'postgres://hub@db/hub?sslmode=verify-full',
      'postgres://hub@db/hub?sslmode=no-verify',
      'postgres://hub@db/hub?uselibpqcompat=true&sslmode=require',
    ]) {
      expect(poolOptions(url)).toEqual({ connectionString: url });
    }
  });

  it.skipIf(pgUrl === undefined)(
    'reports refused credentials as E_AUTH with the database hint, without the password (needs HUBSPOKE_TEST_PG_URL)',
    async () => {
      const url = new URL(pgUrl ?? '');
      url.password = 'wrong-pa55word';
      const e = await openHub({ database: url.toString(), env: {} }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isHubspokeError(e, 'E_AUTH')).toBe(true);
      expect((e as Error).message).not.toContain('wrong-pa55word');
    },
  );
});

describe('openDatabase targets', () => {
  it('refuses a target of no known kind (it used to open PGlite in memory), or without its folder or URL', async () => {
    for (const [target, path] of [
      [{}, 'target.kind'],
      [{ kind: 'sqlite', dir: 'x' }, 'target.kind'],
      [{ kind: 'pglite' }, 'target.dir'],
      [{ kind: 'pglite', dir: '' }, 'target.dir'],
      [{ kind: 'postgres', url: 42 }, 'target.url'],
    ] as const) {
      const e = await openDatabase(target as never).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
      expect((e as { path?: string }).path).toBe(path);
    }
  });
});

describe('pool size', () => {
  it('refuses a pool size that is not a whole number from 1 to 1000, before connecting', async () => {
    for (const poolSize of [0, -1, 1.5, 1001, Number.NaN]) {
      const e = await openDatabase({ kind: 'postgres', url: 'postgres://hub@127.0.0.1:1/hub' }, { poolSize }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
      expect((e as { path?: string }).path).toBe('poolSize');
    }
  });

  it.skipIf(pgUrl === undefined)(
    'opens a PostgreSQL hub with the pool size asked for (default 10) (needs HUBSPOKE_TEST_PG_URL)',
    async () => {
      const scratch = await scratchDatabase(pg, pgUrl);
      try {
        for (const [poolSize, max] of [
          [undefined, 10],
          [3, 3],
        ] as const) {
          const hub = await openHub({
            database: scratch.url,
            env: {},
            ...(poolSize === undefined ? {} : { poolSize }),
          });
          try {
            const { sql } = (await hub.state()).database;
            expect((sql as unknown as { options: { max: number } }).options.max).toBe(max);
          } finally {
            await hub.close();
          }
        }
      } finally {
        await scratch.drop();
      }
    },
  );
});
