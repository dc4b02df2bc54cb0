import { createHmac, type KeyObject } from 'node:crypto';
import { HubspokeError, type ApprovalEvent } from '@hubspoke/core';
import type { StoredEvent } from '../store/event-store.js';
import type { SubmissionState } from '../state.js';
import { CheckpointKeys, type Checkpoint } from './checkpoints.js';
import type { AuditProblem, AuditReport } from './hash-chain.js';
import { AuditKeyring, type AuditKeysInput, type Ed25519KeyInput } from './keys.js';

const MAC_LABEL = 'hubspoke-audit-mac/1';
const SNAPSHOT_LABEL = 'hubspoke-audit-snapshot/1';

function hmacHex(key: KeyObject, header: string, body: string): string {
  return createHmac('sha256', key).update(header).update(body).digest('hex');
}

/**
 * The MAC of one stored event: HMAC-SHA-256 under key `keyId` over a header naming the key, the
 * stream, the seq and the previous event's MAC, then the event's JSON text exactly as stored.
 * Written `keyId:hex`, so the key that sealed each event (and so every rotation) is in the chain.
 */
export function eventMac(
  keys: AuditKeyring,
  keyId: string,
  streamId: string,
  seq: number,
  prevMac: string,
  body: string,
): string {
  const key = keys.lookup(keyId);
  if (key === undefined) throw new HubspokeError('E_NOT_FOUND', `No audit key ${keyId}`, { path: 'keyId' });
  return `${keyId}:${hmacHex(key.key, `${MAC_LABEL} ${keyId} ${JSON.stringify(streamId)} ${seq} ${prevMac}\n`, body)}`;
}

/** MACs for events about to be appended after the event whose MAC is `prevMac` ('' for the first), with the current key. */
export function sealEvents(
  keys: AuditKeyring,
  streamId: string,
  prevMac: string,
  events: readonly ApprovalEvent[],
): string[] {
  let prev = prevMac;
  return events.map((event) => (prev = eventMac(keys, keys.current, streamId, event.seq, prev, JSON.stringify(event))));
}

/** The MAC that ties a snapshot's state (as `JSON.stringify` writes it) to the MAC of the event it folds to. */
export function snapshotMac(
  keys: AuditKeyring,
  keyId: string,
  snapshot: { streamId: string; seq: number; format: number; state: SubmissionState },
  eventMacAtSeq: string,
): string {
  const key = keys.lookup(keyId);
  if (key === undefined) throw new HubspokeError('E_NOT_FOUND', `No audit key ${keyId}`, { path: 'keyId' });
  const header = `${SNAPSHOT_LABEL} ${keyId} ${JSON.stringify(snapshot.streamId)} ${snapshot.seq} ${snapshot.format} ${eventMacAtSeq}\n`;
  return `${keyId}:${hmacHex(key.key, header, JSON.stringify(snapshot.state))}`;
}

/** Does a stored snapshot carry a valid MAC for the event MAC it claims to fold to? */
export function snapshotVerifies(
  keys: AuditKeyring,
  snapshot: { streamId: string; seq: number; format: number; state: SubmissionState; mac?: string | undefined },
  eventMacAtSeq: string,
): boolean {
  const mac = snapshot.mac;
  if (typeof mac !== 'string') return false;
  const keyId = mac.slice(0, Math.max(0, mac.indexOf(':')));
  if (keys.lookup(keyId) === undefined) return false;
  try {
    return equalMac(snapshotMac(keys, keyId, snapshot, eventMacAtSeq), mac);
  } catch {
    return false; // a state that cannot be serialised was not written by us
  }
}

function equalMac(a: string, b: string): boolean {
  return a.length === b.length && sameMac(a, 0, b);
}

/**
 * Whether `stored` holds the hex digest `computed` from `offset` to its end, in time that does not
 * depend on where they differ (timingSafeEqual would need two buffers per event: twice as slow).
 */
function sameMac(stored: string, offset: number, computed: string): boolean {
  if (stored.length - offset !== computed.length) return false;
  let difference = 0;
  for (let i = 0; i < computed.length; i++) difference |= stored.charCodeAt(offset + i) ^ computed.charCodeAt(i);
  return difference === 0;
}

