import { createHash } from 'node:crypto';
import { ApprovalEventSchema, canonicalJson, checkArgs, type ApprovalEvent } from '@hubspoke/core';
import { EventDataSchemas } from '../events.js';

/** SHA-256 (lower-case hex) of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash an event must carry: SHA-256 over the canonical JSON of the event without `hash`. */
export function hashEvent(event: Omit<ApprovalEvent, 'hash'> & { hash?: string }): string {
  checkArgs('hashEvent', ['event:object'], [event]);
  const { hash: _ignored, ...rest } = event;
  return sha256(canonicalJson(rest));
}

export type AuditProblem =
  /** Not an event at all, or its text is not JSON (keyless check). */
  | 'invalid'
  | 'wrong-stream'
  | 'out-of-sequence'
  | 'broken-chain'
  | 'hash-mismatch'
  /** Events deleted from the middle. */
  | 'missing'
  /** No MAC where the keyed chain needs one. */
  | 'unsealed'
  | 'unknown-key'
  /** Sealed with a key older than the event before it. */
  | 'key-regression'
  /** Changed, moved or corrupted after it was sealed. */
  | 'mac-mismatch'
  /** Events cut from the end, below the latest checkpoint. */
  | 'truncated'
  /** Rewritten with the MAC key: the chain disagrees with a signed checkpoint. */
  | 'checkpoint-mismatch'
  /** A checkpoint in the store that is malformed or not signed by a known key. */
  | 'checkpoint-invalid'
  /** A stored snapshot that does not match the events it claims to fold (it is ignored). */
  | 'snapshot-mismatch';

export type AuditReport =
  | {
      ok: true;
      count: number;
      /** The SHA-256 hash of the last event ('' for none). */
      head: string;
      /** Checked with MAC keys (the keyed chain). */
      keyed?: boolean;
      /** The MAC of the last event. */
      mac?: string;
      /** The latest checkpoint that verified. */
      checkpoint?: { seq: number; at: string };
      /** Events after the latest checkpoint: protected by their MACs, but a cut there would not show. */
      unanchored?: number;
    }
  | {
      ok: false;
      /** 0-based position of the first bad event in the history (its seq − 1). */
      index: number;
      eventId: string | undefined;
      seq: number | undefined;
      /** For a range (events that differ from a checkpoint, or are missing): its last seq. */
      through?: number;
      problem: AuditProblem;
      message: string;
    };

export interface VerifyAuditOptions {
  /** The hash of the last event, kept elsewhere (e.g. a signed receipt): detects a truncated tail. */
  expectedHead?: string;
}

/**
 * Checks one stream's history: every event well-formed, in the same stream, numbered 1, 2, 3…,
 * chained by `prevHash`, and hashed correctly. Names the first bad event, so an edit, deletion,
 * insertion or reorder is found where it happened. Never throws.
 */
export function verifyAudit(events: readonly unknown[], options: VerifyAuditOptions = {}): AuditReport {
  if (!Array.isArray(events)) return fail(0, undefined, 'invalid', 'expected an array of events');
  let prevHash = '';
  let streamId: string | undefined;
  for (let index = 0; index < events.length; index++) {
    const raw: unknown = events[index];
    const parsed = ApprovalEventSchema.safeParse(raw);
    const hint = raw !== null && typeof raw === 'object' ? (raw as Partial<ApprovalEvent>) : {};
    const label = {
      id: typeof hint.id === 'string' ? hint.id : undefined,
      seq: typeof hint.seq === 'number' ? hint.seq : undefined,
    };
    if (!parsed.success) {
      return fail(
        index,
        label,
        'invalid',
        `event ${index} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
      );
    }
    const event = parsed.data;
    const data = EventDataSchemas[event.type].safeParse(event.data);
    if (!data.success) {
      return fail(
        index,
        event,
        'invalid',
        `event ${index} (${event.type}) has malformed data: ${data.error.issues[0]?.message ?? 'invalid'} at data.${data.error.issues[0]?.path.join('.') ?? ''}`,
      );
    }
    streamId ??= event.streamId;
    if (event.streamId !== streamId)
      return fail(index, event, 'wrong-stream', `event ${index} belongs to stream ${event.streamId}, not ${streamId}`);
    if (event.seq !== index + 1) {
      return fail(
        index,
        event,
        'out-of-sequence',
        `event ${index} has seq ${event.seq}, expected ${index + 1} (an event was deleted, inserted or moved here)`,
      );
    }
    if (event.prevHash !== prevHash)
      return fail(
        index,
        event,
        'broken-chain',
        `event seq ${event.seq} does not follow the event before it (prevHash differs)`,
      );
    if (hashEvent(event) !== event.hash)
      return fail(
        index,
        event,
        'hash-mismatch',
        `event seq ${event.seq} was changed after it was recorded (hash differs)`,
      );
    prevHash = event.hash;
  }
  if (options.expectedHead !== undefined && options.expectedHead !== prevHash) {
    const last = events.length - 1;
    const event = events[last] as Partial<ApprovalEvent> | undefined;
    return fail(
      Math.max(last, 0),
      event,
      'broken-chain',
      'the history does not end at the expected head (events were removed from the end)',
    );
  }
  return { ok: true, count: events.length, head: prevHash };
}

function fail(
  index: number,
  event: { id?: string | undefined; seq?: number | undefined } | undefined,
  problem: AuditProblem,
  message: string,
): AuditReport {
  return { ok: false, index, eventId: event?.id, seq: event?.seq, problem, message };
}
