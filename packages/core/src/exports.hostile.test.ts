import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileExportFailures, slowHostileRefusals } from './testkit/hostile.js';
import * as entry from './index.js';

describe('every export of @hubspoke/core, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError, SyntaxError or ZodError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry);
    expect(covered.length).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    const proportional = 'its job is to read all of its input (serialize or hash it)';
    expect(
      await slowHostileRefusals(entry, { skip: { canonicalJson: proportional, sha256Hex: proportional } }),
    ).toEqual([]);
  });
});

describe('slowHostileRefusals', () => {
  it('names the export and position that walks a huge input, and passes one that refuses it at once', async () => {
    const module = {
      fast: (value: unknown) => {
        if (typeof value !== 'number') throw new Error('not a number');
        return value;
      },
      walks: (_first: unknown, value: unknown) => {
        // Proportional to the input: 10 MB of characters or 10,000 levels, several passes each.
        let n = 0;
        for (let pass = 0; pass < 40; pass++) {
          if (typeof value === 'string') for (let i = 0; i < value.length; i++) n += value.charCodeAt(i) & 1;
          for (let v = value; typeof v === 'object' && v !== null; v = (v as { value?: unknown }).value) n++;
        }
        return n;
      },
    };
    const slow = await slowHostileRefusals(module);
    expect(slow.some((line) => line.startsWith('walks #1 10 MB string'))).toBe(true);
    expect(slow.filter((line) => line.startsWith('fast'))).toEqual([]);
  });
});
