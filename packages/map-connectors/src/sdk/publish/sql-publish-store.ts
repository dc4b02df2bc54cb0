import {
  checkArgs,
  HubspokeError,
  isHubspokeError,
  migrateSql,
  sqlState,
  type SqlClient,
  type SqlMigration,
} from '@hubspoke/core';
import {
  publishInput,
  type PublishKey,
  type PublishKind,
  type PublishRecord,
  type PublishStore,
} from './publish-store.js';

/** One schema change (core's `SqlMigration`): idempotent statements, so processes migrating at once all end up right. */
export type PublishStoreMigration = SqlMigration;

const KEY_COLUMNS = 'connector, kind, source_id, version, locale';

/** The store's schema history. Append new migrations; never edit a released one. */
export const PUBLISH_STORE_MIGRATIONS: readonly PublishStoreMigration[] = [
  {
    version: 1,
    name: 'publish map',
    statements: (p) => [
      `CREATE TABLE IF NOT EXISTS ${p}publish_map (
          connector text NOT NULL, kind text NOT NULL, source_id text NOT NULL, version integer NOT NULL, locale text NOT NULL,
          remote_id text NOT NULL, url text, content_hash text, updated_at text NOT NULL,
          PRIMARY KEY (connector, kind, source_id, version, locale))`,
      `CREATE INDEX IF NOT EXISTS ${p}publish_map_remote ON ${p}publish_map (connector, kind, remote_id)`,
    ],
  },
  {
    version: 2,
    name: 'publish claims',
    statements: (p) => [
      `CREATE TABLE IF NOT EXISTS ${p}publish_claims (
          connector text NOT NULL, kind text NOT NULL, source_id text NOT NULL, version integer NOT NULL, locale text NOT NULL,
          token text NOT NULL, expires_at timestamptz NOT NULL, recover boolean NOT NULL DEFAULT false,
          PRIMARY KEY (${KEY_COLUMNS}))`,
    ],
  },
];

export interface SqlPublishStoreOptions {
  /** Prepended to the table names (`<prefix>publish_map`, …); letters, digits and `_` only. */
  tablePrefix?: string;
}

export type SqlPublishStore = PublishStore & {
  /** Applies pending migrations (also run on first use); refuses a schema newer than this code. */
  migrate(): Promise<void>;
};

const keyParams = (k: PublishKey) => [k.connector, k.kind, k.sourceId, k.version, k.locale];
const WHERE_KEY = 'connector = $1 AND kind = $2 AND source_id = $3 AND version = $4 AND locale = $5';
/** `$n` milliseconds from now by the database's clock, so publishers on different hosts agree on lease times. */
const fromNow = (n: number) => `clock_timestamp() + $${n}::integer * interval '1 millisecond'`;

/**
 * A durable store over core's `SqlClient` (PGlite, `pg`'s Pool or Client, or a
 * Postgres-compatible engine). Portable SQL: plain tables with composite primary keys,
 * `ON CONFLICT` upserts, and one statement per operation, so a pool may run each on another
 * connection. Claims are rows in `<prefix>publish_claims` whose lease is measured by the
 * database clock; the insert-or-take-over-a-lapsed-lease statement lets exactly one
 * publisher win.
 */
