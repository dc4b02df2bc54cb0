import { HubspokeError, type SqlClient } from '@hubspoke/core';

export type PublishKind = 'email' | 'template' | 'task';

/** What was published: one draft (or template) version in one locale, or one task key. */
export interface PublishKey {
  /** The connector instance, e.g. `marketo` or `marketo:emea`. */
  connector: string;
  kind: PublishKind;
  /** Draft id, template id or task key. */
  sourceId: string;
  version: number;
  /** `''` where a locale does not apply (tasks). */
  locale: string;
}

export interface PublishRecord extends PublishKey {
  remoteId: string;
  url?: string;
  contentHash?: string;
  updatedAt: string;
}

/**
 * Where the (draft id, version, locale) → remote id mapping lives, so pushing the same
 * version twice updates one remote asset instead of creating a second.
 */
export interface PublishStore {
  get(key: PublishKey): Promise<PublishRecord | undefined>;
  /** Inserts or replaces the record for its key. */
  put(record: PublishRecord): Promise<void>;
  findByRemoteId(connector: string, kind: PublishKind, remoteId: string): Promise<PublishRecord | undefined>;
}

const keyOf = (k: PublishKey) => JSON.stringify([k.connector, k.kind, k.sourceId, k.version, k.locale]);

/** The in-memory store (the default): lives as long as the process. */
export function createMemoryPublishStore(): PublishStore {
  const records = new Map<string, PublishRecord>();
  return {
    get: (key) => Promise.resolve(records.get(keyOf(key))),
    put: (record) => {
      records.set(keyOf(record), { ...record });
      return Promise.resolve();
    },
    findByRemoteId: (connector, kind, remoteId) =>
      Promise.resolve([...records.values()].find((r) => r.connector === connector && r.kind === kind && r.remoteId === remoteId)),
  };
}

export interface SqlPublishStoreOptions {
  /** Prepended to the table name (`<prefix>publish_map`); letters, digits and `_` only. */
  tablePrefix?: string;
}

/**
 * A durable store over core's `SqlClient` (PGlite, `pg`, or a Postgres-compatible engine).
 * Portable SQL: one plain table with a composite primary key and an upsert. The table is
 * created on first use.
 */
export function createSqlPublishStore(sql: SqlClient, options: SqlPublishStoreOptions = {}): PublishStore & { migrate(): Promise<void> } {
  const prefix = options.tablePrefix ?? 'hubspoke_';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(prefix)) {
    throw new HubspokeError('E_VALIDATION', `Invalid tablePrefix: expected letters, digits or "_" (at most 41), got ${JSON.stringify(prefix)}`, { path: 'tablePrefix' });
  }
  const table = `${prefix}publish_map`;
  let ready: Promise<void> | undefined;
  const migrate = () =>
    (ready ??= (async () => {
      await sql.query(
        `CREATE TABLE IF NOT EXISTS ${table} (
          connector text NOT NULL, kind text NOT NULL, source_id text NOT NULL, version integer NOT NULL, locale text NOT NULL,
          remote_id text NOT NULL, url text, content_hash text, updated_at text NOT NULL,
          PRIMARY KEY (connector, kind, source_id, version, locale))`,
      );
      await sql.query(`CREATE INDEX IF NOT EXISTS ${table}_remote ON ${table} (connector, kind, remote_id)`);
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
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
  return {
    migrate,
    async get(key) {
      await migrate();
      const { rows } = await sql.query(
        `SELECT * FROM ${table} WHERE connector = $1 AND kind = $2 AND source_id = $3 AND version = $4 AND locale = $5`,
        [key.connector, key.kind, key.sourceId, key.version, key.locale],
      );
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    },
    async put(r) {
      await migrate();
      await sql.query(
        `INSERT INTO ${table} (connector, kind, source_id, version, locale, remote_id, url, content_hash, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (connector, kind, source_id, version, locale)
         DO UPDATE SET remote_id = EXCLUDED.remote_id, url = EXCLUDED.url, content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at`,
        [r.connector, r.kind, r.sourceId, r.version, r.locale, r.remoteId, r.url ?? null, r.contentHash ?? null, r.updatedAt],
      );
    },
    async findByRemoteId(connector, kind, remoteId) {
      await migrate();
      const { rows } = await sql.query(`SELECT * FROM ${table} WHERE connector = $1 AND kind = $2 AND remote_id = $3 ORDER BY version DESC LIMIT 1`, [connector, kind, remoteId]);
      return rows[0] === undefined ? undefined : toRecord(rows[0]);
    },
  };
}
