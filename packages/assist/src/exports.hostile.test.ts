import fc from 'fast-check';
import { isHubspokeError } from '@hubspoke/core';
import {
  callableExports,
  hostileExportFailures,
  hostileValues,
  hugeString,
  probeExport,
  slowHostileRefusals,
} from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import * as entry from './index.js';

// HOSTILE_RUNS=300 sweeps harder locally; the committed default stays modest.
const numRuns = Number(process.env.HOSTILE_RUNS ?? 10);

describe('every export of @hubspoke/assist, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry, { numRuns });
    expect(covered.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a plain bad argument is a validation error, never E_INTERNAL', async () => {
    const internal: string[] = [];
    for (const { name, value: fn } of callableExports(entry)) {
      for (let position = 0; position < Math.max(fn.length, 1); position++) {
        for (const hostile of hostileValues()) {
          const args: unknown[] = Array.from({ length: position + 1 }, () => undefined);
          args[position] = hostile.value;
          const outcome = await probeExport(fn, args);
          if (outcome.kind === 'hubspoke' && outcome.code === 'E_INTERNAL')
            internal.push(`${name} #${position} ${hostile.label}`);
        }
      }
    }
    expect(internal).toEqual([]);
  });

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    expect(await slowHostileRefusals(entry)).toEqual([]);
  });

  it('the translation memory refuses hostile entries and queries with HubspokeErrors', async () => {
    const tm = entry.createTranslationMemory();
    const methods = {
      add: (...a: unknown[]) => tm.add(...(a as [never])),
      lookup: (...a: unknown[]) => tm.lookup(...(a as [never])),
      addSync: (...a: unknown[]) => tm.addSync(...(a as [never])),
      lookupSync: (...a: unknown[]) => tm.lookupSync(...(a as [never])),
    };
    const { failures } = await hostileExportFailures(fc, methods, { numRuns });
    expect(failures).toEqual([]);
    let error: unknown;
    try {
      tm.addSync(hugeString() as never);
    } catch (e) {
      error = e;
    }
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect(await tm.count()).toBe(0);
  });
});
