import { randomUUID } from 'node:crypto';
import { guardMethods, type ApprovalEvent } from '@hubspoke/core';
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
import {
  LEASE_EXPIRED,
  effectNotFound,
  leaseLost,
  notDead,
  outboxEntriesOf,
  parseClaim,
  parseClaimOptions,
  parseEffectId,
  parseEffectQuery,
  parseFailure,
  parseNow,
  parsePruneOptions,
  type AckEffectOptions,
  type ClaimEffectsOptions,
  type ClaimedEffect,
  type EffectClaim,
  type EffectFailure,
  type EffectQuery,
  type OutboxEntry,
  type PruneEffectsOptions,
} from './outbox.js';

/** Runs `fn` and turns a throw into a rejected promise. */
const attempt = <T>(fn: () => T): Promise<T> =>
  new Promise((resolve) => {
    resolve(fn());
  });

type StoredEntry = OutboxEntry & { leaseToken?: string };

const later = (iso: string | undefined, now: number) => iso !== undefined && Date.parse(iso) > now;

function publicEntry(entry: StoredEntry): OutboxEntry {
  const { leaseToken: _token, ...rest } = entry;
  return structuredClone(rest);
}

// Helpers keyed by symbols of this module: a decorator made with Object.create(store) still reaches
// them through the prototype, while JavaScript callers cannot call them by name.
const APPEND_NOW = Symbol('appendNow');
const HELD = Symbol('held');
const END_LEASE = Symbol('endLease');
const BURY = Symbol('bury');

/** An {@link EventStore} in memory: for tests, demos and single-process tools. Keeps events as JSON text, so callers cannot change history. */
export class MemoryEventStore implements EventStore {
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly keys = new Map<string, IdempotencyRecord>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly summaries = new Map<string, SubmissionSummary>();
  /** Every outbox entry, in queue order. */
  private readonly outbox = new Map<string, StoredEntry>();
  /** The pending ones, in queue order, so a claim does not walk past everything already dispatched. */
  private pending = new Map<string, StoredEntry>();

  append(request: AppendRequest): Promise<void> {
    return attempt(() => {
      this[APPEND_NOW](request);
    });
  }

  private [APPEND_NOW](request: AppendRequest): void {
    checkAppend(request);
    const entries = outboxEntriesOf(request);
    const stream = this.streams.get(request.streamId) ?? [];
    if (stream.length !== request.expectedVersion) throw versionConflict(request.streamId, request.expectedVersion);
    const { idempotency } = request;
    if (idempotency !== undefined && this.keys.has(idempotency.key)) throw idempotencyConflict(idempotency.key);
    request.events.forEach((event, i) => {
      const mac = request.macs?.[i];
      stream.push({ seq: event.seq, body: JSON.stringify(event), ...(mac === undefined ? {} : { mac }) });
    });
    this.streams.set(request.streamId, stream);
    if (idempotency !== undefined) {
      const last = request.events[request.events.length - 1];
      this.keys.set(idempotency.key, {
        key: idempotency.key,
        streamId: request.streamId,
        firstSeq: request.expectedVersion + 1,
        lastSeq: last?.seq ?? 0,
        requestHash: idempotency.requestHash,
      });
    }
    this.summaries.set(request.streamId, structuredClone(request.summary));
    for (const entry of structuredClone(entries)) {
      this.outbox.set(entry.id, entry);
      this.pending.set(entry.id, entry);
    }
  }

  read(streamId: string, afterSeq = 0): Promise<ApprovalEvent[]> {
    return attempt(() => (this.streams.get(streamId) ?? []).slice(afterSeq).map((r) => parseStored(streamId, r)));
  }

  readStored(streamId: string, afterSeq = 0, limit?: number): Promise<StoredEvent[]> {
    const end = limit === undefined ? undefined : afterSeq + limit;
    return Promise.resolve((this.streams.get(streamId) ?? []).slice(afterSeq, end).map((r) => ({ ...r })));
  }

  findIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const record = this.keys.get(key);
    return Promise.resolve(record === undefined ? undefined : { ...record });
  }

  loadSnapshot(streamId: string): Promise<Snapshot | undefined> {
    const snapshot = this.snapshots.get(streamId);
    return Promise.resolve(snapshot === undefined ? undefined : structuredClone(snapshot));
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    const current = this.snapshots.get(snapshot.streamId);
    if (current === undefined || current.seq < snapshot.seq)
      this.snapshots.set(snapshot.streamId, structuredClone(snapshot));
    return Promise.resolve();
  }

  list(query?: ListQuery): Promise<SubmissionSummary[]> {
    return attempt(() => {
      const q = parseListQuery(query);
      const statuses = q.status === undefined ? undefined : [q.status].flat();
      const rows = [...this.summaries.values()]
        .filter(
          (s) =>
            (statuses === undefined || statuses.includes(s.status as never)) &&
            (q.assignee === undefined || s.pendingReviewers.includes(q.assignee)) &&
            (q.workflowId === undefined || s.workflow.id === q.workflowId) &&
            (q.draftId === undefined || s.draftId === q.draftId),
        )
        .sort((a, b) =>
          a.updatedAt === b.updatedAt
            ? a.submissionId < b.submissionId
              ? -1
              : a.submissionId > b.submissionId
                ? 1
                : 0
            : a.updatedAt < b.updatedAt
              ? 1
              : -1,
        )
        .slice(q.offset, q.offset + q.limit);
      return structuredClone(rows);
    });
  }

  claimEffects(options?: ClaimEffectsOptions): Promise<ClaimedEffect[]> {
    return attempt(() => {
      const { limit, leaseMs, now = new Date(), maxAttempts } = parseClaimOptions(options);
      const at = now.getTime();
      const lease = { leaseToken: randomUUID(), leasedUntil: new Date(at + leaseMs).toISOString() };
      const claimed: ClaimedEffect[] = [];
      for (const entry of this.pending.values()) {
        if (claimed.length === limit) break;
        if (later(entry.leasedUntil, at) || later(entry.nextAttemptAt, at)) continue;
        if (maxAttempts !== undefined && entry.attempts >= maxAttempts) {
          this[BURY](entry, now, entry.leasedUntil === undefined ? entry.lastError : LEASE_EXPIRED);
          continue;
        }
        Object.assign(entry, lease, { attempts: entry.attempts + 1 });
        claimed.push({ ...publicEntry(entry), ...lease });
      }
      return claimed;
    });
  }

  ackEffect(claim: EffectClaim, options?: AckEffectOptions): Promise<void> {
    return attempt(() => {
      const now = parseNow(options) ?? new Date();
      const entry = this[HELD](claim);
      this[END_LEASE](entry);
      Object.assign(entry, { status: 'dispatched', dispatchedAt: now.toISOString() });
      this.pending.delete(entry.id);
    });
  }

  failEffect(claim: EffectClaim, failure: EffectFailure): Promise<void> {
    return attempt(() => {
      const { error, retryAt, retryAfterMs, now = new Date() } = parseFailure(failure);
      const entry = this[HELD](claim);
      this[END_LEASE](entry);
      const retry = retryAt ?? (retryAfterMs === undefined ? undefined : new Date(now.getTime() + retryAfterMs));
      if (retry === undefined) this[BURY](entry, now, error);
      else Object.assign(entry, { lastError: error, nextAttemptAt: retry.toISOString() });
    });
  }

  releaseEffect(claim: EffectClaim): Promise<void> {
    return attempt(() => {
      const entry = this[HELD](claim);
      this[END_LEASE](entry);
      entry.attempts = Math.max(0, entry.attempts - 1);
    });
  }

  listEffects(query?: EffectQuery): Promise<OutboxEntry[]> {
    return attempt(() => {
      const { statuses, streamId, limit, offset } = parseEffectQuery(query);
      const rows = [...this.outbox.values()].filter(
        (e) =>
          (statuses === undefined || statuses.includes(e.status)) &&
          (streamId === undefined || e.streamId === streamId),
      );
      return rows.slice(offset, offset + limit).map(publicEntry);
    });
  }

  requeueEffect(id: string): Promise<void> {
    return attempt(() => {
      const entry = this.outbox.get(parseEffectId(id));
      if (entry === undefined) throw effectNotFound(id);
      if (entry.status !== 'dead') throw notDead(id, entry.status);
      delete entry.deadAt;
      delete entry.nextAttemptAt;
      Object.assign(entry, { status: 'pending', attempts: 0 });
      // Back in its old place in the queue, as the SQL store does.
      this.pending = new Map([...this.outbox].filter(([, e]) => e.status === 'pending'));
    });
  }

  pruneEffects(options: PruneEffectsOptions): Promise<number> {
    return attempt(() => {
      const before = parsePruneOptions(options).getTime();
      let pruned = 0;
      for (const [id, entry] of this.outbox) {
        if (
          entry.status === 'dispatched' &&
          entry.dispatchedAt !== undefined &&
          Date.parse(entry.dispatchedAt) < before
        ) {
          this.outbox.delete(id);
          pruned++;
        }
      }
      return pruned;
    });
  }

  /** The entry `claim` still holds, or why not. */
  private [HELD](claim: EffectClaim): StoredEntry {
    const { id, leaseToken } = parseClaim(claim);
    const entry = this.outbox.get(id);
    if (entry === undefined) throw effectNotFound(id);
    if (entry.status !== 'pending' || entry.leaseToken !== leaseToken) throw leaseLost(id, entry.status);
    return entry;
  }

  private [END_LEASE](entry: StoredEntry): void {
    delete entry.leaseToken;
    delete entry.leasedUntil;
  }

  private [BURY](entry: StoredEntry, now: Date, error: string | undefined): void {
    this[END_LEASE](entry);
    Object.assign(
      entry,
      { status: 'dead', deadAt: now.toISOString() },
      error === undefined ? {} : { lastError: error },
    );
    this.pending.delete(entry.id);
  }
}

guardMethods('MemoryEventStore', MemoryEventStore.prototype, EVENT_STORE_METHODS);
