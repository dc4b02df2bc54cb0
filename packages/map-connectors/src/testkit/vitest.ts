import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { assertContractClean, type FakeServer } from './fake-server.js';
import { conformanceChecks, type ConformanceOptions } from './conformance.js';

/** Registers the conformance checks as a vitest `describe` block. Call it from your own test file. */
export function describeConformance(name: string, options: ConformanceOptions): void {
  describe(`${name} honours the Hubspoke connector contract`, () => {
    for (const check of conformanceChecks(options)) {
      if (check.skip !== undefined) it.skip(`${check.name} (skipped: ${check.skip})`, () => undefined);
      else it(check.name, () => check.run());
    }
  });
}

/**
 * Starts a fake before the tests of the surrounding `describe` (or file) and closes it after;
 * after each test, fails it if the fake's vendor contract refused a request.
 */
export function useFakeServer<F extends { start(): Promise<unknown>; close(): Promise<void> }>(fake: F): F {
  beforeAll(async () => {
    await fake.start();
  });
  afterEach(() => {
    if ('violations' in fake) assertContractClean(fake as unknown as FakeServer);
  });
  afterAll(async () => {
    await fake.close();
  });
  return fake;
}

export { describePublishStoreConformance } from './publish-store-conformance.js';
export type { OpenPublishStores } from './publish-store-conformance.js';

/** After each test, fails it if the fake (read when the test ends, so it may be replaced per test) saw a request its vendor contract refused. */
export function guardContract(fake: () => FakeServer | undefined): void {
  afterEach(() => {
    const current = fake();
    if (current !== undefined) assertContractClean(current);
  });
}
