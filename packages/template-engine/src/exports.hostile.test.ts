import fc from 'fast-check';
import { hostileExportFailures } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import * as fill from './fill.js';
import * as entry from './index.js';

describe('every export of @hubspoke/template-engine, with hostile input', () => {
  for (const [path, module] of Object.entries({ '.': entry, './fill': fill })) {
    it(`${path}: returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)`, async () => {
      const { failures } = await hostileExportFailures(fc, module, { numRuns: 10 });
      expect(failures).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
