import { HubspokeError, migrateSql, parse, type SqlClient, type SqlMigration } from '@hubspoke/core';
import { exactKey, fuzzyGrams } from './ngram.js';
import {
  pairKey,
  TmLookupOptionsSchema,
  TmQuerySchema,
  type EntryColumns,
  type TmEntry,
  type TmLookupOptions,
  type TmMatch,
  type TmQuery,
  type TranslationMemory,
  validateEntries,
} from './translation-memory.js';

/** The tables, created by core's migrateSql; append new migrations, never edit one. */
const TM_MIGRATIONS: readonly SqlMigration[] = [
  {
    version: 1,
    name: 'entries and trigrams',
    statements: (prefix) => [
      `CREATE TABLE IF NOT EXISTS ${prefix}tm_entry (
        id BIGSERIAL PRIMARY KEY,
        pair TEXT NOT NULL,
        source_key TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        origin TEXT,
        gram_count INTEGER NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
        UNIQUE (pair, source_key)
      )`,
      `CREATE TABLE IF NOT EXISTS ${prefix}tm_gram (
        pair TEXT NOT NULL,
        gram TEXT NOT NULL,
        entry_id BIGINT NOT NULL REFERENCES ${prefix}tm_entry (id) ON DELETE CASCADE,
        PRIMARY KEY (pair, gram, entry_id)
      )`,
    ],
  },
];

function databaseError(cause: unknown, operation?: string): HubspokeError {
  return new HubspokeError(
    'E_UPSTREAM',
    `The translation-memory database failed${operation === undefined ? '' : ` (${operation})`}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}

export interface SqlTranslationMemoryOptions {
  client: SqlClient;
  /** Prefix for the two tables (`<prefix>tm_entry`, `<prefix>tm_gram`). Default `hubspoke_`. */
  tablePrefix?: string;
}

/**
 * A translation memory in PostgreSQL (PGlite, `pg`, or a Postgres-compatible engine).
 * Plain tables, no extensions: trigrams live in their own table with a primary key that
 * serves `(pair, gram)` lookups, and the fuzzy score is computed in SQL. Entries are written
 * {@link CHUNK_ENTRIES} to a statement (the entries and their trigrams together, so an entry is
 * never stored without its trigrams); an `add` of several chunks runs in one transaction when the
 * client offers one (PGlite's `transaction()`, a `pg` pool's `connect()`), otherwise chunk by chunk.
 */
export async function createSqlTranslationMemory(options: SqlTranslationMemoryOptions): Promise<TranslationMemory> {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new HubspokeError(
      'E_VALIDATION',
      'Invalid options: createSqlTranslationMemory expected an object with client',
      {
        path: 'options',
      },
    );
  }
  const prefix = options.tablePrefix ?? 'hubspoke_';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid options.tablePrefix: expected lower-case letters, digits and "_", got ${JSON.stringify(prefix).slice(0, 60)}`,
      { path: 'options.tablePrefix' },
    );
  }
  if (typeof (options.client as Partial<SqlClient> | undefined)?.query !== 'function') {
    throw new HubspokeError('E_VALIDATION', 'Invalid options.client: expected a SqlClient with query()', {
      path: 'options.client',
    });
  }
  const sql = options.client;
  const entry = `${prefix}tm_entry`;
  const gram = `${prefix}tm_gram`;
  const run = async (text: string, params?: unknown[]) => {
    try {
      return await sql.query(text, params);
    } catch (cause) {
      throw databaseError(cause);
    }
  };

  await migrateSql(sql, {
    prefix,
    history: 'tm_migrations',
    migrations: TM_MIGRATIONS,
    owner: '@hubspoke/assist',
    toError: (cause, operation) => databaseError(cause, operation),
  });

  const memory: TranslationMemory = {
    async add(entries: readonly TmEntry[]): Promise<number> {
      const columns = validateEntries(entries);
      const chunks = chunksOf(columns, inLockOrder(columns));
      const write = async (client: SqlClient) => {
        for (const chunk of chunks) {
          try {
            await client.query(insertChunk(entry, gram), chunk);
          } catch (cause) {
            throw databaseError(cause);
          }
        }
      };
      if (chunks.length === 1) await write(sql);
      else if (chunks.length > 1) await inTransaction(sql, write);
      return columns.sources.length;
    },

    async lookup(query: TmQuery, options: TmLookupOptions = {}): Promise<TmMatch[]> {
      const q = parse(TmQuerySchema, query, 'query');
      const o = parse(TmLookupOptionsSchema, options, 'options');
      const pair = pairKey(q.sourceLocale, q.targetLocale);
      const key = exactKey(q.source);
      const limit = o.limit ?? 3;
      const matches: TmMatch[] = [];
      const exact = await run(`SELECT source, target, origin FROM ${entry} WHERE pair = $1 AND source_key = $2`, [
        pair,
        key,
      ]);
      for (const row of exact.rows) matches.push(toMatch('exact', 1, row));
      if (matches.length >= limit) return matches.slice(0, limit);
      const grams = fuzzyGrams(q.source);
      const fuzzy = await run(
        `SELECT e.source, e.target, e.origin, 2.0 * m.shared / (e.gram_count + $3) AS score
         FROM (SELECT entry_id, COUNT(*) AS shared FROM ${gram} WHERE pair = $1 AND gram = ANY($2::text[]) GROUP BY entry_id) m
         JOIN ${entry} e ON e.id = m.entry_id
         WHERE 2.0 * m.shared / (e.gram_count + $3) >= $4 AND e.source_key <> $5
         ORDER BY score DESC, e.id DESC
         LIMIT $6`,
        [pair, grams, grams.length, (o.minScore ?? 0.75) - 1e-12, key, limit - matches.length],
      );
      for (const row of fuzzy.rows) matches.push(toMatch('fuzzy', Number(row.score), row));
      return matches;
    },

    async count(): Promise<number> {
      const result = await run(`SELECT COUNT(*) AS n FROM ${entry}`);
      return Number(result.rows[0]?.n ?? 0);
    },
  };
  return memory;
}

