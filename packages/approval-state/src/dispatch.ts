import {
  HubspokeError,
  backoffDelay,
  isHubspokeError,
  parse,
  sleep,
  toHubspokeError,
  type WorkflowEffect,
} from '@hubspoke/core';
import { z } from 'zod';
import type { ClaimedEffect, EffectClaim, EffectOutbox } from './store/outbox.js';

/**
 * Performs one effect. Delivery is at least once, so make it idempotent: key tasks by
 * `effect.taskKey` and notifications by `entry.id`. `signal` aborts when dispatching stops or the
 * lease is about to run out (another worker may then take the entry).
 */
export type EffectHandler = (effect: WorkflowEffect, context: { entry: ClaimedEffect; signal: AbortSignal }) => unknown;

const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', { error: `expected ${what}` });

export const DispatchOptionsSchema = z
  .object({
    /** Stops dispatching: the running handler sees the signal, unhandled claims are released. */
    signal: z
      .custom<AbortSignal>((value) => value instanceof AbortSignal, { error: 'expected an AbortSignal' })
      .optional(),
    /** Entries claimed at a time (default 10). */
    batchSize: z.int().min(1).max(1000).default(10),
    /** How long a batch is held before another worker may take it (default 30 s). */
    leaseMs: z.int().min(1).max(86_400_000).default(30_000),
    /** After this many attempts an entry moves to `dead` (default 8). */
    maxAttempts: z.int().min(1).max(1000).default(8),
    /** Wait before the first retry; it doubles with each attempt (default 1 s). */
    backoffMs: z.int().min(0).max(86_400_000).default(1000),
    /** The longest wait between attempts (default 1 h). */
    maxBackoffMs: z
      .int()
      .min(0)
      .max(7 * 86_400_000)
      .default(3_600_000),
    /** Spread retries by up to this fraction of the wait, so failing workers do not retry in step (default 0.2). */
    jitter: z.number().min(0).max(1).default(0.2),
    /** Keep polling for new entries until the signal aborts (default false: return once nothing is due). */
    watch: z.boolean().default(false),
    /** Pause between polls when watching and nothing is due (default 1 s). */
    pollMs: z.int().min(1).max(3_600_000).default(1000),
    /** For tests and simulations. Without it the store keeps time (the database's clock for SQL stores), so workers' clocks may disagree. */
    clock: fn<() => Date>('a function returning the current Date').optional(),
  })
  .strict();
export type DispatchOptions = z.input<typeof DispatchOptionsSchema>;

export interface DispatchReport {
  /** Handled and acked. */
  dispatched: number;
  /** Failed and scheduled again. */
  retried: number;
  /** Failed for the last time and moved to `dead`. */
  dead: number;
  /** Handled, but the lease had passed to another worker, which will perform it again. */
  leaseLost: number;
  /** Claimed but given back untried because dispatching stopped. */
  released: number;
  batches: number;
  aborted: boolean;
}

/** The wait before attempt `attempts + 1`: core's backoff with the dispatch options' names. */
export function retryDelay(
  attempts: number,
  options: { backoffMs: number; maxBackoffMs: number; jitter: number },
  random: () => number = Math.random,
): number {
  return backoffDelay(
    attempts,
    { baseMs: options.backoffMs, maxMs: options.maxBackoffMs, jitter: options.jitter },
    random,
  );
}

