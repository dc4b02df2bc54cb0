import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fs } from '../connectors/fs/fs.js';
import { marketo } from '../connectors/marketo/marketo.js';
import { conformanceChecks } from './conformance.js';
import { describeConformance, guardContract } from './vitest.js';
import { FakeMarketo } from './fakes/marketo.js';
import { fastTestRuntime } from './fixtures.js';

const fake = new FakeMarketo({ callsPerWindow: 1000, windowMs: 1000 });
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.close();
});
guardContract(() => fake);

describeConformance('marketo', {
  create: ({ credentials, ...runtime }) =>
    marketo.create(
      {
        baseUrl: fake.url,
        clientId: 'marketo-client',
        clientSecret: credentials === 'valid' ? 'marketo-secret' : 'wrong-secret',
        emailFolderId: 1,
        templateFolderId: 2,
      },
      { ...runtime, retry: fastTestRuntime.retry },
    ),
  secrets: ['marketo-client', 'marketo-secret'],
  injectFault: (fault) =>
    fake.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'throttle' : 'http400' }),
});

const out = mkdtemp(join(tmpdir(), 'hubspoke-conformance-'));
describeConformance('fs', {
  create: async ({ credentials: _unused, ...runtime }) => fs.create({ outDir: await out }, runtime),
  secrets: [],
  noCredentials: true,
});

describe('conformance kit', () => {
  it('catches a connector that breaks the contract', async () => {
    const broken = marketo.create({
      baseUrl: fake.url,
      clientId: 'marketo-client',
      clientSecret: 'marketo-secret',
      emailFolderId: 1,
      templateFolderId: 2,
    });
    const liar = {
      ...broken,
      manifest: { ...broken.manifest, capabilities: [...broken.manifest.capabilities, 'notify' as const] },
    };
    const [manifest] = conformanceChecks({ create: () => liar, secrets: [] });
    await expect(manifest!.run()).rejects.toThrow(/"notify" is declared but has no method/);
    const leaky = conformanceChecks({
      create: () => ({
        ...broken,
        check: () => Promise.resolve({ ok: false, message: 'bad secret marketo-secret', details: { code: 'E_AUTH' } }),
      }),
      secrets: ['marketo-secret'],
      noCredentials: true,
    }).find((c) => c.name.startsWith('no secret'))!;
    await expect(leaky.run()).rejects.toThrow(/secret appeared/);
  });
});
