import { createConnector } from '@hubspoke/map-connectors';
import { describeConformance, samplePushEmailInput } from '@hubspoke/map-connectors/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePostbox } from './fake-postbox.js';
import { postbox } from './postbox.js';

const fake = new FakePostbox();
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.close();
});
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 300 }, limits: { callsPerWindow: 1000, windowMs: 100 } };

// The one call a plugin author makes: the whole contract, checked against the fake.
describeConformance('postbox', {
  create: ({ credentials, ...runtime }) => postbox.create({ apiKey: credentials === 'valid' ? fake.apiKey : 'pbx-wrong', baseUrl: fake.url }, { ...runtime, ...fast }),
  secrets: [fake.apiKey],
  injectFault: (fault) => fake.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'http429' : 'http400' }),
});

describe('postbox as a plugin', () => {
  it('is created by id next to the built-ins, from config data', async () => {
    const connector = createConnector('postbox', { apiKey: fake.apiKey, baseUrl: fake.url }, { plugins: { postbox }, ...fast });
    const result = await connector.pushEmail!(samplePushEmailInput(42));
    expect(fake.templates.get(result.remoteId)?.name).toBe('Campaign 42 [draft-42 v1 en]');
  });
});
