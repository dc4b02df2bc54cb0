import { randomUUID } from 'node:crypto';
import {
  HubspokeError,
  checkArgs,
  guardMethods,
  migrateSql,
  sqlState,
  type ApprovalEvent,
  type SqlClient,
} from '@hubspoke/core';
import {
  EVENT_STORE_METHODS,
  checkAppend,
  idempotencyConflict,
  parseListQuery,
  versionConflict,
  type AppendRequest,
  type EventStore,
  type IdempotencyRecord,
  type ListQuery,
  type Snapshot,
  type StoredEvent,
  type SubmissionSummary,
  parseStored,
} from './event-store.js';
import { MIGRATIONS } from './migrations.js';
import * as outbox from './outbox.js';
import { constraintOf, toStoreError } from './sql-errors.js';

export interface SqlEventStoreOptions {
  /** Prefix for every table name, e.g. `approval_` (the default) or `tenant7_approval_`. */
  tablePrefix?: string;
}

export interface OpenSqlEventStoreOptions extends SqlEventStoreOptions {
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

const PREFIX = /^[a-z_][a-z0-9_]{0,40}$/;

const ENTRY_COLUMNS =
  'position, id, stream_id, seq, event_id, effect_index, effect, status, created_at, attempts, last_error, next_attempt_at, leased_until, dispatched_at, dead_at';

/** Statement parameters: `fixed` are `$1`, `$2`, …; `param(value)` adds one and returns its placeholder. */
function parameters(...fixed: unknown[]): { params: unknown[]; param: (value: unknown) => string } {
  const params = [...fixed];
  return { params, param: (value) => `$${params.push(value)}` };
}

/**
 * The caller's `now`, or else the database's clock: workers on different hosts then agree on when a
 * lease ends whatever their clocks say. `statement_timestamp()` is one instant per statement (every
 * entry of a claim gets the same lease end) and never later than the moment rows are compared.
 */
const instant = (now: Date | undefined, param: (value: unknown) => string) =>
  now === undefined ? 'statement_timestamp()' : `${param(now.toISOString())}::timestamptz`;

/** `at` plus a parameter of milliseconds. */
const later = (at: string, ms: string) => `(${at} + ${ms}::double precision * interval '1 millisecond')`;

/** A timestamp as PGlite and pg return it (a Date) or as text, in ISO form. */
const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

function entryOf(row: Record<string, unknown>): outbox.OutboxEntry {
  const entry: outbox.OutboxEntry = {
    id: String(row.id),
    streamId: String(row.stream_id),
    seq: Number(row.seq),
    eventId: String(row.event_id),
    index: Number(row.effect_index),
    effect: JSON.parse(String(row.effect)) as outbox.OutboxEntry['effect'],
    status: String(row.status) as outbox.OutboxStatus,
    createdAt: iso(row.created_at),
    attempts: Number(row.attempts),
  };
  if (typeof row.last_error === 'string') entry.lastError = row.last_error;
  if (row.next_attempt_at != null) entry.nextAttemptAt = iso(row.next_attempt_at);
  if (row.leased_until != null) entry.leasedUntil = iso(row.leased_until);
  if (row.dispatched_at != null) entry.dispatchedAt = iso(row.dispatched_at);
  if (row.dead_at != null) entry.deadAt = iso(row.dead_at);
  return entry;
}

// Helpers keyed by symbols of this module: a decorator made with Object.create(store) still reaches
// them through the prototype, while JavaScript callers cannot call them by name.
const QUERY = Symbol('query');
const SETTLE = Symbol('settle');
const CHANGE_ONE = Symbol('changeOne');

/**
 * An {@link EventStore} over any {@link SqlClient}: PGlite (in memory or a folder), `pg`'s
 * Pool or Client, and Postgres-compatible engines. Each append (events, idempotency key, summary
 * and outbox entries) is one SQL statement, so it is atomic without transactions spanning calls
 * (a pool may run each query on another connection). Claims use `FOR UPDATE SKIP LOCKED`, so
 * concurrent workers on a server never take the same entry; on PGlite statements run one at a time.
 */
export class SqlEventStore implements EventStore {
  private readonly p: string;

