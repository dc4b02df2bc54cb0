import fc from 'fast-check';
import { isHubspokeError } from '@hubspoke/core';
import { deepObject, elapsedMs, fastestMs, hostileExportFailures, hugeString } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import * as entry from './index.js';

describe('every export of @hubspoke/okr-metrics, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry);
    expect(covered.length).toBeGreaterThan(25);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('buildOkrReport and OkrMetricsBinder refuse a 10 MB string or 10,000 levels for their options at once', async () => {
    const calls: ((value: unknown) => unknown)[] = [
      (v) => entry.buildOkrReport({}, v as never),
      (v) => new entry.OkrMetricsBinder({}, v as never),
      (v) => entry.buildOkrReport(v),
      (v) => new entry.OkrMetricsBinder(v),
    ];
    for (const call of calls) {
      const baseline = await elapsedMs(() => call('x'));
      for (const value of [hugeString(), deepObject()]) {
        // The old binder spread a string option into one key per character.
        expect(await fastestMs(() => call(value))).toBeLessThan(100 + 50 * baseline);
        let error: unknown;
        try {
          call(value);
        } catch (e) {
          error = e;
        }
        expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
        expect((error as Error).message.length).toBeLessThan(4_200);
      }
    }
  });
});
