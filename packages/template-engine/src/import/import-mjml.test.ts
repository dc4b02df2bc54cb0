import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryEmail } from '../__fixtures__/mjml-arbitrary.js';
import { compareImport } from './compare.js';
import { importMjml } from './import-mjml.js';

describe('importMjml', () => {
  it('imports any generated email, and its default draft renders what mjml renders (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryEmail(), async (email) => {
        const result = importMjml(email.source);
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(result.ok).toBe(true);
        if (!result.template) return;
        const comparison = await compareImport(email.source, result.template);
        expect(comparison.firstDifference).toBeUndefined();
        expect(comparison.identical).toBe(true);
        expect(comparison.sameText).toBe(true);
      }),
      { numRuns: Number(process.env.HUBSPOKE_PARITY_RUNS ?? 40) },
    );
  }, 300_000);
});