/** The first bad event of a history, as {@link AuditReport} names it. */
export interface TrailProblem {
  seq: number;
  /** The last seq of a range that does not match a checkpoint. */
  through?: number;
  problem: AuditProblem;
  message: string;
  eventId?: string | undefined;
}

/** The id of a stored event, if its text still parses. */
function idOf(record: StoredEvent | undefined): string | undefined {
  if (record === undefined) return undefined;
  try {
    const id: unknown = (JSON.parse(record.body) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function hashOf(record: StoredEvent): string | undefined {
  try {
    const hash: unknown = (JSON.parse(record.body) as { hash?: unknown } | null)?.hash;
    return typeof hash === 'string' ? hash : undefined;
  } catch {
    return undefined;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks the keyed chain over stored events: consecutive seqs, a MAC on each, made with a known
 * key no older than the one before, over exactly the stored text. `anchor` is the stored event just
 * before `records` (its MAC continues the chain), when checking only a tail.
 */
export function checkMacs(
  keys: AuditKeyring,
  streamId: string,
  records: readonly StoredEvent[],
  anchor?: { seq: number; mac: string },
): TrailProblem | undefined {
  const stream = JSON.stringify(streamId);
  let expected = (anchor?.seq ?? 0) + 1;
  let prevMac = anchor?.mac ?? '';
  let prevRank = anchor === undefined ? -1 : (keys.lookup(anchor.mac.slice(0, anchor.mac.indexOf(':')))?.rank ?? -1);
  for (const record of records) {
    const { seq, mac, body } = record;
    if (seq !== expected) {
      return seq > expected
        ? {
            seq: expected,
            through: seq - 1,
            problem: 'missing',
            message: `event seq ${expected}${seq - 1 > expected ? `–${seq - 1}` : ''} ${seq - 1 > expected ? 'are' : 'is'} missing (deleted from the middle of the history)`,
          }
        : {
            seq,
            problem: 'out-of-sequence',
            message: `event seq ${seq} appears again after seq ${expected - 1}`,
            eventId: idOf(record),
          };
    }
    if (typeof mac !== 'string' || typeof body !== 'string')
      return { seq, problem: 'unsealed', message: `event seq ${seq} has no MAC`, eventId: idOf(record) };
    const colon = mac.indexOf(':');
    const keyId = colon > 0 ? mac.slice(0, colon) : '';
    const key = keys.lookup(keyId);
    if (key === undefined)
      return {
        seq,
        problem: 'unknown-key',
        message: `event seq ${seq} is sealed with a key that is not in the keyring (${JSON.stringify(keyId.slice(0, 64))})`,
        eventId: idOf(record),
      };
    if (key.rank < prevRank)
      return {
        seq,
        problem: 'key-regression',
        message: `event seq ${seq} is sealed with key ${keyId}, older than the key of the event before it (a retired key cannot extend the chain)`,
        eventId: idOf(record),
      };
    const computed = hmacHex(key.key, `${MAC_LABEL} ${keyId} ${stream} ${seq} ${prevMac}\n`, body);
    if (!sameMac(mac, colon + 1, computed))
      return {
        seq,
        problem: 'mac-mismatch',
        message: isJson(body)
          ? `event seq ${seq} was changed after it was recorded, or moved (its MAC does not match)`
          : `event seq ${seq} is stored as text that is not JSON (its MAC does not match)`,
        eventId: idOf(record),
      };
    prevMac = mac;
    prevRank = key.rank;
    expected++;
  }
  return undefined;
}

/** A submission's stored history with its checkpoints: what `exportAudit` returns and {@link verifyTrail} checks. */
export interface AuditTrail {
  format?: 'hubspoke-audit/1';
  streamId: string;
  /** Every stored event, in order. */
  records: readonly StoredEvent[];
  /** The checkpoints published for the stream (any order; the latest alone suffices unless a range is to be named). */
  checkpoints?: readonly Checkpoint[];
}

export interface VerifyTrailOptions {
  /** The MAC keys (oldest first), as for `createApprovals({ audit })`. */
  keys: AuditKeysInput | AuditKeyring;
  /** Ed25519 public keys whose checkpoints count (PEM or KeyObject). */
  publicKeys?: readonly Ed25519KeyInput[];
}

/** What checking the checkpoints found: the latest that verifies, and the first problem. */
export interface AnchorCheck {
  latest?: Checkpoint;
  problem?: TrailProblem;
  /** A checkpoint that is malformed or whose signature does not verify (reported only when nothing else is wrong). */
  invalid?: TrailProblem;
}

/**
 * Compares the chain with signed checkpoints. The latest valid one must be covered by the stored
 * events (else the tail was cut) and match the stored event at its seq (else events up to it were
 * rewritten, by someone holding the MAC key); older ones then name the first range that differs.
 */
export function checkCheckpoints(
  checkpointKeys: CheckpointKeys,
  streamId: string,
  checkpoints: readonly unknown[],
  recordAt: (seq: number) => StoredEvent | undefined,
  count: number,
): AnchorCheck {
  const claimed = (c: unknown) =>
    c !== null && typeof c === 'object' && typeof (c as { seq?: unknown }).seq === 'number'
      ? (c as { seq: number }).seq
      : -1;
  const ordered = [...checkpoints].sort((a, b) => claimed(b) - claimed(a));
  const result: AnchorCheck = {};
  let latest: Checkpoint | undefined;
  for (const candidate of ordered) {
    const checked = checkpointKeys.check(candidate, streamId);
    if (checked.ok) {
      latest = checked.checkpoint;
      break;
    }
    result.invalid ??= {
      seq: Math.max(claimed(candidate), 0),
      problem: 'checkpoint-invalid',
      message: `a checkpoint in the checkpoint store cannot be trusted: ${checked.reason}`,
    };
  }
  if (latest === undefined) return result;
  result.latest = latest;
  const matches = (c: Checkpoint) => {
    const record = recordAt(c.seq);
    return record === undefined ? false : record.mac === c.mac && hashOf(record) === c.hash;
  };
  if (latest.seq > count) {
    const first = count + 1;
    result.problem = {
      seq: first,
      through: latest.seq,
      problem: 'truncated',
      message: `event seq ${first}${latest.seq > first ? `–${latest.seq}` : ''} ${latest.seq > first ? 'are' : 'is'} missing from the end: the checkpoint signed at ${latest.at} vouches for ${latest.seq} events, ending at event ${latest.eventId}`,
      eventId: latest.seq === first ? latest.eventId : undefined,
    };
    return result;
  }
  if (matches(latest)) return result;
  // Name the first range that differs: the events after the last checkpoint that still matches.
  let lastGood = 0;
  for (const candidate of [...ordered].reverse()) {
    if (claimed(candidate) > latest.seq) continue;
    const checked = checkpointKeys.check(candidate, streamId);
    if (!checked.ok) continue;
    if (matches(checked.checkpoint)) {
      lastGood = Math.max(lastGood, checked.checkpoint.seq);
      continue;
    }
    const first = lastGood + 1;
    const through = checked.checkpoint.seq;
    result.problem = {
      seq: first,
      through,
      problem: 'checkpoint-mismatch',
      message: `event seq ${first}${through > first ? `–${through}` : ''} ${through > first ? 'differ' : 'differs'} from the checkpoint signed at ${checked.checkpoint.at} although every MAC matches: the history was rewritten with the MAC key`,
      eventId: idOf(recordAt(first)),
    };
    break;
  }
  return result;
}

/**
 * Verifies a submission's stored history with the MAC keys and checkpoints: names the first event
 * that was edited, moved, deleted, cut from the end, rewritten with re-computed hashes, or stored
 * as invalid JSON. Never throws for bad trail data; invalid keys are `E_VALIDATION`.
 */
export function verifyTrail(trail: AuditTrail, options: VerifyTrailOptions): AuditReport {
  const keys = AuditKeyring.from(options.keys);
  const checkpointKeys =
    options.publicKeys === undefined || options.publicKeys.length === 0
      ? undefined
      : new CheckpointKeys({ publicKeys: options.publicKeys });
  const given = trail as Partial<AuditTrail> | null;
  if (
    given === null ||
    typeof given !== 'object' ||
    !Array.isArray(given.records) ||
    typeof given.streamId !== 'string'
  )
    return fail({ seq: 0, problem: 'invalid', message: 'expected { streamId, records, checkpoints? }' });
  const verifier = new TrailVerifier(
    keys,
    checkpointKeys,
    trail.streamId,
    Array.isArray(trail.checkpoints) ? trail.checkpoints : [],
  );
  verifier.push(trail.records);
  return verifier.finish();
}

/**
 * Verifies a history fed in pages (so a long one need not sit in memory at once): `push` each page
 * of stored events in order, then `finish` for the report. The checkpoints are given up front, so
 * the events they vouch for are kept as they pass.
 */
export class TrailVerifier {
  private expected = 1;
  private prevMac = '';
  private problem: TrailProblem | undefined;
  private last: StoredEvent | undefined;
  private readonly wanted = new Set<number>();
  private readonly kept = new Map<number, StoredEvent>();

  constructor(
    private readonly keys: AuditKeyring,
    private readonly checkpointKeys: CheckpointKeys | undefined,
    private readonly streamId: string,
    private readonly checkpoints: readonly unknown[],
  ) {
    if (checkpointKeys !== undefined)
      for (const c of checkpoints) {
        const seq = (c as { seq?: unknown } | null)?.seq;
        if (typeof seq === 'number') this.wanted.add(seq);
      }
  }

  /** Checks the next page of stored events (after the first problem, pages are only counted). */
  push(records: readonly StoredEvent[]): void {
    if (records.length === 0 || this.problem !== undefined) return;
    const anchor = this.expected === 1 ? undefined : { seq: this.expected - 1, mac: this.prevMac };
    try {
      this.problem = checkMacs(this.keys, this.streamId, records, anchor);
    } catch {
      this.problem = {
        seq: this.expected,
        problem: 'invalid',
        message: 'the stored events are not { seq, body, mac } records',
      };
    }
    // Keep what the checkpoints vouch for, up to the first problem (later events are not checked).
    const end = this.problem?.seq ?? Infinity;
    for (const seq of this.wanted) {
      const record = records[seq - this.expected];
      if (record !== undefined && seq < end) this.kept.set(seq, record);
    }
    if (this.problem !== undefined) return;
    this.last = records[records.length - 1];
    this.prevMac = this.last?.mac ?? '';
    this.expected += records.length;
  }

  /** The earliest problem of the chain and of the checkpoints, or what verified. */
  finish(): AuditReport {
    const chainProblem = this.problem;
    // Past a broken MAC nothing is known, so only checkpoints before it are compared (they may name an earlier rewrite).
    const count = chainProblem === undefined ? this.expected - 1 : chainProblem.seq - 1;
    const checkpoints =
      chainProblem === undefined
        ? this.checkpoints
        : this.checkpoints.filter((c) => {
            const seq = (c as { seq?: unknown } | null)?.seq;
            return typeof seq === 'number' && seq <= count;
          });
    const anchors: AnchorCheck =
      this.checkpointKeys === undefined || checkpoints.length === 0
        ? {}
        : checkCheckpoints(this.checkpointKeys, this.streamId, checkpoints, (seq) => this.kept.get(seq), count);
    const problems = [chainProblem, anchors.problem].filter((p) => p !== undefined);
    const first = problems.sort((a, b) => a.seq - b.seq)[0] ?? anchors.invalid;
    if (first !== undefined) return fail(first);
    const last = this.last;
    const report: AuditReport = {
      ok: true,
      count,
      head: last === undefined ? '' : (hashOf(last) ?? ''),
      keyed: true,
      mac: last?.mac ?? '',
      unanchored: count - (anchors.latest?.seq ?? 0),
    };
    if (anchors.latest !== undefined) report.checkpoint = { seq: anchors.latest.seq, at: anchors.latest.at };
    return report;
  }
}

function fail(problem: TrailProblem): AuditReport {
  return {
    ok: false,
    index: Math.max(problem.seq - 1, 0),
    seq: problem.seq,
    eventId: problem.eventId,
    problem: problem.problem,
    message: problem.message,
    ...(problem.through === undefined || problem.through === problem.seq ? {} : { through: problem.through }),
  };
}
