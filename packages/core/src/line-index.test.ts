import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from './line-index.js';

describe('LineIndex', () => {
  it('gives 1-based lines and columns', () => {
    const index = new LineIndex('ab\ncd\n\nef');
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
    expect(index.position(4)).toEqual({ line: 2, column: 2 });
    expect(index.position(6)).toEqual({ line: 3, column: 1 });
    expect(index.position(7)).toEqual({ line: 4, column: 1 });
    expect(index.offsetOfLine(9)).toBe(9);
  });

  it('round-trips every offset, agreeing with a naive count', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\n') }), fc.nat(), (text, n) => {
        const offset = text.length === 0 ? 0 : n % text.length;
        const index = new LineIndex(text);
        const { line, column } = index.position(offset);
        const before = text.slice(0, offset).split('\n');
        expect(line).toBe(before.length);
        expect(column).toBe((before.at(-1)?.length ?? 0) + 1);
        expect(index.offsetOf(line, column)).toBe(offset);
      }),
    );
  });
});
