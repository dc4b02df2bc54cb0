import fc from 'fast-check';
import {
  callableExports,
  deepObject,
  fastestMs,
  hostileExportFailures,
  hugeString,
  probeExport,
} from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import * as assets from './assets.js';
import * as entry from './index.js';
import * as darkMode from './ui/dark-mode.js';

// Every entry point in package.json's exports.
const entries: Record<string, Record<string, unknown>> = { '.': entry, './assets': assets, './dark-mode': darkMode };

describe('every export of @hubspoke/editor, with hostile input', () => {
  for (const [path, module] of Object.entries(entries)) {
    it(`${path}: returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)`, async () => {
      const { failures } = await hostileExportFailures(fc, module, { numRuns: 10 });
      expect(failures).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    const slow: string[] = [];
    for (const module of Object.values(entries))
      for (const { name, value: fn } of callableExports(module)) {
        for (let position = 0; position < Math.max(fn.length, 1); position++) {
          for (const [label, value] of [
            ['10 MB string', hugeString()],
            ['10,000 levels', deepObject()],
          ] as const) {
            const args: unknown[] = Array.from({ length: position + 1 }, () => undefined);
            args[position] = value;
            const ms = await fastestMs(() => probeExport(fn, args));
            if (ms < 100) continue;
            // A busy machine slows every call alike: the bound then scales with a small call of the same export.
            const small: unknown[] = [...args];
            small[position] = label === '10 MB string' ? 'x' : {};
            const baseline = await fastestMs(() => probeExport(fn, small));
            if (ms >= 100 + 50 * baseline) slow.push(`${name} #${position} ${label}: ${ms.toFixed(0)} ms`);
          }
        }
      }
    expect(slow).toEqual([]);
  });
});
