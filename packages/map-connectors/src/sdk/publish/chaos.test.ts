import type { Connector } from '@hubspoke/core';
import { afterEach, describe, expect, it } from 'vitest';
import { guardContract } from '../../testkit/vitest.js';
import { braze } from '../../connectors/braze/braze.js';
import { eloqua } from '../../connectors/eloqua/eloqua.js';
import { hubspot } from '../../connectors/hubspot/hubspot.js';
import { sfmc } from '../../connectors/sfmc/sfmc.js';
import type { FakeServer, FaultKind } from '../../testkit/fake-server.js';
import { FakeBraze } from '../../testkit/fakes/braze.js';
import { FakeEloqua } from '../../testkit/fakes/eloqua.js';
import { FakeHubSpot } from '../../testkit/fakes/hubspot.js';
import { FakeSfmc } from '../../testkit/fakes/sfmc.js';
import { fastTestRuntime, samplePushEmailInput } from '../../testkit/fixtures.js';
import { pushEmails } from './bulk.js';
import { createMemoryPublishStore } from './publish-store.js';

const FAULTS: FaultKind[] = ['http429', 'http500', 'http503', 'timeout', 'reset', 'malformed'];
let running: FakeServer | undefined;
afterEach(async () => {
  await running?.close();
});
guardContract(() => running);

interface Case {
  name: string;
  start: () => Promise<{
    fake: FakeServer;
    connector: (store: Store) => Connector;
    remoteNames: () => string[];
  }>;
}

type Store = ReturnType<typeof createMemoryPublishStore>;

/**
 * Every answer gets all the time a loaded machine needs (the runtime's long client timeout):
 * injected timeouts reject at once through the fake's `fetch`, so which requests fail, and how,
 * depends on the seed alone, never on how fast the machine is. (A short client timeout used to
 * read slow genuine answers as timeouts, whose creates could land after the recovery lookup.)
 */
const runtime = (fake: FakeServer, store: Store) => ({
  ...fastTestRuntime,
  store,
  fetch: fake.fetch,
  retry: { ...fastTestRuntime.retry, maxAttempts: 6 },
});

const cases: Case[] = [
  {
    name: 'braze',
    start: async () => {
      const fake = await new FakeBraze().start();
      return {
        fake,
        connector: (store) => braze.create({ apiKey: fake.apiKey, restEndpoint: fake.url }, runtime(fake, store)),
        remoteNames: () => [...fake.templates.values()].map((t) => t.template_name),
      };
    },
  },
  {
    name: 'hubspot',
    start: async () => {
      const fake = await new FakeHubSpot('pat-na1-fake', { calls: 10_000, windowMs: 1000 }, 50).start();
      return {
        fake,
        connector: (store) => hubspot.create({ accessToken: fake.token, baseUrl: fake.url }, runtime(fake, store)),
        remoteNames: () => [...fake.emails.values()].map((e) => e.name),
      };
    },
  },
  {
    name: 'sfmc',
    start: async () => {
      const fake = await new FakeSfmc().start();
      return {
        fake,
        connector: (store) =>
          sfmc.create(
            {
              subdomain: 'mc',
              clientId: fake.clientId,
              clientSecret: fake.clientSecret,
              categoryId: 1,
              authBaseUrl: `${fake.url}/`,
            },
            runtime(fake, store),
          ),
        remoteNames: () => [...fake.assets.values()].map((a) => a.name),
      };
    },
  },
  {
    name: 'eloqua',
    start: async () => {
      const fake = await new FakeEloqua().start();
      return {
        fake,
        connector: (store) =>
          eloqua.create(
            { company: fake.company, username: fake.user, password: fake.password, loginUrl: fake.url },
            runtime(fake, store),
          ),
        remoteNames: () => [...fake.emails.values()].map((e) => e.name),
      };
    },
  },
];

describe.each(cases)('$name bulk push under injected faults', ({ start }) => {
  it('creates each email at most once and reports every failure; a clean re-run completes them', async () => {
    const { fake, connector, remoteNames } = await start();
    running = fake;
    fake.setChaos({ rate: 0.15, kinds: FAULTS, seed: 11 });
    const store = createMemoryPublishStore();
    const inputs = Array.from({ length: 40 }, (_, i) => samplePushEmailInput(i + 1));
    const report = await pushEmails(connector(store), inputs);
    const names = remoteNames();
    expect(new Set(names).size).toBe(names.length); // no duplicates, whatever failed
    for (const item of report.items)
      if (!item.ok) expect(item.error.code).toMatch(/^E_(UPSTREAM|TIMEOUT|RATE_LIMITED)$/);
    fake.setChaos(undefined);
    const again = await pushEmails(connector(store), inputs);
    expect(again.failed).toBe(0);
    expect(new Set(remoteNames()).size).toBe(40);
    expect(remoteNames()).toHaveLength(40);
  });
});
