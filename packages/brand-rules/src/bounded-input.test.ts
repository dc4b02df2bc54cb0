import { isHubspokeError } from '@hubspoke/core';
import { deepObject, hugeString } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { createLinter, flattenConfig, lint } from './index.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('brand-rules entry points with hostile input', () => {
  it('createLinter and lint refuse null, a 10 MB string and 10,000 levels with E_VALIDATION (null was a TypeError)', () => {
    for (const value of [null, undefined, hugeString(), 7]) {
      expect(
        isHubspokeError(
          thrown(() => createLinter(value as never)),
          'E_VALIDATION',
        ),
      ).toBe(true);
      expect(
        isHubspokeError(
          thrown(() => lint(value as never)),
          'E_VALIDATION',
        ),
      ).toBe(true);
    }
    const deep = thrown(() => createLinter({ brandKit: deepObject() }));
    expect(isHubspokeError(deep, 'E_VALIDATION')).toBe(true);
  });

  it('flattenConfig names a bad rule setting as E_VALIDATION (a raw ZodError escaped)', () => {
    const error = thrown(() => flattenConfig({ rules: { 'brand/palette': 'loud' } } as never, {}));
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect((error as Error).message).toMatch(/brand\/palette|rules/);
    expect(
      isHubspokeError(
        thrown(() => flattenConfig(null as never, {})),
        'E_VALIDATION',
      ),
    ).toBe(true);
  });
});
