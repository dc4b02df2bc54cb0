import { isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useStoreHub } from './__fixtures__/hubs.js';
import type { Hub } from './hub.js';

/** Resolves, or fails with a HubspokeError: never a raw TypeError. */
async function clean(promise: Promise<unknown>): Promise<boolean> {
  try {
    await promise;
    return true;
  } catch (error) {
    if (!isHubspokeError(error)) throw error;
    return error.code !== 'E_INTERNAL';
  }
}

describe('hostile input to the hub (fast-check)', () => {
  let hub: Hub;
  useStoreHub((opened) => {
    ({ hub } = opened);
  });

  it('saveDraft: any JSON is refused with a HubspokeError, and the draft stays as it was', async () => {
    const jo = await hub.principal('jo');
    const before = await hub.getDraft(jo, 'austin-store-opening');
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.integer(), async (input, version) =>
        clean(hub.saveDraft(jo, input, { expectedVersion: version })),
      ),
      { numRuns: 60 },
    );
    expect(await hub.getDraft(jo, 'austin-store-opening')).toEqual(before);
  });

  it('saveDraft: random slot values in the real draft never escape as raw errors', async () => {
    const jo = await hub.principal('jo');
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.jsonValue(), async (slot, value) => {
        const { draft, version } = await hub.getDraft(jo, 'austin-store-opening');
        const content = structuredClone(draft.content) as Record<
          string,
          { slots: Record<string, Record<string, unknown>> }
        >;
        const en = content['en-US'];
        if (en !== undefined) en.slots['message-1'] = { ...en.slots['message-1'], [slot]: value };
        return clean(hub.saveDraft(jo, { ...draft, content }, { expectedVersion: version }));
      }),
      { numRuns: 40 },
    );
  });

  it('createDraft, checkDraft, decide, comment and the change feed refuse nonsense cleanly', async () => {
    const jo = await hub.principal('jo');
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.jsonValue(), async (id, text, anything) => {
        const results = await Promise.all([
          clean(hub.createDraft(jo, { id, name: text, template: { id: text } })),
          clean(hub.checkDraft(anything)),
          clean(hub.decide(jo, id, { verdict: text as 'approved' })),
          clean(hub.comment(jo, id, { text })),
          clean((async () => (await hub.state()).store.changesSince(text))()),
          clean(hub.renderAll(anything)),
        ]);
        return results.every(Boolean);
      }),
      { numRuns: 40 },
    );
  });
});
