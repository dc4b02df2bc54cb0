import type { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileExportFailures, methodsOf } from '@hubspoke/core/testkit';
import * as entry from './index.js';
import { directory, fullSubmit, people, standardWorkflow } from './__fixtures__/harness.js';
import { freshPGlite } from './__fixtures__/lite.js';

const timed = (name: string, ms: number) => {
  if (process.env.HOSTILE_TIMES !== undefined) console.log(`${name}: ${ms.toFixed(0)} ms`);
};

describe('every export of @hubspoke/approval-state, with hostile input', () => {
  it('returns a value or throws a HubspokeError (never a raw TypeError, RangeError, SyntaxError or ZodError)', async () => {
    const { covered, failures } = await hostileExportFailures(fc, entry);
    expect(covered.length).toBeGreaterThan(30);
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the methods of what the exports make, with hostile input', () => {
  let lite: PGlite;
  beforeAll(async () => {
    lite = await freshPGlite();
  });
  afterAll(() => lite.close());

  it('an Approvals (over a store with one submission) returns a value or throws a HubspokeError', async () => {
    const approvals = entry.createApprovals({
      store: new entry.MemoryEventStore(),
      workflows: [standardWorkflow],
      operatingModel: 'hybrid',
      directory,
    });
    await approvals.submit(people.lena, fullSubmit);
    const { covered, failures } = await hostileExportFailures(fc, methodsOf('Approvals', approvals), {
      numRuns: 5,
      onExport: timed,
    });
    expect(covered.length).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  });

  it('a MemoryEventStore and a SqlEventStore (PGlite) return a value or throw a HubspokeError', async () => {
    const stores = {
      ...methodsOf('MemoryEventStore', new entry.MemoryEventStore()),
      ...methodsOf('SqlEventStore', await entry.SqlEventStore.open(lite)),
    };
    const { covered, failures } = await hostileExportFailures(fc, stores, {
      numRuns: 5,
      onExport: timed,
    });
    expect(covered.length).toBeGreaterThan(25);
    expect(failures).toEqual([]);
  });
});
