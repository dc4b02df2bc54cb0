import { HubspokeError, hybrid, type WorkflowEffect } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApprovals } from './approvals.js';
import { retryDelay as backoffDelay, dispatchEffects, type DispatchOptions, type EffectHandler } from './dispatch.js';
import { counter } from './__fixtures__/store-conformance.js';
import { directory, fullSubmit, people, standardWorkflow } from './__fixtures__/harness.js';
import type { EventStore } from './store/event-store.js';
import { MemoryEventStore } from './store/memory-store.js';

const T = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T.getTime() + ms);

/** A memory store holding one full submission's effects (notify bea+bo, a task each). */
async function storeWithEffects(submissions = 1) {
  const store = new MemoryEventStore();
  const approvals = createApprovals({
    store,
    workflows: [standardWorkflow],
    operatingModel: hybrid,
    directory,
    ids: counter('d'),
  });
  const effects: WorkflowEffect[] = [];
  for (let i = 0; i < submissions; i++)
    effects.push(...(await approvals.submit(people.lena, { ...fullSubmit, submissionId: `sub-${i}` })).effects);
  return { store, approvals, effects };
}

async function validationPath(promise: Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubspokeError);
  expect(error).toMatchObject({ code: 'E_VALIDATION' });
  return (error as HubspokeError).path;
}

describe('backoffDelay', () => {
  const policy = { backoffMs: 1000, maxBackoffMs: 60_000, jitter: 0 };

  it('doubles with each attempt up to the cap', () => {
    expect([1, 2, 3, 4, 6, 7, 50, 5000].map((n) => backoffDelay(n, policy))).toEqual([
      1000, 2000, 4000, 8000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('jitter takes off at most its share of the wait', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempts, jitter, random) => {
          const full = backoffDelay(attempts, policy);
          const delay = backoffDelay(attempts, { ...policy, jitter }, () => random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(full * (1 - jitter)));
          expect(delay).toBeLessThanOrEqual(full);
        },
      ),
    );
  });
});

