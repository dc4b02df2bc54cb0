import type { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { hybrid, isHubspokeError } from '@hubspoke/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovals } from '../approvals.js';
import { dispatchEffects } from '../dispatch.js';
import { directory, fullSubmit, people, standardWorkflow } from '../__fixtures__/harness.js';
import type { EventStore } from './event-store.js';
import { MemoryEventStore } from './memory-store.js';
import { SqlEventStore } from './sql-store.js';
import { freshPGlite } from '../__fixtures__/lite.js';

// Started before the tests (seconds on a busy machine), once for the file.
let lite: PGlite;
beforeAll(async () => {
  lite = await freshPGlite();
});
afterAll(() => lite.close());

const stores: [string, () => Promise<EventStore>][] = [
  ['memory', () => Promise.resolve(new MemoryEventStore())],
  ['PGlite', () => SqlEventStore.open(lite, { tablePrefix: 'prop_' })],
];

/** What an arbitrary caller might hand the API: anything at all, and near misses of the right shapes. */
const argument = fc.oneof(
  fc.anything(),
  fc.record(
    { limit: fc.integer(), leaseMs: fc.double(), now: fc.oneof(fc.date(), fc.string()), maxAttempts: fc.integer() },
    { requiredKeys: [] },
  ),
  fc.record({ id: fc.string(), leaseToken: fc.string() }),
  fc.record(
    { error: fc.string(), retryAt: fc.oneof(fc.date(), fc.string()), dead: fc.boolean(), now: fc.date() },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      status: fc.constantFrom('pending', 'dead', 'dispatched', "' OR 1=1 --"),
      streamId: fc.string(),
      limit: fc.integer(),
      offset: fc.integer(),
    },
    { requiredKeys: [] },
  ),
  fc.record({ dispatchedBefore: fc.oneof(fc.date(), fc.string()) }),
);

describe.each(stores)('%s: the outbox API under arbitrary input', (_name, open) => {
  it('resolves, or rejects with a HubspokeError (never a raw TypeError or a database error)', async () => {
    const store = await open();
    const approvals = createApprovals({ store, workflows: [standardWorkflow], operatingModel: hybrid, directory });
    for (let i = 0; i < 5; i++) await approvals.submit(people.lena, fullSubmit);
    await fc.assert(
      fc.asyncProperty(argument, argument, async (a, b) => {
        const calls: (() => Promise<unknown>)[] = [
          () => store.claimEffects(a as never),
          () => store.ackEffect(a as never, b as never),
          () => store.failEffect(a as never, b as never),
          () => store.releaseEffect(a as never),
          () => store.listEffects(a as never),
          () => store.requeueEffect(a as never),
          () => store.pruneEffects(a as never),
        ];
        // `watch` without a signal runs until the process ends.
        if (!(typeof a === 'object' && a !== null && 'watch' in a))
          calls.push(() => dispatchEffects(store, () => undefined, a as never));
        for (const call of calls) {
          const outcome: unknown = await call().then(
            () => 'ok',
            (e: unknown) => e,
          );
          if (outcome === 'ok') continue;
          expect(isHubspokeError(outcome), String(outcome)).toBe(true);
          if (isHubspokeError(outcome))
            expect(['E_VALIDATION', 'E_NOT_FOUND', 'E_CONFLICT'], outcome.message).toContain(outcome.code);
        }
      }),
      { numRuns: 150 },
    );
  });
});
