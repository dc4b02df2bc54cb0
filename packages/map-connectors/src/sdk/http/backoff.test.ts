import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelay as backoffDelay, retryAfterMs, sleep } from './backoff.js';

describe('backoffDelay', () => {
  it('stays within [0, min(max, base·2^(attempt-1))] (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 5000 }, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(5000, 100 * 2 ** (attempt - 1)));
      }),
    );
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads Retry-After seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': '5' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(30_000);
  });
  it('reads X-RateLimit-Reset as epoch seconds or a delta, and the Braze retry header', () => {
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': String(now / 1000 + 12) }), now)).toBe(12_000);
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Retry-After': '2' }), now)).toBe(2000);
  });
  it('ignores garbage and absent headers (property: never negative, never NaN)', () => {
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 30, unit: 'grapheme-ascii' }), (value) => {
        let headers: Headers;
        try {
          headers = new Headers({ 'Retry-After': value, 'X-RateLimit-Reset': value });
        } catch {
          return;
        }
        const ms = retryAfterMs(headers, now);
        if (ms !== undefined) expect(ms >= 0 && Number.isFinite(ms)).toBe(true);
      }),
    );
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});
