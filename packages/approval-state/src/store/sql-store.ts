import { HubspokeError, type ApprovalEvent, type SqlClient } from '@hubspoke/core';
import {
  checkAppend,
  idempotencyConflict,
  parseListQuery,
  versionConflict,
  type AppendRequest,
  type EventStore,
  type IdempotencyRecord,
  type ListQuery,
  type Snapshot,
  type SubmissionSummary,
} from './event-store.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { constraintOf, sqlState, toStoreError } from './sql-errors.js';

export interface SqlEventStoreOptions {
  /** Prefix for every table name, e.g. `approval_` (the default) or `tenant7_approval_`. */
  tablePrefix?: string;
}

export interface OpenSqlEventStoreOptions extends SqlEventStoreOptions {
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

const PREFIX = /^[a-z_][a-z0-9_]{0,40}$/;
/** Errors that mean "someone else created it first" during concurrent migrations. */
const ALREADY_THERE = new Set(['42P07', '42710', '23505']);

/**
 * An {@link EventStore} over any {@link SqlClient}: PGlite (in memory or a folder), `pg`'s
 * Pool or Client, and Postgres-compatible engines. Each append is one SQL statement, so it is
 * atomic without transactions spanning calls (a pool may run each query on another connection).
 */
export class SqlEventStore implements EventStore {
  private readonly p: string;

  constructor(
    private readonly client: SqlClient,
    options: SqlEventStoreOptions = {},
  ) {
    const prefix = options.tablePrefix ?? 'approval_';
    if (!PREFIX.test(prefix)) {
      throw new HubspokeError('E_VALIDATION', `Invalid tablePrefix: expected lower-case letters, digits and "_" (starting with a letter or "_"), got ${JSON.stringify(prefix)}`, { path: 'tablePrefix' });
    }
    this.p = prefix;
  }

  /** Opens a store and, unless told otherwise, brings its schema up to date. */
  static async open(client: SqlClient, options: OpenSqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const store = new SqlEventStore(client, options);
    if (options.migrate !== false) await store.migrate();
    return store;
  }

  private async query(operation: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      return (await this.client.query(text, params)).rows;
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  /** Applies pending migrations in order; returns the versions applied. Refuses a schema newer than this code. */
  async migrate(): Promise<number[]> {
    await this.idempotentDdl(`CREATE TABLE IF NOT EXISTS ${this.p}migrations (version integer NOT NULL, name text NOT NULL, applied_at text NOT NULL, CONSTRAINT ${this.p}migrations_pkey PRIMARY KEY (version))`);
    const rows = await this.query('read the schema version', `SELECT version FROM ${this.p}migrations`);
    const applied = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    const known = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
    if (newest > known) {
      throw new HubspokeError('E_UNSUPPORTED', `The approval tables are at schema version ${newest}, newer than this @hubspoke/approval-state understands (${known})`, { hint: 'Upgrade @hubspoke/approval-state.' });
    }
    const done: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await this.apply(migration);
      done.push(migration.version);
    }
    return done;
  }

  private async apply(migration: Migration): Promise<void> {
    for (const statement of migration.statements(this.p)) await this.idempotentDdl(statement);
    await this.query('record a migration', `INSERT INTO ${this.p}migrations (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING`, [
      migration.version,
      migration.name,
      new Date().toISOString(),
    ]);
  }

  /** Runs an `IF NOT EXISTS` statement; when another process created the object at the same moment, runs it once more. */
  private async idempotentDdl(statement: string): Promise<void> {
    try {
      await this.client.query(statement, []);
    } catch (error) {
      if (!ALREADY_THERE.has(sqlState(error) ?? '')) throw toStoreError(error, 'migrate the approval tables');
      await this.query('migrate the approval tables', statement);
    }
  }