function describeError(error: unknown): string {
  if (isHubspokeError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs a settle call; a lease lost to another worker is reported, not thrown. */
async function settled(action: Promise<void>): Promise<boolean> {
  try {
    await action;
    return true;
  } catch (error) {
    if (isHubspokeError(error, 'E_CONFLICT') && error.details.reason === 'lease') return false;
    throw error;
  }
}

/** When a batch's handler signal aborts: a little before the lease ends (a tenth of it, at most 1 s), in whole milliseconds. */
function handlerDeadlineMs(leaseMs: number): number {
  return Math.max(1, leaseMs - Math.min(1000, Math.floor(leaseMs / 10)));
}

/**
 * Drains a store's outbox: claim a batch → run `handler` on each entry in order → ack it, or on
 * a throw schedule a retry with exponential backoff, moving it to `dead` after `maxAttempts`.
 * Delivery is at least once: a worker that stops between the handler and the ack leaves the
 * entry to the next worker once the lease runs out. Resolves with counts when nothing is due (or,
 * with `watch`, when the signal aborts); rejects with a `HubspokeError` when the store (or the
 * clock) fails, after giving back the claimed entries the handler had not started.
 */
export async function dispatchEffects(
  store: EffectOutbox,
  handler: EffectHandler,
  options: DispatchOptions = {},
): Promise<DispatchReport> {
  if (typeof (store as Partial<EffectOutbox> | null)?.claimEffects !== 'function') {
    throw new HubspokeError(
      'E_VALIDATION',
      'Invalid store: expected an EventStore with an outbox (claimEffects, ackEffect, failEffect)',
      { path: 'store' },
    );
  }
  if (typeof handler !== 'function')
    throw new HubspokeError('E_VALIDATION', `Invalid handler: expected a function, got ${typeof handler}`, {
      path: 'handler',
    });
  const o = parse(DispatchOptionsSchema, options, 'options');
  const { clock, signal } = o;
  const stopped = () => signal?.aborted === true;
  const report: DispatchReport = {
    dispatched: 0,
    retried: 0,
    dead: 0,
    leaseLost: 0,
    released: 0,
    batches: 0,
    aborted: false,
  };

  /** `{ now }` from the caller's clock, or nothing, so the store uses its own. */
  const stamp = (): { now?: Date } => {
    if (clock === undefined) return {};
    const now = clock();
    if (now instanceof Date && !Number.isNaN(now.getTime())) return { now };
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid options.clock: expected it to return a valid Date, got ${now instanceof Date ? 'an invalid Date' : typeof now}`,
      { path: 'options.clock' },
    );
  };
  const release = async (claims: readonly EffectClaim[]) => {
    for (const claim of claims) if (await settled(store.releaseEffect(claim))) report.released++;
  };

  try {
    while (!stopped()) {
      const batch = await store.claimEffects({
        limit: o.batchSize,
        leaseMs: o.leaseMs,
        maxAttempts: o.maxAttempts,
        ...stamp(),
      });
      if (batch.length === 0) {
        if (!o.watch) break;
        await sleep(o.pollMs, signal).catch(() => undefined);
        continue;
      }
      report.batches++;
      // Entries before `next` were handed to the handler; the rest go back untried.
      let next = 0;
      try {
        // Handlers stop with the caller, and a little before the lease ends so they do not overrun it.
        const leaseEnds = AbortSignal.timeout(handlerDeadlineMs(o.leaseMs));
        const handlerSignal = signal === undefined ? leaseEnds : AbortSignal.any([signal, leaseEnds]);
        for (const entry of batch) {
          // Stopping, or the lease is (nearly) over and another worker may hold the rest.
          if (stopped() || leaseEnds.aborted) break;
          next++;
          try {
            await handler(entry.effect, { entry, signal: handlerSignal });
          } catch (error) {
            if (stopped()) {
              // Stopped under the handler: not the effect's fault, so the attempt does not count.
              next--;
              break;
            }
            const last = entry.attempts >= o.maxAttempts;
            const failure = last
              ? { error: describeError(error), dead: true as const, ...stamp() }
              : { error: describeError(error), retryAfterMs: retryDelay(entry.attempts, o), ...stamp() };
            if (!(await settled(store.failEffect(entry, failure)))) report.leaseLost++;
            else if (last) report.dead++;
            else report.retried++;
            continue;
          }
          if (await settled(store.ackEffect(entry, stamp()))) report.dispatched++;
          else report.leaseLost++;
        }
        await release(batch.slice(next));
      } catch (error) {
        // A failure under us (the store, the clock): give back what the handler never saw, so no attempt is used
        // up for nothing. The entry in progress keeps its lease (it may have been performed) and passes on when that ends.
        await Promise.allSettled(batch.slice(next).map(async (claim) => store.releaseEffect(claim)));
        throw error;
      }
    }
  } catch (error) {
    throw toHubspokeError(error);
  }
  report.aborted = stopped();
  return report;
}
