import { describe, expect, it } from 'vitest';
import { paginate } from './paginate.js';

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('paginate', () => {
  it('follows offsets until the last page', async () => {
    const data = Array.from({ length: 7 }, (_, i) => i);
    const seen: number[] = [];
    const items = await collect(
      paginate(0, (offset: number) => {
        seen.push(offset);
        const items = data.slice(offset, offset + 3);
        return Promise.resolve({ items, next: offset + 3 < data.length ? offset + 3 : undefined });
      }),
    );
    expect(items).toEqual(data);
    expect(seen).toEqual([0, 3, 6]);
  });

  it('stops on an empty page even if the vendor keeps sending a cursor, and honours maxPages', async () => {
    expect(await collect(paginate('a', () => Promise.resolve({ items: [], next: 'again' })))).toEqual([]);
    expect(await collect(paginate('a', () => Promise.resolve({ items: [1], next: 'again' }), { maxPages: 3 }))).toEqual(
      [1, 1, 1],
    );
  });
});
