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
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

// `sleep` and `retryAfterMs` live in core (assist needs them too); re-exported for the SDK's API.
export { retryAfterMs, sleep } from '@hubspoke/core';
