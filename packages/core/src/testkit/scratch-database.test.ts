import { describe, expect, it } from 'vitest';
import { isHubspokeError } from '../errors/hubspoke-error.js';
import { scratchDatabase, type PostgresAdminClient, type PostgresDriver } from './scratch-database.js';

/** A driver that records every session's statements; `answer` decides what each DROP does. */
function fakeDriver(answer: (sql: string, dropsSoFar: number) => void = () => undefined) {
  const log: string[] = [];
  let drops = 0;
  let open = 0;
  class Client implements PostgresAdminClient {
    constructor(readonly config: { connectionString: string }) {}
    connect() {
      open++;
      log.push(`connect ${this.config.connectionString}`);
      return Promise.resolve();
    }
    query(sql: string) {
      log.push(sql);
      if (sql.startsWith('DROP')) answer(sql, drops++);
      return Promise.resolve({ rows: [] });
    }
    end() {
      open--;
      log.push('end');
      return Promise.resolve();
    }
  }
  const driver: PostgresDriver = { Client };
  return { driver, log, openSessions: () => open };
}

const inUse = () => Object.assign(new Error('database is being accessed by other users'), { code: '55006' });
const ADMIN = 'postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable';

describe('scratchDatabase', () => {
  it('creates a database named by prefix, pid and a random part, and gives its URL on the same server', async () => {
    const { driver, log, openSessions } = fakeDriver();
    const db = await scratchDatabase(driver, ADMIN, { prefix: 'hubspoke_core_test' });
    const name = /^CREATE DATABASE (hubspoke_core_test_\d+_[a-z0-9]+)$/.exec(log[1] ?? '')?.[1];
    expect(name).toBeDefined();
    expect(db.url).toBe(`postgres://u:p@127.0.0.1:5432/${name ?? ''}?sslmode=disable`);
    expect(log).toEqual([`connect ${ADMIN}`, `CREATE DATABASE ${name ?? ''}`, 'end']);
    await db.drop();
    expect(log.slice(3)).toEqual([`connect ${ADMIN}`, `DROP DATABASE IF EXISTS ${name ?? ''}`, 'end']);
    expect(openSessions()).toBe(0);
  });

  it('waits while other sessions still use the database (55006), then drops it without FORCE', async () => {
    const { driver, log } = fakeDriver((_, n) => {
      if (n < 2) throw inUse();
    });
    const db = await scratchDatabase(driver, ADMIN);
    await db.drop();
    const drops = log.filter((sql) => sql.startsWith('DROP'));
    expect(drops).toHaveLength(3);
    expect(drops.some((sql) => sql.includes('FORCE'))).toBe(false);
  });

  it('drops WITH (FORCE) once its patience is spent, and ends its session', async () => {
    const { driver, log, openSessions } = fakeDriver((sql) => {
      if (!sql.endsWith('WITH (FORCE)')) throw inUse();
    });
    const db = await scratchDatabase(driver, ADMIN, { patienceMs: 300 });
    await db.drop();
    const drops = log.filter((sql) => sql.startsWith('DROP'));
    expect(drops).toHaveLength(4);
    expect(drops.at(-1)).toMatch(/^DROP DATABASE IF EXISTS hubspoke_test_\d+_[a-z0-9]+ WITH \(FORCE\)$/);
    expect(openSessions()).toBe(0);
  });

  it('passes on any other error at once, and still ends its session', async () => {
    const { driver, log, openSessions } = fakeDriver(() => {
      throw Object.assign(new Error('permission denied'), { code: '42501' });
    });
    const db = await scratchDatabase(driver, ADMIN);
    await expect(db.drop()).rejects.toThrow('permission denied');
    expect(log.filter((sql) => sql.startsWith('DROP'))).toHaveLength(1);
    expect(openSessions()).toBe(0);
  });

  it('refuses a missing URL (naming HUBSPOKE_TEST_PG_URL) and a prefix that is not a plain identifier', async () => {
    const { driver, log } = fakeDriver();
    for (const attempt of [
      () => scratchDatabase(driver, undefined),
      () => scratchDatabase(driver, ''),
      () => scratchDatabase(driver, ADMIN, { prefix: 'x; DROP DATABASE postgres' }),
      () => scratchDatabase(driver, ADMIN, { prefix: 'Upper' }),
    ]) {
      const error: unknown = await attempt().catch((e: unknown) => e);
      expect(isHubspokeError(error) && error.code).toBe('E_VALIDATION');
    }
    await expect(scratchDatabase(driver, undefined)).rejects.toThrow('HUBSPOKE_TEST_PG_URL');
    expect(log).toEqual([]);
  });
});