  constructor(
    private readonly client: SqlClient,
    options: SqlEventStoreOptions = {},
  ) {
    checkArgs('SqlEventStore', ['client:object', 'options:object'], [client, options]);
    const prefix = options.tablePrefix ?? 'approval_';
    if (!PREFIX.test(prefix)) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid tablePrefix: expected lower-case letters, digits and "_" (starting with a letter or "_"), got ${JSON.stringify(prefix)}`,
        { path: 'tablePrefix' },
      );
    }
    this.p = prefix;
  }

  /** Opens a store and, unless told otherwise, brings its schema up to date. */
  static async open(client: SqlClient, options: OpenSqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const store = new SqlEventStore(client, options);
    if (options.migrate !== false) await store.migrate();
    return store;
  }

  private async [QUERY](operation: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      return (await this.client.query(text, params)).rows;
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  /** Applies pending migrations in order; returns the versions applied. Refuses a schema newer than this code. */
  migrate(): Promise<number[]> {
    return migrateSql(this.client, {
      prefix: this.p,
      history: 'migrations',
      migrations: MIGRATIONS,
      owner: '@hubspoke/approval-state',
      toError: toStoreError,
    });
  }

  async append(request: AppendRequest): Promise<void> {
    checkAppend(request);
    const entries = outbox.outboxEntriesOf(request);
    const { streamId, expectedVersion, events, summary, idempotency } = request;
    const { params, param } = parameters(streamId, expectedVersion);
    const rows = events.map(
      (e, i) =>
        `(${param(e.seq)}::integer, ${param(e.id)}::text, ${param(e.type)}::text, ${param(e.at)}::text, ${param(JSON.stringify(e))}::text, ${param(request.macs?.[i] ?? null)}::text)`,
    );
    const appended = `EXISTS (SELECT 1 FROM ins)`;
    const last = events[events.length - 1];
    const idem =
      idempotency === undefined
        ? ''
        : `, idem AS (INSERT INTO ${this.p}idempotency (idempotency_key, stream_id, first_seq, last_seq, request_hash)
             SELECT ${param(idempotency.key)}::text, $1::text, ${param(expectedVersion + 1)}::integer, ${param(last?.seq ?? 0)}::integer, ${param(idempotency.requestHash)}::text WHERE ${appended})`;
    const enqueue =
      entries.length === 0
        ? ''
        : `, fx AS (INSERT INTO ${this.p}outbox (id, stream_id, seq, event_id, effect_index, effect, created_at)
             SELECT v.id, $1::text, v.seq, v.event_id, v.effect_index, v.effect, v.created_at
             FROM (VALUES ${entries.map((e) => `(${param(e.id)}::text, ${param(e.seq)}::integer, ${param(e.eventId)}::text, ${param(e.index)}::integer, ${param(JSON.stringify(e.effect))}::text, ${param(e.createdAt)}::timestamptz)`).join(', ')})
               AS v (id, seq, event_id, effect_index, effect, created_at)
             WHERE ${appended} ORDER BY v.seq, v.effect_index)`;
    const text = `WITH ins AS (
        INSERT INTO ${this.p}events (stream_id, seq, event_id, type, at, body, mac)
        SELECT $1::text, v.seq, v.event_id, v.type, v.at, v.body, v.mac
        FROM (VALUES ${rows.join(', ')}) AS v (seq, event_id, type, at, body, mac)
        WHERE (SELECT coalesce(max(seq), 0) FROM ${this.p}events WHERE stream_id = $1::text) = $2::integer
        RETURNING seq
      )${idem}${enqueue}, sub AS (
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
        if (idempotency !== undefined && constraint.includes('idempotency'))
          throw idempotencyConflict(idempotency.key, error);
        throw versionConflict(streamId, expectedVersion, error);
      }
      throw toStoreError(error, `append to submission ${streamId}`);
    }
    if (Number(result[0]?.appended ?? 0) !== events.length) throw versionConflict(streamId, expectedVersion);
  }

  async read(streamId: string, afterSeq = 0): Promise<ApprovalEvent[]> {
    return (await this.readStored(streamId, afterSeq)).map((r) => parseStored(streamId, r));
  }

  async readStored(streamId: string, afterSeq = 0, limit?: number): Promise<StoredEvent[]> {
    const rows = await this[QUERY](
      `read submission ${streamId}`,
      `SELECT seq, body, mac FROM ${this.p}events WHERE stream_id = $1 AND seq > $2 ORDER BY seq${limit === undefined ? '' : ' LIMIT $3'}`,
      limit === undefined ? [streamId, afterSeq] : [streamId, afterSeq, limit],
    );
    return rows.map((r) => {
      const stored: StoredEvent = { seq: Number(r.seq), body: String(r.body) };
      if (typeof r.mac === 'string') stored.mac = r.mac;
      return stored;
    });
  }