export function createSqlPublishStore(sql: SqlClient, options: SqlPublishStoreOptions = {}): SqlPublishStore {
  checkArgs('createSqlPublishStore', ['sql:object', 'options:object?'], [sql, options]);
  const prefix = options.tablePrefix ?? 'hubspoke_';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(prefix)) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid tablePrefix: expected letters, digits or "_" (at most 41), got ${JSON.stringify(prefix)}`,
      { path: 'tablePrefix' },
    );
  }
  const map = `${prefix}publish_map`;
  const claims = `${prefix}publish_claims`;

  const storeError = (error: unknown, operation: string): HubspokeError => {
    if (isHubspokeError(error)) return error;
    const state = sqlState(error);
    const message = error instanceof Error ? error.message : String(error);
    return new HubspokeError('E_UPSTREAM', `The publish store could not ${operation}: ${message}`, {
      details: { operation, ...(state === undefined ? {} : { sqlState: state }) },
      cause: error,
    });
  };
  const run = async (operation: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    try {
      return (await sql.query(text, params)).rows;
    } catch (error) {
      throw storeError(error, operation);
    }
  };
  let ready: Promise<void> | undefined;
  const migrate = () =>
    (ready ??= migrateSql(sql, {
      prefix,
      history: 'publish_migrations',
      migrations: PUBLISH_STORE_MIGRATIONS,
      owner: '@hubspoke/map-connectors',
      toError: storeError,
    }).then(
      () => undefined,
      (error: unknown) => {
        ready = undefined;
        throw error;
      },
    ));
  /** Methods validate their input first, so bad input never reaches SQL. */
  const query = async (operation: string, text: string, params: unknown[]) => {
    await migrate();
    return run(operation, text, params);
  };

  const toRecord = (row: Record<string, unknown>): PublishRecord => ({
    connector: String(row.connector),
    kind: String(row.kind) as PublishKind,
    sourceId: String(row.source_id),
    version: Number(row.version),
    locale: String(row.locale),
    remoteId: String(row.remote_id),
    ...(typeof row.url === 'string' ? { url: row.url } : {}),
    ...(typeof row.content_hash === 'string' ? { contentHash: row.content_hash } : {}),
    updatedAt: String(row.updated_at),
  });
  const first = (rows: Record<string, unknown>[]) => (rows[0] === undefined ? undefined : toRecord(rows[0]));

  return {
    migrate,
    async get(key) {
      const k = publishInput.key(key);
      return first(await query('read a mapping', `SELECT * FROM ${map} WHERE ${WHERE_KEY}`, keyParams(k)));
    },
    async put(record) {
      const r = publishInput.record(record);
      await query(
        'write a mapping',
        `INSERT INTO ${map} (${KEY_COLUMNS}, remote_id, url, content_hash, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (${KEY_COLUMNS})
         DO UPDATE SET remote_id = EXCLUDED.remote_id, url = EXCLUDED.url, content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at`,
        [...keyParams(r), r.remoteId, r.url ?? null, r.contentHash ?? null, r.updatedAt],
      );
    },
    async findByRemoteId(connector, kind, remoteId) {
      const params = [publishInput.connector(connector), publishInput.kind(kind), publishInput.lookupId(remoteId)];
      if (params[2] === undefined) return undefined;
      return first(
        await query(
          'find a mapping by remote id',
          `SELECT * FROM ${map} WHERE connector = $1 AND kind = $2 AND remote_id = $3 ORDER BY version DESC LIMIT 1`,
          params,
        ),
      );
    },
    async claim(key, token, leaseMs) {
      const params = [...keyParams(publishInput.key(key)), publishInput.token(token), publishInput.leaseMs(leaseMs)];
      // One statement: insert, or take over a lapsed lease; no row comes back while a live lease stands.
      const rows = await query(
        'claim a key',
        `INSERT INTO ${claims} AS c (${KEY_COLUMNS}, token, expires_at) VALUES ($1, $2, $3, $4, $5, $6, ${fromNow(7)})
         ON CONFLICT (${KEY_COLUMNS}) DO UPDATE SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at, recover = true
         WHERE c.expires_at <= clock_timestamp()
         RETURNING recover`,
        params,
      );
      return rows[0] === undefined ? undefined : { token: String(params[5]), recover: rows[0].recover === true };
    },
    async renewClaim(key, token, leaseMs) {
      const params = [...keyParams(publishInput.key(key)), publishInput.token(token), publishInput.leaseMs(leaseMs)];
      const rows = await query(
        'renew a claim',
        `UPDATE ${claims} SET expires_at = ${fromNow(7)} WHERE ${WHERE_KEY} AND token = $6 RETURNING token`,
        params,
      );
      return rows.length > 0;
    },
    async releaseClaim(key, token, settled) {
      const params = [...keyParams(publishInput.key(key)), publishInput.token(token)];
      if (publishInput.settled(settled))
        await query('release a claim', `DELETE FROM ${claims} WHERE ${WHERE_KEY} AND token = $6`, params);
      else
        await query(
          'release a claim',
          `UPDATE ${claims} SET expires_at = clock_timestamp() WHERE ${WHERE_KEY} AND token = $6`,
          params,
        );
    },
  };
}
