import { guardContract } from '../../testkit/vitest.js';
import { afterEach, describe, expect, it } from 'vitest';
import { marketo } from '../../connectors/marketo/marketo.js';
import { FakeMarketo } from '../../testkit/fakes/marketo.js';
import { samplePushEmailInput } from '../../testkit/fixtures.js';
import { createMemoryPublishStore } from './publish-store.js';
import { pushEmails } from './bulk.js';

let fake: FakeMarketo | undefined;
guardContract(() => fake);
afterEach(async () => {
  await fake?.close();
});

/**
 * Every answer gets all the time a loaded machine needs; injected timeouts reject at once through
 * the fake's `fetch`, so the outcome depends on the chaos seed alone, not on the machine's speed.
 */
const connectorFor = (server: FakeMarketo, store = createMemoryPublishStore()) =>
  marketo.create(
    {
      baseUrl: server.url,
      clientId: 'marketo-client',
      clientSecret: 'marketo-secret',
      emailFolderId: 17,
      templateFolderId: 15,
    },
    {
      store,
      fetch: server.fetch,
      retry: { baseDelayMs: 1, maxDelayMs: 10, timeoutMs: 30_000, maxAttempts: 6 },
      limits: { callsPerWindow: 100, windowMs: 100, concurrency: 8 },
    },
  );

describe('pushEmails under injected faults', () => {
  it('ends with exactly one remote email per input, or names each failure with its cause', async () => {
    // Names are not unique-enforced here, so any duplicate the client caused would show.
    fake = await new FakeMarketo({
      callsPerWindow: 100,
      windowMs: 100,
      concurrency: 10,
      enforceUniqueNames: false,
    }).start();
    fake.setChaos({
      rate: 0.12,
      kinds: ['http429', 'http500', 'http503', 'timeout', 'reset', 'malformed', 'throttle'],
      seed: 7,
    });
    const store = createMemoryPublishStore();
    const inputs = Array.from({ length: 200 }, (_, i) => samplePushEmailInput(i + 1));
    const progress: number[] = [];
    const report = await pushEmails(connectorFor(fake, store), inputs, {
      onProgress: (done) => progress.push(done),
    });

    expect(report.items).toHaveLength(200);
    expect(report.succeeded + report.failed).toBe(200);
    expect(progress.at(-1)).toBe(200);
    expect(Object.values(fake.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    for (const item of report.items) {
      const remote = fake.emailsNamed(`Campaign ${item.index + 1} [draft-${item.index + 1} v1 en]`);
      expect(remote.length).toBeLessThanOrEqual(1);
      if (item.ok) {
        expect(remote.map((e) => String(e.id))).toEqual([item.result.remoteId]);
      } else {
        expect(item.error.code).toMatch(/^E_/);
        expect(item.error.message.length).toBeGreaterThan(10);
      }
    }
    const templateNames = [...fake.templates.values()].map((t) => t.name);
    expect(new Set(templateNames).size).toBe(templateNames.length);

    // A second run (faults off) completes the failures and creates nothing twice.
    fake.setChaos(undefined);
    const retry = await pushEmails(connectorFor(fake, store), inputs);
    expect(retry.failed).toBe(0);
    expect(fake.emails.size).toBe(200);
    expect(retry.items.filter((i) => i.ok && i.result.created).length).toBe(report.failed);
  });

  it('reports a precise per-item failure when the vendor refuses an input', async () => {
    fake = await new FakeMarketo({ callsPerWindow: 1000, windowMs: 100 }).start();
    // Item 2 declares a module container but no editable section, which Marketo refuses (709).
    const broken = '<html><body><div class="mktoContainer" id="c"></div></body></html>';
    const inputs = [samplePushEmailInput(1), samplePushEmailInput(2, { html: broken }), samplePushEmailInput(3)];
    const report = await pushEmails(connectorFor(fake), inputs, { concurrency: 1 });
    expect(report.items.map((i) => i.ok)).toEqual([true, false, true]);
    expect(report.items[1]).toMatchObject({
      ok: false,
      draftId: 'draft-2',
      error: { code: 'E_VALIDATION', details: { vendorCode: '709', operation: 'createTemplate' } },
    });
    expect(report.items[1]!.ok || report.items[1]!.error.message).toMatch(/editable section/);
  });

  it('serialises duplicate keys so they update one asset', async () => {
    fake = await new FakeMarketo({ callsPerWindow: 1000, windowMs: 100, enforceUniqueNames: false }).start();
    const input = samplePushEmailInput(1);
    const report = await pushEmails(connectorFor(fake), [input, input, input], { concurrency: 3 });
    expect(report.succeeded).toBe(3);
    expect(fake.emails.size).toBe(1);
    expect(report.items.map((i) => i.ok && i.result.created)).toEqual([true, false, false]);
  });
});
