import { checkArgs, guardMethods } from '@hubspoke/core';
export interface ThrottleLimits {
  /** At most this many calls in any rolling `windowMs`. */
  callsPerWindow?: number | undefined;
  windowMs?: number | undefined;
  /** At most this many calls in flight. */
  concurrency?: number | undefined;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * A FIFO gate enforcing a rolling call window and a concurrency cap, client side, so the
 * vendor never has to say "slow down".
 *
 * A call occupies its window slot from when it starts until `windowMs` after it *ends*:
 * the server counts arrivals, which happen somewhere between the two, so counting from the
 * end is the earliest moment a new call is certain to land outside the server's window.
 */
export class Throttle {
  readonly #calls: number;
  readonly #windowMs: number;
  readonly #concurrency: number;
  readonly #queue: Waiter[] = [];
  /** End times of finished calls still inside the window, ascending. */
  readonly #ended: number[] = [];
  #inFlight = 0;
  #pausedUntil = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly #now: () => number;

  constructor(limits: ThrottleLimits = {}, now: () => number = Date.now) {
    checkArgs('Throttle', ['limits:object', 'now:function'], [limits, now]);
    this.#now = now;
    this.#calls = limits.callsPerWindow ?? Number.POSITIVE_INFINITY;
    this.#windowMs = limits.windowMs ?? 1000;
    this.#concurrency = limits.concurrency ?? Number.POSITIVE_INFINITY;
  }

  /** Resolves with a `release` function once a call may start. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(abortReason(signal));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** Holds every new call until `until` (epoch ms), e.g. when the vendor reports its quota spent. */
  pauseUntil(until: number): void {
    if (until > this.#pausedUntil) {
      this.#pausedUntil = until;
      this.#pump();
    }
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  #pump(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#queue.length > 0) {
      if (this.#inFlight >= this.#concurrency) return; // a release pumps again
      const now = this.#now();
      while (this.#ended.length > 0 && (this.#ended[0] ?? 0) + this.#windowMs <= now) this.#ended.shift();
      let waitMs = this.#pausedUntil - now;
      if (waitMs <= 0 && this.#inFlight + this.#ended.length >= this.#calls) {
        const oldest = this.#ended[0];
        if (oldest === undefined) return; // every slot is in flight: a release pumps again
        waitMs = oldest + this.#windowMs - now;
      }
      if (waitMs > 0) {
        this.#timer = setTimeout(() => {
          this.#pump();
        }, waitMs);
        return;
      }
      const waiter = this.#queue.shift();
      if (waiter === undefined) return;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#inFlight++;
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.#inFlight--;
        if (Number.isFinite(this.#calls)) this.#ended.push(this.#now());
        this.#pump();
      });
    }
  }
}

const abortReason = (signal: AbortSignal | undefined): Error =>
  signal?.reason instanceof Error ? signal.reason : new Error('aborted');

/** Runs tasks with the same key one at a time (e.g. monday.com: one mutation per board). */
export class KeyedSerializer {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

// Exported for connector authors: a wrong argument from JavaScript is a HubspokeError, never a raw TypeError.
guardMethods(
  'Throttle',
  Throttle.prototype,
  { acquire: ['signal:object?'], pauseUntil: ['until:number'] },
  { sync: ['pauseUntil'] },
);
guardMethods('KeyedSerializer', KeyedSerializer.prototype, { run: ['key:string', 'task:function'] });
