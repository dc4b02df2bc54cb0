import { HubspokeError, WorkflowEffectSchema, parse, type WorkflowEffect } from '@hubspoke/core';
import { z } from 'zod';
import type { AppendRequest } from './event-store.js';

/** `pending` until a worker acks it (`dispatched`) or gives up on it (`dead`). */
export type OutboxStatus = 'pending' | 'dispatched' | 'dead';

/** One effect kept in the store's outbox, written in the same atomic step as its event. */
export interface OutboxEntry {
  /** `<streamId>#<seq>.<index>`: the same event and effect always get the same id, so nothing is enqueued twice. */
  id: string;
  streamId: string;
  seq: number;
  eventId: string;
  /** Position among the effects of its event. */
  index: number;
  effect: WorkflowEffect;
  status: OutboxStatus;
  /** The time of the event that caused the effect. */
  createdAt: string;
  /** How often a worker has claimed it (a claim counts, so a worker that dies mid-effect uses up an attempt). */
  attempts: number;
  lastError?: string;
  /** Not before this time (after a failure); absent means as soon as possible. */
  nextAttemptAt?: string;
  /** A worker holds it until then. */
  leasedUntil?: string;
  dispatchedAt?: string;
  deadAt?: string;
}

/** Enough to ack, fail or release a claimed entry: a {@link ClaimedEffect} is one. */
export interface EffectClaim {
  id: string;
  leaseToken: string;
}

/** An entry leased to one worker by `claimEffects`. */
export interface ClaimedEffect extends OutboxEntry, EffectClaim {
  leasedUntil: string;
}

const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-01-01T00:00:00Z');

/** A time as a `Date` or an ISO timestamp, within the years every store can keep. */
const InstantSchema = z
  .union([
    z.date({ error: 'expected a valid Date' }),
    z.iso.datetime({ offset: true, error: 'expected a Date or a timestamp like 2026-01-31T09:30:00Z' }),
  ])
  .transform((value) => (typeof value === 'string' ? new Date(value) : value))
  .refine((date) => date.getTime() >= EARLIEST && date.getTime() <= LATEST, {
    error: 'expected a time between the years 1 and 9999',
  });

const StatusSchema = z.enum(['pending', 'dispatched', 'dead']);

export const ClaimEffectsOptionsSchema = z
  .object({
    /** At most this many entries (default 10). */
    limit: z.int().min(1).max(1000).default(10),
    /** How long the worker holds them before another may take them (default 30 s). */
    leaseMs: z.int().min(1).max(86_400_000).default(30_000),
    /** For tests and simulations. Without it leases are timed by the store's clock (the database's for SQL stores), so workers' clocks may disagree. */
    now: InstantSchema.optional(),
    /** Entries that used this many attempts are moved to `dead` instead of being claimed again. */
    maxAttempts: z.int().min(1).max(1000).optional(),
  })
  .strict();
export type ClaimEffectsOptions = z.input<typeof ClaimEffectsOptionsSchema>;

const EffectClaimSchema = z.object({ id: z.string().min(1).max(20_000), leaseToken: z.string().min(1).max(200) });

export const EffectFailureSchema = z
  .object({
    /** What went wrong, kept as `lastError` (cut to 2,000 characters). */
    error: z.string().transform((text) => text.slice(0, 2000)),
    /** Try again from then. */
    retryAt: InstantSchema.optional(),
    /** Try again this long after `now` (by default the store's clock). */
    retryAfterMs: z
      .int()
      .min(0)
      .max(366 * 86_400_000)
      .optional(),
    /** Give up: the entry moves to `dead` (see `listEffects({ status: 'dead' })`). */
    dead: z.literal(true).optional(),
    /** For tests and simulations (default the store's clock). */
    now: InstantSchema.optional(),
  })
  .strict();
export type EffectFailure = z.input<typeof EffectFailureSchema>;

const NowSchema = z.object({ now: InstantSchema.optional() }).strict();
export type AckEffectOptions = z.input<typeof NowSchema>;

export const EffectQuerySchema = z
  .object({
    status: z.union([StatusSchema, z.array(StatusSchema).min(1)]).optional(),
    streamId: z.string().min(1).max(20_000).optional(),
    limit: z.int().min(1).max(1000).default(100),
    offset: z.int().min(0).default(0),
  })
  .strict();
export type EffectQuery = z.input<typeof EffectQuerySchema>;

export const PruneEffectsOptionsSchema = z.object({ dispatchedBefore: InstantSchema }).strict();
export type PruneEffectsOptions = z.input<typeof PruneEffectsOptionsSchema>;

/**
 * A transactional outbox: the effects of every append, kept with its events, for workers to
 * perform at least once. Claims are leases; an entry whose lease runs out goes to the next worker.
 */
