import { createConnector } from '@hubspoke/map-connectors';
import { fastTestRuntime, samplePushEmailInput } from '@hubspoke/map-connectors/testkit';
import { describeConformance, useFakeServer } from '@hubspoke/map-connectors/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { FakePostbox } from './fake-postbox.js';
import { postbox } from './postbox.js';

const fake = useFakeServer(new FakePostbox());
const fast = fastTestRuntime;

// The one call a plugin author makes: the whole contract, checked against the fake.
describeConformance('postbox', {
  create: ({ credentials, ...runtime }) =>
    postbox.create(
      { apiKey: credentials === 'valid' ? fake.apiKey : 'pbx-wrong', baseUrl: fake.url },
      { ...runtime, ...fast },
    ),
  secrets: [fake.apiKey],
  injectFault: (fault) =>
    fake.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'http429' : 'http400' }),
});

describe('postbox as a plugin', () => {
  it('is created by id next to the built-ins, from config data', async () => {
    const connector = createConnector(
      'postbox',
      { apiKey: fake.apiKey, baseUrl: fake.url },
      { plugins: { postbox }, ...fast },
    );
    const result = await connector.pushEmail!(samplePushEmailInput(42));
    expect(fake.templates.get(result.remoteId)?.name).toBe('Campaign 42 [draft-42 v1 en]');
  });
});
