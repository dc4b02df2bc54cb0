import fc from 'fast-check';
import { isHubspokeError } from '@hubspoke/core';
import { deepArray, deepObject, hostileExportFailures, methodsOf, slowHostileRefusals } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import * as entry from './index.js';
import { kit, template } from './__fixtures__/email.js';

describe('every export of @hubspoke/brand-rules, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError or SyntaxError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry, { numRuns: 10 });
    expect(covered.length).toBeGreaterThan(25);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the methods of a Linter return a value or throw a HubspokeError (lint(null) was a raw TypeError)', async () => {
    const linter = entry.createLinter({ brandKit: kit, template });
    const { covered, failures } = await hostileExportFailures(fc, methodsOf('Linter', linter), { numRuns: 10 });
    expect(covered).toEqual(['Linter.lint', 'Linter.lintValidated']);
    expect(failures).toEqual([]);
    expect(() => linter.lint(null as never)).toThrow(expect.objectContaining({ code: 'E_VALIDATION', path: 'input' }));
    expect(() => linter.lint({ now: 10n as never })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'now' }),
    );
  });

  it('createBaseline and format refuse cyclic, deep and BigInt diagnostics with E_VALIDATION (a raw TypeError before)', () => {
    const cyclic: Record<string, unknown> = { ruleId: 'brand/x', location: {} };
    cyclic.self = cyclic;
    const result = (value: unknown) => ({
      draft: 'd',
      diagnostics: [{ ruleId: 'brand/x', location: {}, extra: value }],
    });
    const cyclicArray: unknown[] = [];
    cyclicArray.push(cyclicArray);
    for (const value of [cyclicArray, deepArray(), deepObject(), 10n])
      expect(() => entry.createBaseline([value] as never)).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
    for (const value of [cyclic, cyclicArray, deepArray(), deepObject(), 10n]) {
      for (const name of entry.FORMATS) {
        let error: unknown;
        try {
          entry.format(name, result(value) as never);
        } catch (e) {
          error = e;
        }
        expect(error === undefined || isHubspokeError(error), `${name}: ${String(error)}`).toBe(true);
      }
    }
    expect(entry.createBaseline([cyclic] as never).entries).toEqual({ '(document)': { 'brand/x': 1 } });
  });

  it('refuses a 10 MB string or a 10,000-level value in any argument at once', async () => {
    expect(await slowHostileRefusals(entry)).toEqual([]);
  });
});
