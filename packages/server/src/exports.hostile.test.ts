import fc from 'fast-check';
import {
  deepArray,
  deepObject,
  fastestMs,
  hostileExportFailures,
  hugeString,
  slowHostileRefusals,
} from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import * as entry from './index.js';

describe('every export of @hubspoke/server, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry, { numRuns: 10 });
    expect(covered.length).toBeGreaterThan(10);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('HttpError takes null or odd options (a fourth argument the suite did not reach was a raw TypeError)', () => {
    for (const options of [null, undefined, 42, { headers: null }, { headers: 'x' }]) {
      const error = new entry.HttpError(409, 'E_CONFLICT', 'taken', options as never);
      expect(error).toMatchObject({ status: 409, code: 'E_CONFLICT', headers: {} });
    }
    expect(
      new entry.HttpError(429, 'E_RATE_LIMITED', 'slow down', { headers: { 'retry-after': '1' } }).headers,
    ).toEqual({
      'retry-after': '1',
    });
  });

  it('createServerApp, listen and principalFromClaims refuse wrong shapes with E_VALIDATION (raw TypeErrors before)', async () => {
    for (const options of [undefined, null, {}, { hub: {} }, 'x'])
      await expect(entry.createServerApp(options as never)).rejects.toMatchObject({ code: 'E_VALIDATION' });
    for (const server of [undefined, {}, { app: {}, context: {} }])
      await expect(entry.listen(server as never)).rejects.toMatchObject({ code: 'E_VALIDATION' });
    for (const [claims, config] of [
      [undefined, undefined],
      [{ iss: 'https://idp', sub: 'x' }, {}],
      [{ iss: 'https://idp', sub: 'x' }, { claims: 'sub' }],
    ])
      expect(() => entry.principalFromClaims(claims as never, config as never)).toThrow(
        expect.objectContaining({ code: 'E_VALIDATION' }),
      );
  });

  it('redact is bounded: a 10 MB string or 10,000 levels cost what a small value does, and no secret survives', async () => {
    const token = `hsp_${'A1b2C3d4E5'.repeat(4)}`;
    const huge = `${hugeString()} Bearer ${token}`;
    const wide = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`f${String(i)}`, huge]));
    for (const value of [huge, wide, { nested: huge }, [huge], deepObject(), deepArray()]) {
      expect(await fastestMs(() => entry.redact(value))).toBeLessThan(100);
      expect(JSON.stringify(entry.redact(value))).not.toContain(token.slice(4, 12));
    }
    expect(entry.redact(`Bearer ${token}`)).toBe('[redacted]');
  });

  it('problemResponse answers an error with BigInt or cyclic details (a raw TypeError before)', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const details of [{ n: 10n }, { cyclic }]) {
      const res = entry.problemResponse(new entry.HttpError(400, 'E_VALIDATION', 'bad', { details }));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('E_VALIDATION');
    }
  });

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    expect(await slowHostileRefusals(entry)).toEqual([]);
  });
});