export interface EffectOutbox {
  /** Leases up to `limit` due entries, oldest first, to the caller. Two workers never hold the same entry. */
  claimEffects(options?: ClaimEffectsOptions): Promise<ClaimedEffect[]>;
  /** Marks a claimed entry done. `E_CONFLICT` (`reason: 'lease'`) when the lease was lost to another worker or the entry is settled. */
  ackEffect(claim: EffectClaim, options?: AckEffectOptions): Promise<void>;
  /** Records a failed attempt: retry at `retryAt` or after `retryAfterMs`, or `dead: true` to give up. Same lease rules as `ackEffect`. */
  failEffect(claim: EffectClaim, failure: EffectFailure): Promise<void>;
  /** Gives a claimed entry back untried (the attempt does not count), e.g. on shutdown. */
  releaseEffect(claim: EffectClaim): Promise<void>;
  /** Entries in queue order, e.g. `{ status: 'dead' }` for the dead letters. */
  listEffects(query?: EffectQuery): Promise<OutboxEntry[]>;
  /** Puts a dead entry back in the queue with its attempts reset. */
  requeueEffect(id: string): Promise<void>;
  /** Deletes dispatched entries dispatched before the given time; returns how many. */
  pruneEffects(options: PruneEffectsOptions): Promise<number>;
}

/** `lastError` of an entry moved to `dead` because its last lease ran out. */
export const LEASE_EXPIRED =
  'A worker claimed it and its lease ran out without an ack or a failure (did the worker stop?)';

export function outboxId(streamId: string, seq: number, index: number): string {
  return `${streamId}#${seq}.${index}`;
}

// At most 5,000: each entry takes 6 of PostgreSQL's 65,535 statement parameters.
const EventEffectsSchema = z.array(z.object({ seq: z.int().min(1), effect: WorkflowEffectSchema }).strict()).max(5000);

/** The outbox entries an append creates, checked before anything is written (call after `checkAppend`). */
export function outboxEntriesOf(request: AppendRequest): OutboxEntry[] {
  const effects = parse(EventEffectsSchema, request.effects ?? [], 'effects');
  const bySeq = new Map(request.events.map((event) => [event.seq, event]));
  const counts = new Map<number, number>();
  return effects.map(({ seq, effect }, i) => {
    const event = bySeq.get(seq);
    if (event === undefined) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid append: effects[${i}].seq: expected the seq of an event in this append, got ${seq}`,
        { path: `effects[${i}].seq` },
      );
    }
    const createdAt = new Date(event.at);
    if (Number.isNaN(createdAt.getTime())) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid append: events[${seq - request.expectedVersion - 1}].at: expected a timestamp, got ${JSON.stringify(event.at)}`,
        { path: `events[${seq - request.expectedVersion - 1}].at` },
      );
    }
    const index = counts.get(seq) ?? 0;
    counts.set(seq, index + 1);
    return {
      id: outboxId(request.streamId, seq, index),
      streamId: request.streamId,
      seq,
      eventId: event.id,
      index,
      effect,
      status: 'pending',
      createdAt: createdAt.toISOString(),
      attempts: 0,
    };
  });
}

/** Checked claim options; `now` stays undefined when the caller left the time to the store. */
export function parseClaimOptions(options: ClaimEffectsOptions | undefined) {
  return parse(ClaimEffectsOptionsSchema, options ?? {}, 'options');
}

export function parseClaim(claim: EffectClaim): EffectClaim {
  const { id, leaseToken } = parse(EffectClaimSchema, claim, 'claim');
  return { id, leaseToken };
}

/** A checked failure: exactly one of `retryAt`, `retryAfterMs` and `dead`; `now` undefined means the store's clock. */
export function parseFailure(failure: EffectFailure) {
  const parsed = parse(EffectFailureSchema, failure, 'failure');
  const given = (['dead', 'retryAt', 'retryAfterMs'] as const).filter((key) => parsed[key] !== undefined);
  if (given.length !== 1) {
    const what = given.length === 0 ? 'neither' : given.join(' and ');
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid failure: expected one of retryAt or retryAfterMs (try again) or dead: true (give up), got ${what}`,
      { path: `failure.${given[1] ?? 'dead'}` },
    );
  }
  return parsed;
}

export function parseNow(options: AckEffectOptions | undefined): Date | undefined {
  return parse(NowSchema, options ?? {}, 'options').now;
}

export function parseEffectQuery(query: EffectQuery | undefined) {
  const parsed = parse(EffectQuerySchema, query ?? {}, 'query');
  return { ...parsed, statuses: parsed.status === undefined ? undefined : [parsed.status].flat() };
}

export function parseEffectId(id: string): string {
  return parse(z.string().min(1).max(20_000), id, 'id');
}

export function parsePruneOptions(options: PruneEffectsOptions): Date {
  return parse(PruneEffectsOptionsSchema, options, 'options').dispatchedBefore;
}

export function effectNotFound(id: string): HubspokeError {
  return new HubspokeError('E_NOT_FOUND', `No outbox entry ${JSON.stringify(id)}`, { details: { id } });
}

/** The claim no longer holds the entry: its lease ran out and another worker took it, or it is already settled. */
export function leaseLost(id: string, status: OutboxStatus): HubspokeError {
  return new HubspokeError(
    'E_CONFLICT',
    `The lease on outbox entry ${JSON.stringify(id)} is no longer held (the entry is ${status}${status === 'pending' ? ' and claimed again by another worker' : ''})`,
    {
      details: { reason: 'lease', id, status },
      hint: 'Another worker will perform the effect (delivery is at least once); do not settle it again.',
    },
  );
}

export function notDead(id: string, status: OutboxStatus): HubspokeError {
  return new HubspokeError(
    'E_CONFLICT',
    `Outbox entry ${JSON.stringify(id)} is ${status}; only dead entries can be requeued`,
    { details: { reason: 'status', id, status } },
  );
}
