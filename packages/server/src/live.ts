import { CHANGES_CHANNEL, parseChangeNotice, type Change, type ChangeKind, type Hub } from '@hubspoke/hub';
import type { Logger } from './log.js';

type Listener = (change: Change) => void;

/**
 * What a subscriber may want, judged from a notification alone: a change can pass its filter only
 * if it matches one of these (same kind, and the same key when both name one). A subscriber without
 * interests is asked about every change.
 */
export interface Interest {
  kind: ChangeKind;
  key?: string;
}

/** Definition changes: another instance changed what the hub caches, so it reads it again. */
const DEFINITION_KINDS: ReadonlySet<ChangeKind> = new Set<ChangeKind>(['template', 'brandKit', 'document']);

/**
 * The hub's change feed, live: each committed write notifies `hubspoke_changes` with its change
 * id, kind and key (PostgreSQL LISTEN on a dedicated connection, in-process on PGlite), so every
 * instance hears every write. A change is read from the database only when a subscriber may want
 * it; a definition change invalidates the hub's caches from the notice alone. A lost connection is
 * re-opened with backoff and the gap backfilled from the feed.
 */
export class LiveFeed {
  readonly #hub: Hub;
  readonly #log: Logger;
  readonly #listeners = new Set<{
    filter: (c: Change) => boolean;
    listener: Listener;
    interests?: readonly Interest[];
  }>();
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

  async #notified(payload: string): Promise<void> {
    const notice = parseChangeNotice(payload);
    if (notice === undefined) {
      this.#log({ level: 'warn', msg: 'ignored a malformed change notice', payload: payload.slice(0, 100) });
      return;
    }
    const { id, kind } = notice;
    if (this.#seen.has(id)) return;
    if (kind !== undefined) {
      // Decided from the notice, before any await: notices are handled in the order they come.
      this.#note(id, kind);
      if (!this.#wanted(kind, notice.key)) return;
    }
    try {
      const { store } = await this.#hub.state();
      const change = await store.change(id);
      if (change === undefined) return;
      if (kind === undefined) this.#dispatch(change);
      else this.#deliver(change);
    } catch (error) {
      this.#log({ level: 'warn', msg: 'could not read a notified change', changeId: id, error: String(error) });
    }
  }

  /** Whether any subscriber may want a change of this kind and key (undefined: not carried). */
  #wanted(kind: ChangeKind, key: string | undefined): boolean {
    for (const { interests } of this.#listeners)
      if (
        interests === undefined ||
        interests.some((i) => i.kind === kind && (i.key === undefined || key === undefined || i.key === key))
      )
        return true;
    return false;
  }

  /** Records a change as heard (once): the backfill position, and the hub's caches on a definition change. */
  #note(id: string, kind: ChangeKind): void {
    this.#seen.add(id);
    if (this.#seen.size > 10_000) for (const old of [...this.#seen].slice(0, 5_000)) this.#seen.delete(old);
    if (BigInt(id) > BigInt(this.#last)) this.#last = id;
    // Another instance changed the definition: read it again on next use.
    if (DEFINITION_KINDS.has(kind)) this.#hub.invalidate();
  }

  #dispatch(change: Change): void {
    if (this.#seen.has(change.id)) return;
    this.#note(change.id, change.kind);
    this.#deliver(change);
  }

  #deliver(change: Change): void {
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

  /**
   * Calls `listener` for each change that passes `filter`; returns the unsubscribe function.
   * `interests` (every change `filter` can pass matches one) spare reading the changes nobody wants.
   */
  subscribe(filter: (c: Change) => boolean, listener: Listener, interests?: readonly Interest[]): () => void {
    const entry = { filter, listener, ...(interests === undefined ? {} : { interests }) };
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
