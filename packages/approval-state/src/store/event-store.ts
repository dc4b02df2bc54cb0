import { HubspokeError, parse, type ApprovalEvent, type ArgSpec } from '@hubspoke/core';
import { z } from 'zod';
import type { SubmissionState, SubmissionStatus } from '../state.js';
import type { EventEffect } from '../effects.js';
import type { EffectOutbox } from './outbox.js';

/** A submission as listed: enough to show a queue without folding its events. */
export interface SubmissionSummary {
  submissionId: string;
  seq: number;
  status: SubmissionStatus;
  workflow: { id: string; version: number };
  draftId: string;
  title: string;
  author: string;
  submitter: string;
  region?: string;
  round: number;
  activeStages: string[];
  /** Reviewers of active stages who have not decided yet. */
  pendingReviewers: string[];
  createdAt: string;
  updatedAt: string;
}

/** The summary a store keeps next to the events, for listing by status and assignee. */
export function summarize(state: SubmissionState): SubmissionSummary {
  const active = state.stages.filter((s) => s.status === 'active');
  const pending = new Set<string>();
  for (const stage of active) {
    for (const id of [...stage.assignees, ...(stage.escalated?.assignees ?? [])])
      if (stage.decisions[id] === undefined) pending.add(id);
  }
  const summary: SubmissionSummary = {
    submissionId: state.streamId,
    seq: state.seq,
    status: state.status,
    workflow: { id: state.workflow.id, version: state.workflow.version },
    draftId: state.draftId,
    title: state.title,
    author: state.author,
    submitter: state.submitter,
    round: state.round,
    activeStages: active.map((s) => s.id),
    pendingReviewers: [...pending],
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
  if (state.region !== undefined) summary.region = state.region;
  return summary;
}

export interface IdempotencyRecord {
  key: string;
  streamId: string;
  firstSeq: number;
  lastSeq: number;
  /** Hash of the command and principal that first used the key. */
  requestHash: string;
}

/**
 * A cached fold of a stream up to `seq`; `state.head` is the hash of the event at `seq`. `format`
 * changes when the state shape does; a stale format is ignored. With audit keys, `mac` seals the
 * state to the event's MAC (see `snapshotMac`); a snapshot that does not match is ignored.
 */
export interface Snapshot {
  streamId: string;
  seq: number;
  format: number;
  state: SubmissionState;
  mac?: string;
}

/** An event as stored: its JSON text exactly as written, and the MAC that seals it (absent without audit keys). */
export interface StoredEvent {
  seq: number;
  body: string;
  mac?: string;
}

export interface AppendRequest {
  streamId: string;
  /** The stream version the events were decided on; anything else is `E_CONFLICT`. */
  expectedVersion: number;
  events: readonly ApprovalEvent[];
  summary: SubmissionSummary;
  idempotency?: { key: string; requestHash: string };
  /** What the events ask the outside world to do; enqueued in the outbox in the same atomic step. */
  effects?: readonly EventEffect[];
  /** The MAC of each event (over `JSON.stringify(event)`, which is what the store keeps), in order. */
  macs?: readonly string[];
}

export const ListQuerySchema = z
  .object({
    status: z
      .union([
        z.enum(['inReview', 'returned', 'approved', 'rejected', 'withdrawn']),
        z.array(z.enum(['inReview', 'returned', 'approved', 'rejected', 'withdrawn'])).min(1),
      ])
      .optional(),
    /** Only submissions waiting on this reviewer. */
    assignee: z.string().min(1).max(256).optional(),
    workflowId: z.string().min(1).max(128).optional(),
    /** Only submissions of this draft. */
    draftId: z.string().min(1).max(256).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type ListQuery = z.input<typeof ListQuerySchema>;
export type ParsedListQuery = z.output<typeof ListQuerySchema>;

/**
 * Durable history for submissions. Appends are all-or-nothing and guarded by the expected
 * version; an idempotency key and the outbox entries of the effects are recorded with the
 * events they belong to.
 */
export interface EventStore extends EffectOutbox {
  /** Throws `E_CONFLICT` with `details.reason` `"version"` (someone appended first) or `"idempotency"` (the key is taken). */
  append(request: AppendRequest): Promise<void>;
  /** Events of a stream with `seq > afterSeq`, in order. A stored body that is not JSON is `E_CONFLICT` (`details.reason: 'tampered'`). */
  read(streamId: string, afterSeq?: number): Promise<ApprovalEvent[]>;
  /** The same events as stored (text and MAC), in order, at most `limit` of them, for verification and export. */
  readStored(streamId: string, afterSeq?: number, limit?: number): Promise<StoredEvent[]>;
  findIdempotency(key: string): Promise<IdempotencyRecord | undefined>;
  loadSnapshot(streamId: string): Promise<Snapshot | undefined>;
  /** Keeps the newest snapshot per stream; an older one is ignored. */
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  /** Newest first. */
  list(query?: ListQuery): Promise<SubmissionSummary[]>;
}

/** Rejects an append whose events do not continue the stream they claim to. */
export function checkAppend(request: AppendRequest): void {
  const { streamId, expectedVersion, events } = request;
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid append: expectedVersion: expected a whole number ≥ 0, got ${String(expectedVersion)}`,
      { path: 'expectedVersion' },
    );
  }
  if (events.length === 0)
    throw new HubspokeError('E_VALIDATION', 'Invalid append: events: expected at least one event', { path: 'events' });
  if (request.macs !== undefined && request.macs.length !== events.length)
    throw new HubspokeError('E_VALIDATION', `Invalid append: macs: expected one per event (${events.length})`, {
      path: 'macs',
    });
  events.forEach((event, i) => {
    if (event.streamId !== streamId || event.seq !== expectedVersion + i + 1) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid append: events[${i}]: expected stream ${streamId} seq ${expectedVersion + i + 1}, got ${event.streamId} seq ${event.seq}`,
        { path: `events[${i}]` },
      );
    }
  });
}

