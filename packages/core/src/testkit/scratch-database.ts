import { HubspokeError } from '../errors/hubspoke-error.js';

/** One admin session on a PostgreSQL server: what {@link scratchDatabase} needs of a client. */
export interface PostgresAdminClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<unknown>;
}

/**
 * A PostgreSQL driver as {@link scratchDatabase} uses it: `pg` itself fits (`import pg from 'pg'`),
 * so core does not depend on a driver; tests pass theirs.
 */
export interface PostgresDriver {
  Client: new (config: { connectionString: string }) => PostgresAdminClient;
}

/** A throwaway database: its URL, and `drop()` for the test's cleanup. */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export interface ScratchDatabaseOptions {
  /** The database name's start, before the process id and a random part (default `hubspoke_test`). */
  prefix?: string;
  /** How long `drop()` waits for other sessions to leave before it forces them out (default 5,000 ms). */
  patienceMs?: number;
}

const RETRY_MS = 100;
const NAME = /^[a-z_][a-z0-9_]{0,39}$/;
/** SQLSTATE 55006 (object_in_use): the database is still being accessed by other users. */
const IN_USE = '55006';

async function withClient<T>(driver: PostgresDriver, url: string, work: (c: PostgresAdminClient) => Promise<T>) {
  const client = new driver.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a throwaway database on the PostgreSQL server at `url` (for tests: usually
 * `HUBSPOKE_TEST_PG_URL`, and the test is skipped with its reason when that is unset) and returns
 * its URL. `drop()` removes it: a plain `DROP DATABASE` retried while the server says other sessions
 * still use it (55006), because pools that were just ended may still be closing; only after
 * `patienceMs` does it drop `WITH (FORCE)`, which would reach a closing client as an unhandled
 * 57P01 error.
 */
export async function scratchDatabase(
  driver: PostgresDriver,
  url: string | undefined,
  options: ScratchDatabaseOptions = {},
): Promise<ScratchDatabase> {
  if (typeof url !== 'string' || url === '')
    throw new HubspokeError('E_VALIDATION', 'scratchDatabase needs a PostgreSQL URL (set HUBSPOKE_TEST_PG_URL)');
  const prefix = options.prefix ?? 'hubspoke_test';
  if (!NAME.test(prefix))
    throw new HubspokeError('E_VALIDATION', 'scratchDatabase: prefix must be lowercase letters, digits and _', {
      details: { prefix: prefix.slice(0, 60) },
    });
  const attempts = Math.max(1, Math.ceil((options.patienceMs ?? 5_000) / RETRY_MS));
  const name = `${prefix}_${String(process.pid)}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(driver, url, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: () =>
      withClient(driver, url, async (admin) => {
        for (let attempt = 0; attempt < attempts; attempt++) {
          try {
            await admin.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (error) {
            if ((error as { code?: unknown } | null)?.code !== IN_USE) throw error;
            await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          }
        }
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
