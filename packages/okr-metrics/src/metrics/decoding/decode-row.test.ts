import { CampaignMetricsSchema, isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleRow } from '../../__fixtures__/metrics.js';
import { decodeFast, decodeMetricsRow } from './decode-row.js';
import { RowScanner } from './row-scanner.js';

const valid = sampleRow;

// Values that are valid for some fields and not others, plus classic hostile ones.
const anyValue = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, 1e308, Number.NaN, Number.POSITIVE_INFINITY, -5, 42),
  fc.constantFrom(
    '',
    'EMEA',
    'c-1',
    'de-DE',
    'marketo',
    'EUR',
    'eur',
    '2026-02-29',
    '2024-02-29',
    '2026-13-01',
    'x'.repeat(65),
    '__proto__',
    "'; DROP TABLE metrics; --",
    '<script>',
  ),
  fc.constantFrom(null, undefined, true, [], {}, { segment: 'vip' }, { Segment: 'vip' }, { segment: 5 }),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -10, max: 10_000 }),
  fc.double(),
);
const field = fc.constantFrom(...Object.keys(CampaignMetricsSchema.shape), 'clicks', 'opens', 'constructor');

/** Valid rows with random fields replaced, removed or added. */
const candidateRow = fc
  .tuple(
    fc.array(fc.tuple(field, anyValue), { maxLength: 4 }),
    fc.array(fc.constantFrom(...Object.keys(valid)), { maxLength: 3 }),
  )
  .map(([changes, removals]) => {
    const row: Record<string, unknown> = { ...valid };
    for (const key of removals) Reflect.deleteProperty(row, key);
    for (const [key, value] of changes) row[key] = value;
    return row;
  });

describe('decodeMetricsRow', () => {
  it('agrees with core CampaignMetricsSchema on accept/reject and on the parsed value (property)', () => {
    fc.assert(
      fc.property(fc.oneof(candidateRow, fc.anything()), (input) => {
        const ours = decodeMetricsRow(input);
        const zod = CampaignMetricsSchema.safeParse(input);
        expect(ours.ok).toBe(zod.success);
        if (ours.ok && zod.success) expect(ours.value).toEqual(zod.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('never accepts on the fast path what zod rejects, and returns what zod returns (property)', () => {
    fc.assert(
      fc.property(candidateRow, (input) => {
        const fast = decodeFast(input);
        if (fast === undefined) return;
        const zod = CampaignMetricsSchema.safeParse(input);
        expect(zod.success).toBe(true);
        expect(fast).toEqual(zod.success ? zod.data : undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with core CampaignMetricsSchema through the NDJSON byte scanner too: the same rows as JSON lines (property)', () => {
    const scanner = new RowScanner();
    fc.assert(
      fc.property(candidateRow, fc.boolean(), (input, spaced) => {
        const line = JSON.stringify(input, null, spaced ? 1 : undefined).replace(/\n/g, '');
        const bytes = new TextEncoder().encode(line);
        if (scanner.scan(bytes, new DataView(bytes.buffer), 0) !== bytes.length) return;
        const zod = CampaignMetricsSchema.safeParse(JSON.parse(line));
        expect(zod.success).toBe(true);
        expect(scanner.row()).toStrictEqual(zod.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for ordinary valid rows (minimal and full)', () => {
    expect(decodeFast(valid)).toEqual(CampaignMetricsSchema.parse(valid));
    expect(decodeFast({ campaignId: 'c1', sent: 5 })).toEqual(
      CampaignMetricsSchema.parse({ campaignId: 'c1', sent: 5 }),
    );
    expect(decodeFast({ ...valid, dimensions: { segment: 'vip' } })?.dimensions).toEqual({ segment: 'vip' });
    expect(decodeFast(JSON.parse(JSON.stringify(valid)))).toBeDefined();
  });

  it('fills the defaults zod fills and keeps -0 as zod does', () => {
    const row = decodeMetricsRow({ campaignId: 'c1', sent: 10, revenue: -0 });
    expect(row.ok && row.value).toMatchObject({ hardBounces: 0, uniqueClicks: 0, cost: 0 });
    expect(row.ok && Object.is(row.value.revenue, -0)).toBe(true);
  });

  it('names the bad field, with the value, in core’s words', () => {
    const bad = decodeMetricsRow({ ...valid, sent: -5 }, 'line 7');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('E_VALIDATION');
      expect(bad.error.path).toBe('line 7.sent');
      expect(bad.error.message).toContain('at least 0, got -5');
    }
    const unknown = decodeMetricsRow({ ...valid, clicks: 3 });
    expect(!unknown.ok && unknown.error.message).toContain('row.clicks: unknown key');
    const fraction = decodeMetricsRow({ ...valid, uniqueClicks: 1.5 });
    expect(!fraction.ok && fraction.error.message).toContain('whole number');
  });

  it('rejects hostile objects without throwing: prototype tricks, throwing getters, proxies', () => {
    const polluted = JSON.parse('{"campaignId":"c1","sent":1,"__proto__":{"admin":true}}') as unknown;
    expect(decodeMetricsRow(polluted).ok).toBe(false);
    const inherited = Object.assign(Object.create({ sent: 5 }) as object, { campaignId: 'c1' });
    expect(decodeMetricsRow(inherited).ok).toBe(CampaignMetricsSchema.safeParse(inherited).success);
    const throwing = {
      campaignId: 'c1',
      get sent(): number {
        throw new TypeError('boom');
      },
    };
    const result = decodeMetricsRow(throwing);
    expect(result.ok).toBe(false);
    expect(!result.ok && isHubspokeError(result.error, 'E_VALIDATION')).toBe(true);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(decodeMetricsRow(revoked.proxy).ok).toBe(false);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('keeps accepting the same values after the memo cache fills up', () => {
    for (let i = 0; i < 70_000; i++)
      if (decodeFast({ campaignId: `c${i}`, sent: i }) === undefined) throw new Error(`c${i} rejected`);
    expect(decodeFast({ campaignId: 'c-berlin-spring', sent: 1 })).toBeDefined();
    expect(decodeFast({ campaignId: '1-starts-with-digit', sent: 1 })).toBeUndefined();
  });
});

describe('decodeFast in place', () => {
  it('completes the object it was given, equal to what zod returns (property)', () => {
    fc.assert(
      fc.property(candidateRow, (input) => {
        const copy = { ...input };
        const fast = decodeFast(copy, true);
        if (fast === undefined) return;
        expect(fast).toBe(copy);
        expect(fast).toEqual(CampaignMetricsSchema.parse(input));
      }),
    );
  });

  it('leaves the caller’s object alone otherwise', () => {
    const input = { campaignId: 'c1', sent: 5 };
    decodeFast(input);
    expect(input).toEqual({ campaignId: 'c1', sent: 5 });
  });
});