export function parseListQuery(query: ListQuery | undefined): ParsedListQuery {
  return parse(ListQuerySchema, query ?? {}, 'query');
}

export function versionConflict(streamId: string, expectedVersion: number, cause?: unknown): HubspokeError {
  return new HubspokeError('E_CONFLICT', `Submission ${streamId} changed since version ${expectedVersion} was read`, {
    details: { reason: 'version', streamId, expectedVersion },
    cause,
    hint: 'Reload the submission and decide again.',
  });
}

export function idempotencyConflict(key: string, cause?: unknown): HubspokeError {
  return new HubspokeError('E_CONFLICT', `Idempotency key ${JSON.stringify(key)} was already used`, {
    details: { reason: 'idempotency', key },
    cause,
  });
}

/** Parses stored event text; text that is not JSON was tampered with (only the store writes it). */
export function parseStored(streamId: string, record: StoredEvent): ApprovalEvent {
  try {
    return JSON.parse(record.body) as ApprovalEvent;
  } catch (cause) {
    throw tampered(
      streamId,
      record.seq,
      'invalid',
      `event seq ${record.seq} is stored as text that is not JSON`,
      cause,
    );
  }
}

/** The error for a history that does not verify: names the first bad event. */
export function tampered(
  streamId: string,
  seq: number | undefined,
  problem: string,
  message: string,
  cause?: unknown,
  eventId?: string,
): HubspokeError {
  return new HubspokeError('E_CONFLICT', `The audit trail of submission ${streamId} does not verify: ${message}`, {
    details: {
      reason: 'tampered',
      submissionId: streamId,
      seq,
      problem,
      ...(eventId === undefined ? {} : { eventId }),
    },
    cause,
    hint: 'Run verify() for the full report; the stored history was changed outside Hubspoke.',
  });
}

/**
 * The arguments of every {@link EventStore} method, for core's `guardMethods`: the stores, which
 * are exported, refuse a wrong type or a 10 MB id with `E_VALIDATION` before any work.
 */
export const EVENT_STORE_METHODS: Readonly<Record<string, readonly ArgSpec[]>> = {
  append: ['request:object'],
  read: ['streamId:string', 'afterSeq:number?'],
  readStored: ['streamId:string', 'afterSeq:number?', 'limit:number?'],
  findIdempotency: ['key:string'],
  loadSnapshot: ['streamId:string'],
  saveSnapshot: ['snapshot:object'],
  list: ['query:object?'],
  claimEffects: ['options:object?'],
  ackEffect: ['claim:object', 'options:object?'],
  failEffect: ['claim:object', 'failure:object'],
  releaseEffect: ['claim:object'],
  listEffects: ['query:object?'],
  requeueEffect: ['id:string'],
  pruneEffects: ['options:object'],
};
