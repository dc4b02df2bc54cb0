import { HubspokeError } from './errors/hubspoke-error.js';

/** Waits `ms`, or rejects with the signal's reason when it aborts first (at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const given: unknown = signal;
  if (
    given !== undefined &&
    (typeof given !== 'object' ||
      given === null ||
      typeof (given as Partial<AbortSignal>).addEventListener !== 'function' ||
      typeof (given as Partial<AbortSignal>).removeEventListener !== 'function')
  )
    return Promise.reject(
      new HubspokeError('E_VALIDATION', 'Invalid signal: sleep expected an AbortSignal', { path: 'signal' }),
    );
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Anything with `get(name)`, such as fetch's `Headers`. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long a server asked us to wait, in milliseconds: `Retry-After` (seconds or an HTTP
 * date), `X-RateLimit-Retry-After`, or `X-RateLimit-Reset` (epoch seconds, or seconds from now
 * when the number is small). `undefined` when no header says.
 */
export function retryAfterMs(headers: HeaderReader, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after', 'x-ratelimit-retry-after']) {
    const value = headers.get(name);
    if (value === null || value.trim() === '') continue;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null && reset.trim() !== '') {
    const value = Number(reset);
    if (Number.isFinite(value)) return value > 1e9 ? Math.max(0, value * 1000 - now) : Math.max(0, value * 1000);
  }
  return undefined;
}

/** How a retry waits: the first wait, its cap, and how much of each wait is random. */
export interface BackoffPolicy {
  /** The wait before the second attempt; it doubles with each attempt after that. */
  baseMs: number;
  maxMs: number;
  /** The share of each wait taken off at random: 0 waits exactly, 1 is "full jitter" (anywhere in [0, wait]). */
  jitter: number;
}

/**
 * The wait after attempt `attempt` (1 for the first) failed: `baseMs · 2^(attempt − 1)`, at most
 * `maxMs`, less a random share of up to `jitter` of it. The one backoff formula every retry uses.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(wait * (1 - policy.jitter * random()));
}
