import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  callableExports,
  deterministicArgLists,
  hostileExportFailures,
  methodsOf,
  probedPositions,
  slowHostileRefusals,
} from './testkit/hostile.js';
import * as entry from './index.js';
import { HubspokeError } from './errors/hubspoke-error.js';

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

describe('hostileExportFailures reaches what fn.length does not count', () => {
  it('probes one position past the declared parameters, after undefined and after {}', () => {
    expect(probedPositions((_a: unknown, _b = {}) => 0)).toBe(2);
    expect(probedPositions(() => 0)).toBe(2);
    expect(probedPositions((_a: unknown, _b: unknown, _c: unknown) => 0)).toBe(4);
    expect(probedPositions((..._rest: unknown[]) => 0)).toBe(2);
    expect(probedPositions((_a: unknown, _b: unknown, _c: unknown, _d: unknown, _e: unknown, _f: unknown) => 0)).toBe(
      5,
    );
    const beyond = deterministicArgLists(2, 1).map(({ labels }) => labels.join());
    expect(beyond).toContain('{},null');
    expect(beyond).not.toContain('undefined,null');
    expect(deterministicArgLists(2, 2).map(({ labels }) => labels.join())).toContain('undefined,null');
  });

  it('finds a raw error behind a defaulted parameter, a static method and an instance method without random runs', async () => {
    class Store {
      static open(_sql: unknown, options: { prefix?: string } = {}): string {
        return options.prefix ?? 'x';
      }
      get(key: string): string {
        return key.toUpperCase();
      }
    }
    const module = {
      Store,
      createThing: (sql: unknown, options: { prefix?: string } = {}) => {
        if (typeof sql !== 'object' || sql === null) throw new HubspokeError('E_VALIDATION', 'sql', { path: 'sql' });
        return options.prefix;
      },
    };
    expect(callableExports(module).map((e) => e.name)).toEqual(['Store', 'Store.open', 'createThing']);
    const methods = methodsOf('store', new Store());
    expect(Object.keys(methods)).toEqual(['store.get']);
    const { failures } = await hostileExportFailures(fc, { ...module, ...methods }, { numRuns: 1 });
    const names = new Set(failures.map((f) => f.name));
    expect([...names].sort()).toEqual(['Store.open', 'createThing', 'store.get']);
    expect(failures.find((f) => f.name === 'createThing')?.args).toBe('({}, null)');
  });
});
