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

/** Core's backoff with "full jitter": a random wait in [0, min(max, base·2^(attempt − 1))]. */
export function retryDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  return backoffDelay(attempt, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: 1 }, random);
}

// `sleep` and `retryAfterMs` live in core (assist needs them too); re-exported for the SDK's API.
export { retryAfterMs, sleep } from '@hubspoke/core';
import { backoffDelay } from '@hubspoke/core';
