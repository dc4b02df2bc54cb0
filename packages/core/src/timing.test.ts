import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs, sleep } from './timing.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates and rate-limit resets', () => {
    expect(retryAfterMs(headers({ 'Retry-After': '3' }))).toBe(3000);
    expect(retryAfterMs(headers({ 'Retry-After': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(retryAfterMs(headers({ 'X-RateLimit-Retry-After': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'X-RateLimit-Reset': '1700000060' }), 1_700_000_000_000)).toBe(60_000);
    expect(retryAfterMs(headers({ 'X-RateLimit-Reset': '5' }))).toBe(5000);
  });

  it('says nothing for missing or unreadable headers, and never a negative wait', () => {
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'Retry-After': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'Retry-After': new Date(1000).toUTCString() }), 5000)).toBe(0);
  });
});

describe('sleep', () => {
  it('waits, and rejects with the reason when aborted before or during the wait', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const before = new AbortController();
    before.abort(new Error('stop'));
    await expect(sleep(1000, before.signal)).rejects.toThrow('stop');
    const during = new AbortController();
    const pending = sleep(10_000, during.signal);
    during.abort(new Error('later'));
    await expect(pending).rejects.toThrow('later');
  });
});

describe('backoffDelay', () => {
  const exact = { baseMs: 1000, maxMs: 60_000, jitter: 0 };

  it('doubles with each attempt up to the cap', () => {
    expect([1, 2, 3, 4, 6, 7, 50, 5000].map((n) => backoffDelay(n, exact))).toEqual([
      1000, 2000, 4000, 8000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('takes off at most its jitter share, and full jitter spans [0, wait] (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, jitter, random) => {
          const wait = backoffDelay(attempt, exact);
          const delay = backoffDelay(attempt, { ...exact, jitter }, () => random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(wait * (1 - jitter)));
          expect(delay).toBeLessThanOrEqual(wait);
        },
      ),
    );
    expect(backoffDelay(3, { ...exact, jitter: 1 }, () => 0)).toBe(4000);
    expect(backoffDelay(3, { ...exact, jitter: 1 }, () => 0.999_999)).toBe(0);
  });
});
