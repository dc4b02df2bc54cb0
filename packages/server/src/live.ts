import { CHANGES_CHANNEL, type Change, type Hub } from '@hubspoke/hub';
import type { Logger } from './log.js';

type Listener = (change: Change) => void;

/**
 * The hub's change feed, live: each committed write notifies `hubspoke_changes` with its change
 * id (PostgreSQL LISTEN on a dedicated connection, in-process on PGlite), so every instance hears
 * every write. A lost connection is re-opened with backoff and the gap backfilled from the feed.
 */
export class LiveFeed {
  readonly #hub: Hub;
  readonly #log: Logger;
  readonly #listeners = new Set<{ filter: (c: Change) => boolean; listener: Listener }>();
  readonly #seen = new Set<string>();
  #stop: (() => Promise<void>) | undefined;
  #last = '0';
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(hub: Hub, log: Logger) {
    this.#hub = hub;
    this.#log = log;
  }

  async start(): Promise<void> {
    const { store, database } = await this.#hub.state();
    // Start after what exists: a new instance does not replay history to nobody.
    for (
      let page = await store.changesSince(this.#last, 10_000);
      page.length > 0;
      page = await store.changesSince(this.#last, 10_000)
    ) {
      this.#last = page.at(-1)?.id ?? this.#last;
    }
    this.#stop = await database.listen(
      CHANGES_CHANNEL,
      (payload) => void this.#notified(payload),
      (error) => {
        this.#lost(error);
      },
    );
  }

  async #notified(id: string): Promise<void> {
    try {
      const { store } = await this.#hub.state();
      const change = await store.change(id);
      if (change !== undefined) this.#dispatch(change);
    } catch (error) {
      this.#log({ level: 'warn', msg: 'could not read a notified change', changeId: id, error: String(error) });
    }
  }

  #dispatch(change: Change): void {
    if (this.#seen.has(change.id)) return;
    this.#seen.add(change.id);
    if (this.#seen.size > 10_000) for (const old of [...this.#seen].slice(0, 5_000)) this.#seen.delete(old);
    if (BigInt(change.id) > BigInt(this.#last)) this.#last = change.id;
    // Another instance changed the definition: read it again on next use.
    if (change.kind === 'template' || change.kind === 'brandKit' || change.kind === 'document') this.#hub.invalidate();
    for (const { filter, listener } of this.#listeners) if (filter(change)) listener(change);
  }

  #lost(error: unknown, attempt = 0): void {
    if (this.#closed) return;
    this.#log({ level: 'warn', msg: 'change feed connection lost; reconnecting', error: String(error), attempt });
    const old = this.#stop;
    this.#stop = undefined;
    void old?.().catch(() => undefined);
    this.#retry = setTimeout(
      () => {
        void (async () => {
          try {
            const { store, database } = await this.#hub.state();
            this.#stop = await database.listen(
              CHANGES_CHANNEL,
              (payload) => void this.#notified(payload),
              (e) => {
                this.#lost(e);
              },
            );
            for (const change of await store.changesSince(this.#last, 10_000)) this.#dispatch(change);
          } catch (e) {
            this.#lost(e, attempt + 1);
          }
        })();
      },
      Math.min(30_000, 250 * 2 ** attempt),
    );
  }

  /** Calls `listener` for each change that passes `filter`; returns the unsubscribe function. */
  subscribe(filter: (c: Change) => boolean, listener: Listener): () => void {
    const entry = { filter, listener };
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  /** Changes after `id` that pass `filter` (SSE `Last-Event-ID` backfill), at most `limit`. */
  async since(id: string, filter: (c: Change) => boolean, limit = 1000): Promise<Change[]> {
    const { store } = await this.#hub.state();
    const out: Change[] = [];
    let after = id;
    for (;;) {
      const page = await store.changesSince(after, 500);
      out.push(...page.filter(filter));
      if (page.length < 500 || out.length >= limit) return out.slice(0, limit);
      after = page.at(-1)?.id ?? after;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listeners.clear();
    await this.#stop?.().catch(() => undefined);
  }
}
