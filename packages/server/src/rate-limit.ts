/**
 * A token bucket per key (a principal id, or a client address before sign-in). In memory, so per
 * instance: N instances allow up to N× the rate, which is what a limit against runaway clients needs.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;

  constructor(options: { perMinute: number; burst?: number; now?: () => number }) {
    this.#perSecond = options.perMinute / 60;
    this.#burst = options.burst ?? Math.max(1, Math.ceil(options.perMinute / 6));
    this.#now = options.now ?? (() => performance.now());
  }

  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 100_000) this.#sweep(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perSecond);
  }

  // Full buckets carry no information: forget them so the map cannot grow without bound.
  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond >= this.#burst) this.#buckets.delete(key);
    }
  }
}
