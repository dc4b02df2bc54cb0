import fc from 'fast-check';
import { hostileExportFailures, hugeString, slowHostileRefusals } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import * as entry from './index.js';

describe('every export of @hubspoke/cli, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry, { numRuns: 10 });
    expect(covered).toContain('run');
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('run refuses arguments it cannot run with E_VALIDATION, before running anything', async () => {
    const out = { write: () => true };
    const options = { cwd: '.', env: {}, stdout: out, stderr: out };
    for (const [argv, given] of [
      [undefined, options],
      [['--version'], undefined],
      [[1], options],
      [['--version'], { ...options, stdout: {} }],
      [['--version'], { ...options, database: { sql: {} } }],
      [[hugeString()], options],
    ] as const)
      await expect(entry.run(argv as never, given as never)).rejects.toMatchObject({ code: 'E_VALIDATION' });
    expect(await entry.run(['--version'], options)).toBe(entry.EXIT.ok);
  });

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    expect(await slowHostileRefusals(entry)).toEqual([]);
  });
});
