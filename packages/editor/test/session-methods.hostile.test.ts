import fc from 'fast-check';
import { hostileExportFailures, methodsOf } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { DraftSession } from '../src/model/session.js';
import { MemoryHub } from '../src/source/memory-source.js';
import { hubInfo, newsletter, nodeSkeletons, NOW, viewers } from './fixtures/demo.js';

/** TypeScript-private methods of DraftSession (reachable from JavaScript, but not API). */
const PRIVATE = new Set(['fail']);

describe('the methods of a DraftSession, with hostile input', () => {
  it('return a value or throw a HubspokeError', async () => {
    const template = newsletter();
    const memory = new MemoryHub({
      hub: hubInfo,
      templates: [template],
      viewers,
      skeleton: nodeSkeletons(template),
      now: () => NOW,
    });
    const source = memory.as('lena@northwind.example');
    const record = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    const session = await DraftSession.open(source, record.draft.id, { now: () => NOW, autosaveMs: 5 });
    // Its own methods: EventTarget's are the platform's, and `private` ones are not API.
    const own = new Set(Object.getOwnPropertyNames(DraftSession.prototype));
    const methods = Object.fromEntries(
      Object.entries(methodsOf('DraftSession', session)).filter(([name]) => {
        const method = name.slice('DraftSession.'.length);
        return own.has(method) && !PRIVATE.has(method);
      }),
    );
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 3 });
    expect(covered.length).toBeGreaterThan(10);
    expect(failures).toEqual([]);
    session.close();
  });
});
