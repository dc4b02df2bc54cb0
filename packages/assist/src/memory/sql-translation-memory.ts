import { HubspokeError, migrateSql, parse, type SqlClient, type SqlMigration } from '@hubspoke/core';
import { exactKey, fuzzyGrams } from './ngram.js';
import {
  pairKey,
  TmLookupOptionsSchema,
  TmQuerySchema,
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
 * serves `(pair, gram)` lookups, and the fuzzy score is computed in SQL. Each entry is
 * written in one statement, so an entry is never stored without its trigrams.
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
      const { sourceLocales, targetLocales, sources, targets, origins } = validateEntries(entries);
      for (let i = 0; i < sources.length; i++) {
        const source = sources[i] ?? '';
        const grams = fuzzyGrams(source);
        await run(
          `WITH stored AS (
             INSERT INTO ${entry} (pair, source_key, source, target, origin, gram_count)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (pair, source_key) DO UPDATE
               SET source = EXCLUDED.source, target = EXCLUDED.target, origin = EXCLUDED.origin, updated_at = CURRENT_TIMESTAMP
             RETURNING id
           )
           INSERT INTO ${gram} (pair, gram, entry_id)
           SELECT $1, g, stored.id FROM stored CROSS JOIN unnest($7::text[]) AS g
           ON CONFLICT DO NOTHING`,
          [
            pairKey(sourceLocales[i] ?? '', targetLocales[i] ?? ''),
            exactKey(source),
            source,
            targets[i] ?? '',
            origins[i] ?? null,
            grams.length,
            grams,
          ],
        );
      }
      return sources.length;
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
