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

  it('DraftSession.open checks its source before calling it (a static method the suite did not reach was raw)', async () => {
    for (const source of [null, undefined, {}, { draft: () => Promise.resolve({}) }])
      await expect(entry.DraftSession.open(source as never, 'd1')).rejects.toMatchObject({ code: 'E_VALIDATION' });
    const calls = {
      draft: () => Promise.resolve(null),
      hub: () => Promise.resolve({}),
      viewer: () => Promise.resolve({}),
    };
    const source = { ...calls, template: () => Promise.resolve({}), submission: () => Promise.resolve({}) };
    await expect(entry.DraftSession.open(source as never, 'd1')).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'record',
    });
    await expect(entry.DraftSession.open(source as never, 42 as never)).rejects.toMatchObject({ path: 'draftId' });
  });

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    const slow: string[] = [];
    for (const module of Object.values(entries)) slow.push(...(await slowHostileRefusals(module)));
    expect(slow).toEqual([]);
  });
});