/** Entries per INSERT statement (and at most {@link CHUNK_GRAMS} trigrams). */
export const CHUNK_ENTRIES = 500;
/** Trigrams per INSERT statement: a chunk of long texts ends early. */
export const CHUNK_GRAMS = 50_000;

/**
 * One statement storing a chunk: the entries (a multi-row upsert, in the order given) and the
 * trigrams of each entry inserted or updated. Its parameters are the columns as arrays and the
 * trigrams as two parallel arrays (entry ordinal, trigram); see {@link chunksOf}.
 */
function insertChunk(entry: string, gram: string): string {
  return `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[])
         WITH ORDINALITY AS i(pair, source_key, source, target, origin, gram_count, ord)
     ),
     stored AS (
       INSERT INTO ${entry} (pair, source_key, source, target, origin, gram_count)
       SELECT pair, source_key, source, target, origin, gram_count FROM input ORDER BY ord
       ON CONFLICT (pair, source_key) DO UPDATE
         SET source = EXCLUDED.source, target = EXCLUDED.target, origin = EXCLUDED.origin, updated_at = CURRENT_TIMESTAMP
       RETURNING id, pair, source_key
     )
     INSERT INTO ${gram} (pair, gram, entry_id)
     SELECT s.pair, g.gram, s.id
     FROM stored s
     JOIN input i ON i.pair = s.pair AND i.source_key = s.source_key
     JOIN unnest($7::bigint[], $8::text[]) AS g(ord, gram) ON g.ord = i.ord
     ON CONFLICT DO NOTHING`;
}

/**
 * The entries to write and their order: the last entry for each locale pair and exact key (later
 * duplicates win, as one entry at a time would), sorted by pair and key. Every `add` then takes its
 * row locks in the same order, so two concurrent multi-chunk adds on a server wait for each other
 * instead of deadlocking (in the order given, a second add of the same entries reversed deadlocked).
 */
