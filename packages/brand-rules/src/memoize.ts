/**
 * Memoizes a function of one string in a Map that is emptied when it reaches `max` entries:
 * email HTML repeats the same styles, colours and links hundreds of times.
 */
export function memoize<T>(fn: (key: string) => T, max = 5000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key: string): T => {
    if (cache.has(key)) return cache.get(key) as T;
    if (cache.size >= max) cache.clear();
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}