  async append(request: AppendRequest): Promise<void> {
    checkAppend(request);
    const { streamId, expectedVersion, events, summary, idempotency } = request;
    const params: unknown[] = [streamId, expectedVersion];
    const param = (value: unknown) => `$${params.push(value)}`;
    const rows = events.map((e) => `(${param(e.seq)}::integer, ${param(e.id)}::text, ${param(e.type)}::text, ${param(e.at)}::text, ${param(JSON.stringify(e))}::text)`);
    const appended = `EXISTS (SELECT 1 FROM ins)`;
    const last = events[events.length - 1];
    const idem =
      idempotency === undefined
        ? ''
        : `, idem AS (INSERT INTO ${this.p}idempotency (idempotency_key, stream_id, first_seq, last_seq, request_hash)
             SELECT ${param(idempotency.key)}::text, $1::text, ${param(expectedVersion + 1)}::integer, ${param(last?.seq ?? 0)}::integer, ${param(idempotency.requestHash)}::text WHERE ${appended})`;
    const text = `WITH ins AS (
        INSERT INTO ${this.p}events (stream_id, seq, event_id, type, at, body)
        SELECT $1::text, v.seq, v.event_id, v.type, v.at, v.body
        FROM (VALUES ${rows.join(', ')}) AS v (seq, event_id, type, at, body)
        WHERE (SELECT coalesce(max(seq), 0) FROM ${this.p}events WHERE stream_id = $1::text) = $2::integer
        RETURNING seq
      )${idem}, sub AS (
        INSERT INTO ${this.p}submissions (stream_id, version, status, workflow_id, updated_at, pending_reviewers, summary)
        SELECT $1::text, ${param(summary.seq)}::integer, ${param(summary.status)}::text, ${param(summary.workflow.id)}::text, ${param(summary.updatedAt)}::text,
          ARRAY(SELECT jsonb_array_elements_text(${param(JSON.stringify(summary.pendingReviewers))}::jsonb)), ${param(JSON.stringify(summary))}::text
        WHERE ${appended}
        ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, status = excluded.status, workflow_id = excluded.workflow_id,
          updated_at = excluded.updated_at, pending_reviewers = excluded.pending_reviewers, summary = excluded.summary
      )
      SELECT count(*)::integer AS appended FROM ins`;
    let result: Record<string, unknown>[];
    try {
      result = (await this.client.query(text, params)).rows;
    } catch (error) {
      if (sqlState(error) === '23505') {
        const constraint = constraintOf(error) ?? '';
        if (idempotency !== undefined && constraint.includes('idempotency')) throw idempotencyConflict(idempotency.key, error);
        throw versionConflict(streamId, expectedVersion, error);
      }
      throw toStoreError(error, `append to submission ${streamId}`);
    }
    if (Number(result[0]?.appended ?? 0) !== events.length) throw versionConflict(streamId, expectedVersion);
  }

  async read(streamId: string, afterSeq = 0): Promise<ApprovalEvent[]> {
    const rows = await this.query(`read submission ${streamId}`, `SELECT body FROM ${this.p}events WHERE stream_id = $1 AND seq > $2 ORDER BY seq`, [streamId, afterSeq]);
    return rows.map((r) => JSON.parse(String(r.body)) as ApprovalEvent);
  }

  async findIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const rows = await this.query('look up an idempotency key', `SELECT stream_id, first_seq, last_seq, request_hash FROM ${this.p}idempotency WHERE idempotency_key = $1`, [key]);
    const row = rows[0];
    if (row === undefined) return undefined;
    return { key, streamId: String(row.stream_id), firstSeq: Number(row.first_seq), lastSeq: Number(row.last_seq), requestHash: String(row.request_hash) };
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const rows = await this.query(`load the snapshot of ${streamId}`, `SELECT seq, format, state FROM ${this.p}snapshots WHERE stream_id = $1`, [streamId]);
    const row = rows[0];
    if (row === undefined) return undefined;
    return { streamId, seq: Number(row.seq), format: Number(row.format), state: JSON.parse(String(row.state)) as Snapshot['state'] };
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    await this.query(
      `save the snapshot of ${snapshot.streamId}`,
      `INSERT INTO ${this.p}snapshots (stream_id, seq, format, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE SET seq = excluded.seq, format = excluded.format, state = excluded.state WHERE ${this.p}snapshots.seq < excluded.seq`,
      [snapshot.streamId, snapshot.seq, snapshot.format, JSON.stringify(snapshot.state)],
    );
  }

  async list(query?: ListQuery): Promise<SubmissionSummary[]> {
    const q = parseListQuery(query);
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (q.status !== undefined) where.push(`status IN (${[q.status].flat().map(param).join(', ')})`);
    if (q.assignee !== undefined) where.push(`${param(q.assignee)}::text = ANY (pending_reviewers)`);
    if (q.workflowId !== undefined) where.push(`workflow_id = ${param(q.workflowId)}`);
    if (q.draftId !== undefined) where.push(`(summary::jsonb ->> 'draftId') = ${param(q.draftId)}`);
    const text = `SELECT summary FROM ${this.p}submissions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, stream_id LIMIT ${param(q.limit)} OFFSET ${param(q.offset)}`;
    const rows = await this.query('list submissions', text, params);
    return rows.map((r) => JSON.parse(String(r.summary)) as SubmissionSummary);
  }
}
