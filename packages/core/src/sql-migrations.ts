import { HubspokeError } from './errors/hubspoke-error.js';
import type { SqlClient } from './sql-client.js';

/** One schema change. Statements are idempotent (`IF NOT EXISTS`), so processes migrating at once all end up right. */
export interface SqlMigration {
  version: number;
  name: string;
  /** The statements, given the store's table prefix. */
  statements: (prefix: string) => string[];
}

export interface MigrateSqlOptions {
  /** Prepended to every table name, the history table included (`<prefix><history>`). */
  prefix: string;
  /** The table (without prefix) that records applied versions, e.g. `migrations`. */
  history: string;
  /** In order; append new ones, never edit a released one. */
  migrations: readonly SqlMigration[];
  /** The package that owns the tables, named when the schema is newer than it understands. */
  owner: string;
  /** Turns a database failure into the store's own error, naming the operation. */
  toError: (error: unknown, operation: string) => HubspokeError;
}

/**
 * The SQLSTATE of a database error (pg and PGlite both put it in `code`). Every SQLSTATE holds a
 * digit, which tells it from a Node errno of five letters (`EPIPE`, `EBUSY`).
 */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(?=.*\d)[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

// "Another process created it first" while migrating concurrently.
const ALREADY_THERE = new Set(['42P07', '42710', '23505']);

/**
 * Applies the migrations a database lacks, in order, and returns their versions. Refuses
 * (`E_UNSUPPORTED`) a schema newer than `migrations` knows, so old code never writes to it.
 */
export async function migrateSql(client: SqlClient, options: MigrateSqlOptions): Promise<number[]> {
  const { prefix, migrations, owner, toError } = options;
  const history = `${prefix}${options.history}`;
  const run = async (operation: string, text: string, params: unknown[] = []) => {
    try {
      return (await client.query(text, params)).rows;
    } catch (error) {
      throw toError(error, operation);
    }
  };
  // When another process created the object at the same moment, the statement runs once more.
  const ddl = async (statement: string) => {
    try {
      await client.query(statement, []);
    } catch (error) {
      if (!ALREADY_THERE.has(sqlState(error) ?? '')) throw toError(error, 'migrate its tables');
      await run('migrate its tables', statement);
    }
  };

  await ddl(
    `CREATE TABLE IF NOT EXISTS ${history} (version integer NOT NULL, name text NOT NULL, applied_at text NOT NULL, CONSTRAINT ${history}_pkey PRIMARY KEY (version))`,
  );
  const applied = new Set(
    (await run('read its schema version', `SELECT version FROM ${history}`)).map((row) => Number(row.version)),
  );
  const newest = Math.max(0, ...applied);
  const known = migrations.at(-1)?.version ?? 0;
  if (newest > known) {
    throw new HubspokeError(
      'E_UNSUPPORTED',
      `The tables with prefix "${prefix}" are at schema version ${String(newest)}, newer than this ${owner} understands (${String(known)})`,
      {
        details: { tablePrefix: prefix, schemaVersion: newest, supported: known },
        hint: `Upgrade ${owner}, or use another table prefix.`,
      },
    );
  }
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements(prefix)) await ddl(statement);
    await run(
      'record a migration',
      `INSERT INTO ${history} (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING`,
      [migration.version, migration.name, new Date().toISOString()],
    );
    done.push(migration.version);
  }
  return done;
}
