/** One page of results and how to ask for the next (`undefined` when there is none). */
export interface Page<T, C> {
  items: readonly T[];
  next: C | undefined;
}

/**
 * Walks a paginated API lazily: offsets, page numbers or cursors, whatever `fetchPage`
 * understands. Stops on an empty page too, so a vendor that keeps returning a cursor cannot loop forever.
 */
export async function* paginate<T, C>(
  first: C,
  fetchPage: (cursor: C) => Promise<Page<T, C>>,
  options: { maxPages?: number } = {},
): AsyncGenerator<T> {
  let cursor: C | undefined = first;
  for (let page = 0; cursor !== undefined && page < (options.maxPages ?? 10_000); page++) {
    const { items, next }: Page<T, C> = await fetchPage(cursor);
    yield* items;
    if (items.length === 0) return;
    cursor = next;
  }
}
