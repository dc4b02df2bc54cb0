import fc from 'fast-check';
import { hostileExportFailures, slowHostileRefusals } from '@hubspoke/core/testkit';
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
    for (const module of Object.values(entries)) slow.push(...(await slowHostileRefusals(module)));
    expect(slow).toEqual([]);
  });
});