describe('dispatchEffects', () => {
  it('delivers what a crashed caller never acted on: effects survive the process that appended them', async () => {
    const { store, effects } = await storeWithEffects(2);
    // The caller "crashed" after submit: it never looked at `result.effects`. A worker starts later.
    const seen: WorkflowEffect[] = [];
    const report = await dispatchEffects(store, (effect) => void seen.push(effect));
    expect(seen).toEqual(effects);
    expect(report).toEqual({
      dispatched: effects.length,
      retried: 0,
      dead: 0,
      leaseLost: 0,
      released: 0,
      batches: 1,
      aborted: false,
    });
    expect(await dispatchEffects(store, () => undefined)).toMatchObject({ dispatched: 0, batches: 0 });
  });

  it('retries a failing effect with exponential backoff, then moves it to dead after maxAttempts', async () => {
    const { store, effects } = await storeWithEffects();
    let now = T;
    const handler: EffectHandler = (effect) => {
      if (effect.type === 'createTask' && effect.assignee === 'bo')
        throw new HubspokeError('E_RATE_LIMITED', 'Asana asked us to slow down');
    };
    const options: DispatchOptions = { clock: () => now, backoffMs: 1000, jitter: 0, maxAttempts: 3 };
    expect(await dispatchEffects(store, handler, options)).toMatchObject({
      dispatched: effects.length - 1,
      retried: 1,
      dead: 0,
    });
    const [failing] = await store.listEffects({ status: 'pending' });
    expect(failing).toMatchObject({
      attempts: 1,
      nextAttemptAt: at(1000).toISOString(),
      lastError: 'E_RATE_LIMITED: Asana asked us to slow down',
    });

    now = at(999);
    expect(await dispatchEffects(store, handler, options)).toMatchObject({ retried: 0, batches: 0 });
    now = at(1000);
    expect(await dispatchEffects(store, handler, options)).toMatchObject({ retried: 1 });
    expect((await store.listEffects({ status: 'pending' }))[0]).toMatchObject({
      attempts: 2,
      nextAttemptAt: at(3000).toISOString(),
    });
    now = at(3000);
    expect(await dispatchEffects(store, handler, options)).toMatchObject({ retried: 0, dead: 1 });
    expect(await store.listEffects({ status: 'pending' })).toEqual([]);
    expect(await store.listEffects({ status: 'dead' })).toEqual([
      expect.objectContaining({ id: failing?.id, attempts: 3, deadAt: at(3000).toISOString() }),
    ]);
  });

  it('records what a handler threw, whatever it was', async () => {
    const { store } = await storeWithEffects();
    const thrown: unknown[] = [new TypeError('cannot read x'), 'a bare string', { weird: true }];
    await dispatchEffects(
      store,
      () => {
        throw thrown.shift();
      },
      { batchSize: 3 },
    );
    expect((await store.listEffects()).map((e) => e.lastError)).toEqual([
      'TypeError: cannot read x',
      'a bare string',
      '[object Object]',
    ]);
  });

  it('stops when the signal aborts: the running handler sees it, unhandled claims go back untried', async () => {
    const { store, effects } = await storeWithEffects();
    const controller = new AbortController();
    let handlerSignal: AbortSignal | undefined;
    const report = await dispatchEffects(
      store,
      (_effect, { entry, signal }) => {
        if (entry.index === 0 && entry.seq === 2) return;
        handlerSignal = signal;
        controller.abort();
        throw signal.reason;
      },
      { signal: controller.signal, batchSize: 10 },
    );
    expect(handlerSignal?.aborted).toBe(true);
    expect(report).toMatchObject({ dispatched: 1, released: effects.length - 1, retried: 0, aborted: true });
    const pending = await store.listEffects({ status: 'pending' });
    expect(pending.every((e) => e.attempts === 0 && e.leasedUntil === undefined && e.lastError === undefined)).toBe(
      true,
    );
    expect(await dispatchEffects(store, () => undefined, { signal: controller.signal })).toMatchObject({
      batches: 0,
      aborted: true,
    });
  });

  it('watches for new entries until aborted', async () => {
    const { store, approvals, effects } = await storeWithEffects();
    const controller = new AbortController();
    const seen: WorkflowEffect[] = [];
    const running = dispatchEffects(
      store,
      (effect) => {
        seen.push(effect);
        if (seen.length === effects.length * 2) controller.abort();
      },
      { watch: true, pollMs: 5, signal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = await approvals.submit(people.lena, { ...fullSubmit, submissionId: 'later' });
    const report = await running;
    expect(seen).toEqual([...effects, ...later.effects]);
    expect(report).toMatchObject({ dispatched: seen.length, aborted: true });
  });

  it('aborts a handler shortly before its lease runs out (a failed attempt) and gives back the rest of the batch untried', async () => {
    const { store } = await storeWithEffects();
    const slow: EffectHandler = (_effect, { signal }) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          reject(new Error('gave up at the lease'));
        });
      });
    const report = await dispatchEffects(store, slow, { batchSize: 2, leaseMs: 200, jitter: 0, backoffMs: 60_000 });
    expect(report).toMatchObject({ retried: 3, released: 2, dispatched: 0, batches: 3 });
    expect(
      (await store.listEffects()).every((e) => e.attempts === 1 && e.lastError === 'Error: gave up at the lease'),
    ).toBe(true);
  });

  it('reports a lease lost to another worker instead of acking over it', async () => {
    const { store, effects } = await storeWithEffects();
    let stolen: number | undefined;
    const report = await dispatchEffects(
      store,
      async () => {
        if (stolen !== undefined) return;
        // Meanwhile this worker's lease ran out and another worker took the batch.
        stolen = (await store.claimEffects({ limit: 100, now: at(1e12) })).length;
      },
      { clock: () => T, batchSize: 1 },
    );
    // Asserted out here: a throw inside the handler would also end in `leaseLost`.
    expect(stolen).toBe(effects.length);
    expect(report).toMatchObject({ leaseLost: 1, dispatched: 0 });
  });

  it('takes any whole leaseMs (1234 used to make a fractional handler timeout and a raw RangeError after claiming)', async () => {
    const { store, effects } = await storeWithEffects();
    expect(await dispatchEffects(store, () => undefined, { leaseMs: 1234 })).toMatchObject({
      dispatched: effects.length,
      released: 0,
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 86_400_000 }), async (leaseMs) => {
        const fresh = await storeWithEffects();
        expect((await dispatchEffects(fresh.store, () => undefined, { leaseMs })).dispatched).toBe(
          fresh.effects.length,
        );
        expect(await fresh.store.listEffects({ status: 'pending' })).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('a failure after claiming rejects with a HubspokeError and gives back what the handler never saw', async () => {
    const { store, effects } = await storeWithEffects();
    const buggy: EventStore = Object.assign(Object.create(store) as EventStore, {
      ackEffect: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      },
    });
    const error: unknown = await dispatchEffects(buggy, () => undefined, { batchSize: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubspokeError);
    expect(error).toMatchObject({ code: 'E_INTERNAL', cause: expect.any(TypeError) as unknown });
    const [inFlight, ...untried] = await store.listEffects();
    // The handler ran on the first entry: it keeps its attempt and lease, and the next worker takes it when the lease ends.
    expect(inFlight).toMatchObject({ attempts: 1, leasedUntil: expect.any(String) as unknown });
    expect(untried).toHaveLength(effects.length - 1);
    expect(untried.every((e) => e.attempts === 0 && e.leasedUntil === undefined)).toBe(true);
    expect(await dispatchEffects(store, () => undefined)).toMatchObject({ dispatched: effects.length - 1 });
  });

  it('a clock that stops giving valid times is E_VALIDATION at options.clock, and the rest of the batch goes back', async () => {
    const { store, effects } = await storeWithEffects();
    let calls = 0;
    const clock = () => (++calls === 1 ? T : new Date(Number.NaN));
    expect(await validationPath(dispatchEffects(store, () => undefined, { clock, batchSize: 10 }))).toBe(
      'options.clock',
    );
    const untried = (await store.listEffects()).slice(1);
    expect(untried).toHaveLength(effects.length - 1);
    expect(untried.every((e) => e.attempts === 0 && e.leasedUntil === undefined)).toBe(true);
  });

  it('refuses bad arguments with E_VALIDATION and the path', async () => {
    const { store } = await storeWithEffects();
    const ok = () => undefined;
    expect(await validationPath(dispatchEffects(null as never, ok))).toBe('store');
    expect(await validationPath(dispatchEffects({} as never, ok))).toBe('store');
    expect(await validationPath(dispatchEffects(store, 'send it' as never))).toBe('handler');
    expect(await validationPath(dispatchEffects(store, ok, { batchSize: 0 }))).toBe('options.batchSize');
    expect(await validationPath(dispatchEffects(store, ok, { signal: 'stop' as never }))).toBe('options.signal');
    expect(await validationPath(dispatchEffects(store, ok, { clock: 5 as never }))).toBe('options.clock');
    expect(await validationPath(dispatchEffects(store, ok, { jitter: 2 }))).toBe('options.jitter');
    expect(await validationPath(dispatchEffects(store, ok, { maxAttempts: Number.POSITIVE_INFINITY }))).toBe(
      'options.maxAttempts',
    );
    expect(await validationPath(dispatchEffects(store, ok, { evil: "'; DROP TABLE x; --" } as never))).toBe(
      'options.evil',
    );
    expect(await store.listEffects({ status: 'pending' })).toHaveLength(3);
  });
});
