import { createHash } from 'node:crypto';

/**
 * Results a hub computes again and again for the same input (renders and checks of one saved draft
 * version, which a server is asked for by every open editor and reviewer): kept by a hash of the
 * input, at most `max` in all (default 512), least recently used out first. Each saved version adds
 * about three (its validation, check and render): with 128, fifty editors saving every 2 s pushed
 * out the validation of the version each one edited before their next save needed it. Keys carry the hub's
 * definition generation, which {@link ResultCache.clear} (on `hub.invalidate()`) moves on, so a new
 * template, brand kit or setting is never answered from an old result. A failed computation is
 * not remembered.
 */
export class ResultCache {
  #generation = 0;
  readonly #max: number;
  readonly #entries = new Map<string, Promise<unknown>>();

  constructor(max = 512) {
    this.#max = max;
  }

  /** How many results are kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every result (the hub's definition changed). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** A key for `parts` (JSON-serialisable values) under the current definition; undefined when they cannot be serialised. */
  key(kind: string, ...parts: unknown[]): string | undefined {
    let text: string;
    try {
      text = JSON.stringify(parts);
    } catch {
      return undefined;
    }
    return `${kind}:${String(this.#generation)}:${createHash('sha256').update(text).digest('base64url')}`;
  }

  /** The result kept under `key`, or `compute()`'s (kept once it succeeds). Without a key, just `compute()`. */
  get<T>(key: string | undefined, compute: () => Promise<T>): Promise<T> {
    if (key === undefined) return compute();
    const found = this.#entries.get(key) as Promise<T> | undefined;
    if (found !== undefined) {
      // Most recently used last.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const value = compute();
    this.#entries.set(key, value);
    value.catch(() => {
      if (this.#entries.get(key) === value) this.#entries.delete(key);
    });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return value;
  }
}
