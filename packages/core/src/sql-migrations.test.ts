import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubspokeError, isHubspokeError } from './errors/hubspoke-error.js';
import type { SqlClient } from './sql-client.js';
import { migrateSql, sqlState, type SqlMigration } from './sql-migrations.js';

const MIGRATIONS: SqlMigration[] = [
  { version: 1, name: 'notes', statements: (p) => [`CREATE TABLE IF NOT EXISTS ${p}notes (id text PRIMARY KEY)`] },
  {
    version: 2,
    name: 'note text',
    statements: (p) => [
      `ALTER TABLE ${p}notes ADD COLUMN IF NOT EXISTS body text`,
      `CREATE INDEX IF NOT EXISTS ${p}notes_body ON ${p}notes (body)`,
    ],
  },
];
const toError = (error: unknown, operation: string) =>
  new HubspokeError('E_UPSTREAM', `store: could not ${operation}`, { cause: error });
const options = (prefix: string, migrations = MIGRATIONS) => ({
  prefix,
  history: 'migrations',
  migrations,
  owner: '@hubspoke/test',
  toError,
});

async function rejection(promise: Promise<unknown>): Promise<HubspokeError> {
  try {
    await promise;
  } catch (error) {
    if (isHubspokeError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('migrateSql', () => {
  // One embedded database for the file (starting one takes seconds on a busy machine); each test has its own prefix.
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(() => db.close());

  it('applies what is missing, in order, records it, and does nothing the second time', async () => {
    expect(await migrateSql(db, options('a_', MIGRATIONS.slice(0, 1)))).toEqual([1]);
    expect(await migrateSql(db, options('a_'))).toEqual([2]);
    expect(await migrateSql(db, options('a_'))).toEqual([]);
    await db.query("INSERT INTO a_notes (id, body) VALUES ('n1', 'hello')");
    const { rows } = await db.query<{ version: number; name: string }>(
      'SELECT version, name FROM a_migrations ORDER BY version',
    );
    expect(rows).toEqual([
      { version: 1, name: 'notes' },
      { version: 2, name: 'note text' },
    ]);
    // Another prefix is another store.
    expect(await migrateSql(db, options('b_'))).toEqual([1, 2]);
  });

  it('refuses a schema newer than the code, naming its owner', async () => {
    await migrateSql(db, options('c_'));
    await db.query("INSERT INTO c_migrations VALUES (7, 'from the future', 'now')");
    const error = await rejection(migrateSql(db, options('c_')));
    expect(error.code).toBe('E_UNSUPPORTED');
    expect(error.details).toEqual({ tablePrefix: 'c_', schemaVersion: 7, supported: 2 });
    expect(error.hint).toContain('@hubspoke/test');
  });

  it('reports a failing statement through the store’s own error', async () => {
    const broken: SqlMigration[] = [{ version: 1, name: 'typo', statements: (p) => [`CREATE TABEL ${p}x (id text)`] }];
    const error = await rejection(migrateSql(db, options('d_', broken)));
    expect(error.message).toBe('store: could not migrate its tables');
    expect(sqlState(error.cause)).toBe('42601');
    // Nothing was recorded, so a fixed release applies it.
    expect((await db.query('SELECT count(*)::int AS n FROM d_migrations')).rows).toEqual([{ n: 0 }]);
  });

  it('runs a statement once more when another process created the object at the same moment', async () => {
    let raced = false;
    const racing: SqlClient = {
      async query(text, params) {
        if (!raced && text.startsWith('CREATE INDEX')) {
          raced = true;
          throw Object.assign(new Error('relation already exists'), { code: '42P07' });
        }
        return db.query(text, params);
      },
    };
    expect(await migrateSql(racing, options('e_'))).toEqual([1, 2]);
    expect(raced).toBe(true);
    expect((await db.query("SELECT indexname FROM pg_indexes WHERE indexname = 'e_notes_body'")).rows).toHaveLength(1);
  });
});

describe('sqlState', () => {
  it('reads a five-character SQLSTATE and nothing else', () => {
    expect(sqlState({ code: '23505' })).toBe('23505');
    expect(sqlState({ code: 'ECONNREFUSED' })).toBeUndefined();
    for (const errno of ['EPIPE', 'EPERM', 'EBUSY']) expect(sqlState({ code: errno })).toBeUndefined();
    for (const state of ['42P07', 'XX000', 'HV00B', '08006']) expect(sqlState({ code: state })).toBe(state);
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const state = sqlState(value);
        expect(state === undefined || (/^[0-9A-Z]{5}$/.test(state) && /\d/.test(state))).toBe(true);
      }),
    );
  });
});
