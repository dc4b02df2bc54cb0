import fc from 'fast-check';
import { hostileExportFailures, methodsOf } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { useStoreHub } from './__fixtures__/hubs.js';
import type { Hub } from './hub.js';

describe('the methods of a Hub, with hostile input', () => {
  let hub: Hub;
  useStoreHub((opened) => {
    ({ hub } = opened);
  });

  it('return a value or throw a HubspokeError (never a raw TypeError, RangeError or SyntaxError)', async () => {
    const methods = methodsOf('Hub', hub);
    const { covered, failures } = await hostileExportFailures(fc, methods, {
      numRuns: 3,
      skip: { 'Hub.close': 'closes the hub the other probes use; takes no argument' },
      onExport: (name, ms) => {
        if (process.env.HOSTILE_TIMES !== undefined) console.log(`${name}: ${ms.toFixed(0)} ms`);
      },
    });
    expect(covered.length).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('refuse an object missing what they need with E_VALIDATION naming it (not E_INTERNAL)', async () => {
    const jo = await hub.principal('jo');
    await expect(hub.createDraft(jo, {} as never)).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'input.id' });
    await expect(
      hub.createDraft(jo, { id: 'x', name: 'X', template: { id: 'newsletter' }, surprise: 1 } as never),
    ).rejects.toMatchObject({ code: 'E_VALIDATION' });
    await expect(hub.assertLocksKept({} as never, {} as never)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: expect.stringMatching(/^previous/),
    });
    await expect(hub.pullMetrics(jo, {} as never)).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'since' });
    await expect(
      hub.pullMetrics(jo, { since: new Date(), until: new Date(), groupBy: [7] } as never),
    ).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'groupBy',
    });
    // The error quotes a bounded excerpt of a bad dimension, not all of it.
    const longDimension = await hub
      .pullMetrics(jo, { since: new Date(), until: new Date(), groupBy: ['x'.repeat(1_000_000)] })
      .catch((e: unknown) => e);
    expect(longDimension).toMatchObject({ code: 'E_VALIDATION', path: 'groupBy' });
    expect((longDimension as Error).message.length).toBeLessThan(300);
    await expect(hub.dispatchEffects({} as never)).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'connectors' });
    await expect(hub.dispatchEffects({ connectors: [null] } as never)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'connectors',
    });
  });

  it('refuse a wrong type or a 10 MB name by rejecting, before any work', async () => {
    const jo = await hub.principal('jo');
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const started = performance.now();
    await expect(hub.status(jo, huge)).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'ref' });
    await expect(hub.principal(huge)).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'id' });
    expect(performance.now() - started).toBeLessThan(2_000);
    // A method that returns a promise rejects: it never throws synchronously.
    const refused = hub.status(null as never, 'x');
    expect(refused).toBeInstanceOf(Promise);
    await expect(refused).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'principal' });
    expect(() => {
      hub.trustIssuer(7 as never);
    }).toThrow(expect.objectContaining({ code: 'E_VALIDATION', path: 'issuer' }));
  });
});
