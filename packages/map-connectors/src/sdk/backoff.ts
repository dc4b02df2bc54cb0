export interface RetryPolicy {
  /** Attempts for transient failures (5xx, timeouts, resets), including the first. */
  maxAttempts: number;
  /** Extra waits allowed after the vendor says "slow down"; they do not use up `maxAttempts`. */
  maxRateLimitWaits: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxRateLimitWaits: 20,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  timeoutMs: 30_000,
};

/** Exponential backoff with "full jitter": a random wait in [0, min(max, base·2^attempt)]. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * How long the server asked us to wait, from `Retry-After` (seconds or an HTTP date),
 * `X-RateLimit-Retry-After`, or `X-RateLimit-Reset` (epoch seconds, or seconds from now
 * when the number is small). `undefined` when no header says.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after', 'x-ratelimit-retry-after']) {
    const value = headers.get(name);
    if (value === null) continue;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && value.trim() !== '') return Math.max(0, seconds * 1000);
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

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
