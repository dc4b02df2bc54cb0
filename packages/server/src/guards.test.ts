import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonHasNul } from './guards.js';

/** Whether a parsed JSON value holds U+0000 in any string or key. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  return false;
}

describe('jsonHasNul', () => {
  it('finds U+0000 exactly when a string or key of the JSON holds it (never a literal backslash-u0000)', () => {
    const tricky = fc.constantFrom('\u0000', '\\u0000', '\\\\u0000', 'a\\', '\\', 'u0000', '"', '\u0001');
    const text = fc.array(fc.oneof(fc.string(), tricky), { maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), text, fc.boolean(), (base, s, asKey) => {
        const value = asKey ? { [s]: base } : [base, s];
        const json = JSON.stringify(value);
        expect(jsonHasNul(json)).toBe(containsNul(value));
      }),
      { numRuns: 2000 },
    );
  });
});