  async findIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const rows = await this[QUERY](
      'look up an idempotency key',
      `SELECT stream_id, first_seq, last_seq, request_hash FROM ${this.p}idempotency WHERE idempotency_key = $1`,
      [key],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      key,
      streamId: String(row.stream_id),
      firstSeq: Number(row.first_seq),
      lastSeq: Number(row.last_seq),
      requestHash: String(row.request_hash),
    };
  }

  async loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const rows = await this[QUERY](
      `load the snapshot of ${streamId}`,
      `SELECT seq, format, state, mac FROM ${this.p}snapshots WHERE stream_id = $1`,
      [streamId],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    let state: Snapshot['state'];
    try {
      state = JSON.parse(String(row.state)) as Snapshot['state'];
    } catch {
      return undefined; // a snapshot is only a cache: one that does not parse is ignored and rebuilt
    }
    const snapshot: Snapshot = { streamId, seq: Number(row.seq), format: Number(row.format), state };
    if (typeof row.mac === 'string') snapshot.mac = row.mac;
    return snapshot;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    await this[QUERY](
      `save the snapshot of ${snapshot.streamId}`,
      `INSERT INTO ${this.p}snapshots (stream_id, seq, format, state, mac) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (stream_id) DO UPDATE SET seq = excluded.seq, format = excluded.format, state = excluded.state, mac = excluded.mac WHERE ${this.p}snapshots.seq < excluded.seq`,
      [snapshot.streamId, snapshot.seq, snapshot.format, JSON.stringify(snapshot.state), snapshot.mac ?? null],
    );
  }

  async list(query?: ListQuery): Promise<SubmissionSummary[]> {
    const q = parseListQuery(query);
    const { params, param } = parameters();
    const where: string[] = [];
    if (q.status !== undefined) where.push(`status IN (${[q.status].flat().map(param).join(', ')})`);
    if (q.assignee !== undefined) where.push(`${param(q.assignee)}::text = ANY (pending_reviewers)`);
    if (q.workflowId !== undefined) where.push(`workflow_id = ${param(q.workflowId)}`);
    if (q.draftId !== undefined) where.push(`(summary::jsonb ->> 'draftId') = ${param(q.draftId)}`);
    const text = `SELECT summary FROM ${this.p}submissions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY updated_at DESC, stream_id LIMIT ${param(q.limit)} OFFSET ${param(q.offset)}`;
    const rows = await this[QUERY]('list submissions', text, params);
    return rows.map((r) => JSON.parse(String(r.summary)) as SubmissionSummary);
  }

  async claimEffects(options?: outbox.ClaimEffectsOptions): Promise<outbox.ClaimedEffect[]> {
    const { limit, leaseMs, now, maxAttempts } = outbox.parseClaimOptions(options);
    const due = (at: string) =>
      `status = 'pending' AND (leased_until IS NULL OR leased_until <= ${at}) AND (next_attempt_at IS NULL OR next_attempt_at <= ${at})`;
    if (maxAttempts !== undefined) {
      const { params, param } = parameters();
      const at = instant(now, param);
      await this[QUERY](
        'move spent outbox entries to dead',
        `UPDATE ${this.p}outbox SET status = 'dead', dead_at = ${at}, last_error = CASE WHEN leased_until IS NULL THEN last_error ELSE ${param(outbox.LEASE_EXPIRED)}::text END, leased_until = NULL, lease_token = NULL
         WHERE ${due(at)} AND attempts >= ${param(maxAttempts)}::integer`,
        params,
      );
    }
    const leaseToken = randomUUID();
    const { params, param } = parameters();
    const at = instant(now, param);
    const spent = maxAttempts === undefined ? '' : `AND attempts < ${param(maxAttempts)}::integer`;
    const rows = await this[QUERY](
      'claim outbox entries',
      `WITH picked AS (
         SELECT id FROM ${this.p}outbox WHERE ${due(at)} ${spent}
         ORDER BY position LIMIT ${param(limit)}::integer
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${this.p}outbox AS o SET attempts = o.attempts + 1, leased_until = ${later(at, param(leaseMs))}, lease_token = ${param(leaseToken)}::text
       FROM picked WHERE o.id = picked.id
       RETURNING ${ENTRY_COLUMNS.split(', ')
         .map((c) => `o.${c}`)
         .join(', ')}`,
      params,
    );
    return rows
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((row) => ({ ...entryOf(row), leaseToken, leasedUntil: iso(row.leased_until) }));
  }

  async ackEffect(claim: outbox.EffectClaim, options?: outbox.AckEffectOptions): Promise<void> {
    const now = outbox.parseNow(options);
    await this[SETTLE](
      claim,
      'ack an outbox entry',
      (param) => `status = 'dispatched', dispatched_at = ${instant(now, param)}`,
    );
  }

  async failEffect(claim: outbox.EffectClaim, failure: outbox.EffectFailure): Promise<void> {
    const { error, retryAt, retryAfterMs, now } = outbox.parseFailure(failure);
    await this[SETTLE](claim, 'fail an outbox entry', (param) => {
      const lastError = `last_error = ${param(error)}::text`;
      if (retryAt !== undefined) return `next_attempt_at = ${param(retryAt.toISOString())}::timestamptz, ${lastError}`;
      if (retryAfterMs !== undefined)
        return `next_attempt_at = ${later(instant(now, param), param(retryAfterMs))}, ${lastError}`;
      return `status = 'dead', dead_at = ${instant(now, param)}, ${lastError}`;
    });
  }

  async releaseEffect(claim: outbox.EffectClaim): Promise<void> {
    await this[SETTLE](claim, 'release an outbox entry', () => 'attempts = greatest(attempts - 1, 0)');
  }

  async listEffects(query?: outbox.EffectQuery): Promise<outbox.OutboxEntry[]> {
    const { statuses, streamId, limit, offset } = outbox.parseEffectQuery(query);
    const { params, param } = parameters();
    const where: string[] = [];
    if (statuses !== undefined) where.push(`status IN (${statuses.map(param).join(', ')})`);
    if (streamId !== undefined) where.push(`stream_id = ${param(streamId)}`);
    const rows = await this[QUERY](
      'list outbox entries',
      `SELECT ${ENTRY_COLUMNS} FROM ${this.p}outbox ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position LIMIT ${param(limit)} OFFSET ${param(offset)}`,
      params,
    );
    return rows.map(entryOf);
  }

  async requeueEffect(id: string): Promise<void> {
    const wanted = outbox.parseEffectId(id);
    const { changed, status } = await this[CHANGE_ONE](
      'requeue an outbox entry',
      `status = 'pending', attempts = 0, next_attempt_at = NULL, dead_at = NULL`,
      `status = 'dead'`,
      [wanted],
    );
    if (changed) return;
    throw status === undefined ? outbox.effectNotFound(wanted) : outbox.notDead(wanted, status);
  }

  async pruneEffects(options: outbox.PruneEffectsOptions): Promise<number> {
    const before = outbox.parsePruneOptions(options);
    const rows = await this[QUERY](
      'prune the outbox',
      `WITH gone AS (DELETE FROM ${this.p}outbox WHERE status = 'dispatched' AND dispatched_at < $1::timestamptz RETURNING 1) SELECT count(*)::integer AS pruned FROM gone`,
      [before.toISOString()],
    );
    return Number(rows[0]?.pruned ?? 0);
  }

  /** Ends the lease `claim` holds and applies `set` (its parameters follow the id and token), or says why the claim no longer holds. */
  private async [SETTLE](
    claim: outbox.EffectClaim,
    operation: string,
    set: (param: (value: unknown) => string) => string,
  ): Promise<void> {
    const { id, leaseToken } = outbox.parseClaim(claim);
    const { params, param } = parameters(id, leaseToken);
    const { changed, status } = await this[CHANGE_ONE](
      operation,
      `${set(param)}, leased_until = NULL, lease_token = NULL`,
      `status = 'pending' AND lease_token = $2::text`,
      params,
    );
    if (changed) return;
    throw status === undefined ? outbox.effectNotFound(id) : outbox.leaseLost(id, status);
  }

  /** Updates the entry whose id is `$1` when `condition` holds; reports whether it did and the status it had. */
  private async [CHANGE_ONE](
    operation: string,
    set: string,
    condition: string,
    params: unknown[],
  ): Promise<{ changed: boolean; status: outbox.OutboxStatus | undefined }> {
    const rows = await this[QUERY](
      operation,
      `WITH changed AS (UPDATE ${this.p}outbox SET ${set} WHERE id = $1::text AND ${condition} RETURNING 1)
       SELECT (SELECT count(*) FROM changed)::integer AS changed, (SELECT status FROM ${this.p}outbox WHERE id = $1::text) AS status`,
      params,
    );
    const row = rows[0];
    return {
      changed: Number(row?.changed ?? 0) > 0,
      status: typeof row?.status === 'string' ? (row.status as outbox.OutboxStatus) : undefined,
    };
  }
}

guardMethods('SqlEventStore', SqlEventStore.prototype, EVENT_STORE_METHODS);