function inLockOrder({
  sources,
  sourceLocales,
  targetLocales,
}: EntryColumns): { index: number; pair: string; key: string }[] {
  const last = new Map<string, { index: number; pair: string; key: string }>();
  for (let i = 0; i < sources.length; i++) {
    const pair = pairKey(sourceLocales[i] ?? '', targetLocales[i] ?? '');
    const key = exactKey(sources[i] ?? '');
    last.set(`${pair}\u0000${key}`, { index: i, pair, key });
  }
  return [...last.values()].sort((a, b) =>
    a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}

/**
 * The parameter lists of {@link insertChunk} for the entries in `order` (distinct pair and key,
 * so one upsert never changes a row twice). A chunk ends at {@link CHUNK_ENTRIES} entries or
 * {@link CHUNK_GRAMS} trigrams.
 */
function chunksOf(
  { sources, targets, origins }: EntryColumns,
  order: readonly { index: number; pair: string; key: string }[],
): unknown[][] {
  const chunks: unknown[][] = [];
  let pairs: string[] = [];
  let keys: string[] = [];
  let texts: string[] = [];
  let translations: string[] = [];
  let from: (string | null)[] = [];
  let counts: number[] = [];
  let gramEntries: number[] = [];
  let grams: string[] = [];
  const flush = () => {
    if (pairs.length === 0) return;
    chunks.push([pairs, keys, texts, translations, from, counts, gramEntries, grams]);
    pairs = [];
    keys = [];
    texts = [];
    translations = [];
    from = [];
    counts = [];
    gramEntries = [];
    grams = [];
  };
  for (const { index, pair, key } of order) {
    const source = sources[index] ?? '';
    const entryGrams = fuzzyGrams(source);
    if (pairs.length >= CHUNK_ENTRIES || grams.length + entryGrams.length > CHUNK_GRAMS) flush();
    pairs.push(pair);
    keys.push(key);
    texts.push(source);
    translations.push(targets[index] ?? '');
    from.push(origins[index] ?? null);
    counts.push(entryGrams.length);
    const ordinal = pairs.length; // WITH ORDINALITY counts from 1
    for (const g of entryGrams) {
      gramEntries.push(ordinal);
      grams.push(g);
    }
  }
  flush();
  return chunks;
}

/** What a client may offer for a transaction: PGlite's `transaction()` or a `pg` pool's `connect()`. */
interface TransactionalClient extends SqlClient {
  transaction?: (callback: (tx: SqlClient) => Promise<unknown>) => Promise<unknown>;
  connect?: () => Promise<SqlClient & { release?: (error?: unknown) => void }>;
  totalCount?: unknown;
}

/**
 * Runs `work` in one transaction on `sql` when it offers one: PGlite's `transaction()`, or a
 * connection checked out of a `pg` pool (BEGIN … COMMIT on it, ROLLBACK on failure). Any other
 * client (a single query function, which may be a pool in disguise) runs `work` directly, since
 * a BEGIN sent through it might not reach the connection the next statement uses.
 */
async function inTransaction(sql: SqlClient, work: (client: SqlClient) => Promise<void>): Promise<void> {
  const client = sql as TransactionalClient;
  if (typeof client.transaction === 'function') {
    await client.transaction((tx) => work(tx));
    return;
  }
  if (typeof client.connect === 'function' && typeof client.totalCount === 'number') {
    let connection: SqlClient & { release?: (error?: unknown) => void };
    try {
      connection = await client.connect();
    } catch (cause) {
      throw databaseError(cause, 'connect');
    }
    let broken: unknown;
    try {
      await connection.query('BEGIN');
      await work(connection);
      await connection.query('COMMIT');
    } catch (error) {
      // A connection that cannot roll back is handed back as broken, so the pool drops it.
      await connection.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback;
      });
      throw error instanceof HubspokeError ? error : databaseError(error);
    } finally {
      connection.release?.(broken);
    }
    return;
  }
  await work(sql);
}

function toMatch(kind: TmMatch['kind'], score: number, row: Record<string, unknown>): TmMatch {
  const origin = row.origin;
  return {
    kind,
    score,
    source: String(row.source),
    target: String(row.target),
    ...(typeof origin === 'string' ? { origin } : {}),
  };
}
