import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { databaseTarget, openApprovals, poolOptions, redactUrl } from './approvals-db.js';
import { loadConfig } from './config/load-config.js';
import { Project } from './project.js';
import { hubspoke, tempProject } from './test-helpers.js';

async function project(database: Record<string, string> = {}): Promise<Project> {
  const dir = await tempProject({
    'hubspoke.config.json': JSON.stringify({ brandKit: 'b.json', workflow: 'w.json', database }),
    'sub/.keep': '',
  });
  return new Project(await loadConfig({ cwd: dir }), path.join(dir, 'sub'));
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('databaseTarget', () => {
  it('defaults to PGlite in .hubspoke/approvals beside the config', async () => {
    const p = await project();
    expect(databaseTarget(p, { env: {} })).toEqual({ kind: 'pglite', dir: path.join(p.dir, '.hubspoke/approvals') });
  });

  it("reads folders given on the command line from where it runs, and the config's from the config file", async () => {
    const p = await project({ url: 'state/db' });
    expect(databaseTarget(p, { env: {} })).toEqual({ kind: 'pglite', dir: path.join(p.dir, 'state/db') });
    expect(databaseTarget(p, { url: 'file:here', env: {} })).toEqual({ kind: 'pglite', dir: path.join(p.cwd, 'here') });
  });

  it("fills ${ENV} in the config's URL, and says which variable is missing without a value", async () => {
    const p = await project({ url: 'postgres://hub:${HUB_DB_PASSWORD}@db.example:5432/hub' });
    expect(databaseTarget(p, { env: { HUB_DB_PASSWORD: 's3cret' } })).toEqual({
      kind: 'postgres',
      url: 'postgres://hub:s3cret@db.example:5432/hub',
    });
    const e = failure(() => databaseTarget(p, { env: {} }));
    expect(isHubspokeError(e, 'E_AUTH')).toBe(true);
    expect((e as Error).message).toBe('config.database.url: environment variable HUB_DB_PASSWORD is not set');
  });

  it('refuses other URL schemes instead of making a folder named after them', async () => {
    const p = await project();
    const e = failure(() => databaseTarget(p, { url: 'mysql://root:pw@localhost/hub', env: {} }));
    expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    expect((e as Error).message).toBe('database URL: mysql:// is not supported');
  });

  it('refuses a malformed PostgreSQL URL without printing its password', async () => {
    const p = await project();
    const e = failure(() => databaseTarget(p, { url: 'postgres://hub:pa55word@[::1/hub', env: {} }));
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
    const hub = await tempProject();
    expect((await hubspoke(['init'], { cwd: hub, env: { NO_COLOR: '1' } })).code).toBe(0);
    const p = new Project(await loadConfig({ cwd: hub }), hub);
    const lock = path.join(hub, '.hubspoke/approvals.lock');
    const db = await openApprovals(p, { env: {} });
    try {
      expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
      const e = await openApprovals(p, { env: {} }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isHubspokeError(e, 'E_CONFLICT')).toBe(true);
    } finally {
      await db.close();
    }
    expect(existsSync(lock)).toBe(false);
  }, 60_000);

  it('clears a lock whose content is not a live pid', async () => {
    const hub = await tempProject();
    expect((await hubspoke(['init'], { cwd: hub, env: { NO_COLOR: '1' } })).code).toBe(0);
    const p = new Project(await loadConfig({ cwd: hub }), hub);
    const lock = path.join(hub, '.hubspoke/approvals.lock');
    mkdirSync(path.dirname(lock), { recursive: true });
    for (const stale of ['', 'garbage', '999999999']) {
      writeFileSync(lock, stale);
      const db = await openApprovals(p, { env: {} });
      await db.close();
      expect(existsSync(lock)).toBe(false);
    }
  }, 60_000);
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

  const pgUrl = process.env.HUBSPOKE_TEST_PG_URL;
  it.skipIf(pgUrl === undefined)(
    'reports a server without TLS in one line, with no pg warning (needs HUBSPOKE_TEST_PG_URL)',
    async () => {
      const hub = await tempProject();
      expect((await hubspoke(['init'], { cwd: hub, env: { NO_COLOR: '1' } })).code).toBe(0);
      const url = new URL(pgUrl ?? '');
      url.searchParams.set('sslmode', 'require');
      const r = await hubspoke(['status', '--as', 'hana', '--database-url', url.toString()], {
        cwd: hub,
        env: { NO_COLOR: '1' },
      });
      expect(r.stderr).not.toContain('SECURITY WARNING');
      // The test server may or may not offer TLS (its certificate is not trusted either way).
      if (r.code !== 0) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
    60_000,
  );
});
