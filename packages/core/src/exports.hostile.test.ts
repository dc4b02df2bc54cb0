import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileExportFailures } from './testkit/hostile.js';
import * as entry from './index.js';

describe('every export of @hubspoke/core, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError, SyntaxError or ZodError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry);
    expect(covered.length).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
