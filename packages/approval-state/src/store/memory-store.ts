import type { ApprovalEvent } from '@hubspoke/core';
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

/** Runs `fn` and turns a throw into a rejected promise. */
const attempt = <T>(fn: () => T): Promise<T> =>
  new Promise((resolve) => {
    resolve(fn());
  });

/** An {@link EventStore} in memory: for tests, demos and single-process tools. Copies in and out, so callers cannot change history. */
export class MemoryEventStore implements EventStore {
  private readonly streams = new Map<string, ApprovalEvent[]>();
  private readonly keys = new Map<string, IdempotencyRecord>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly summaries = new Map<string, SubmissionSummary>();

  append(request: AppendRequest): Promise<void> {
    return attempt(() => {
      this.appendNow(request);
    });
  }

  private appendNow(request: AppendRequest): void {
    checkAppend(request);
    const stream = this.streams.get(request.streamId) ?? [];
    if (stream.length !== request.expectedVersion) throw versionConflict(request.streamId, request.expectedVersion);
    const { idempotency } = request;
    if (idempotency !== undefined && this.keys.has(idempotency.key)) throw idempotencyConflict(idempotency.key);
    stream.push(...structuredClone(request.events));
    this.streams.set(request.streamId, stream);
    if (idempotency !== undefined) {
      const last = request.events[request.events.length - 1];
      this.keys.set(idempotency.key, { key: idempotency.key, streamId: request.streamId, firstSeq: request.expectedVersion + 1, lastSeq: last?.seq ?? 0, requestHash: idempotency.requestHash });
    }
    this.summaries.set(request.streamId, structuredClone(request.summary));
  }

  read(streamId: string, afterSeq = 0): Promise<ApprovalEvent[]> {
    return Promise.resolve(structuredClone((this.streams.get(streamId) ?? []).slice(afterSeq)));
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
    if (current === undefined || current.seq < snapshot.seq) this.snapshots.set(snapshot.streamId, structuredClone(snapshot));
    return Promise.resolve();
  }

  list(query?: ListQuery): Promise<SubmissionSummary[]> {
    return attempt(() => {
      const q = parseListQuery(query);
      const statuses = q.status === undefined ? undefined : [q.status].flat();
      const rows = [...this.summaries.values()]
        .filter((s) => (statuses === undefined || statuses.includes(s.status as never)) && (q.assignee === undefined || s.pendingReviewers.includes(q.assignee)) && (q.workflowId === undefined || s.workflow.id === q.workflowId) && (q.draftId === undefined || s.draftId === q.draftId))
        .sort((a, b) => (a.updatedAt === b.updatedAt ? (a.submissionId < b.submissionId ? -1 : a.submissionId > b.submissionId ? 1 : 0) : a.updatedAt < b.updatedAt ? 1 : -1))
        .slice(q.offset, q.offset + q.limit);
      return structuredClone(rows);
    });
  }
}
