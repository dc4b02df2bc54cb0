import { describe, expect, it } from 'vitest';
import { memoize } from './memoize.js';

describe('memoize', () => {
  it('computes once per key, remembers undefined results, and empties itself at the limit', () => {
    const calls: string[] = [];
    const f = memoize((k) => {
      calls.push(k);
      return k === 'none' ? undefined : k.toUpperCase();
    }, 2);
    expect([f('a'), f('a'), f('none'), f('none')]).toEqual(['A', 'A', undefined, undefined]);
    expect(calls).toEqual(['a', 'none']);
    f('b'); // the cache was full: emptied, then holds b
    f('a');
    expect(calls).toEqual(['a', 'none', 'b', 'a']);
  });
});
