import type { CallOptions } from '@hubspoke/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearerAuth } from '../../sdk/http/auth.js';
import { defineConnector } from '../../sdk/define-connector.js';
import { assertContractClean, FakeServer } from '../fake-server.js';
import { FakeMarketo } from '../fakes/marketo.js';
import { openApiContract } from './openapi.js';
import { contractFor } from './vendors.js';

/**
 * A third-party connector, written outside this package, is held to the same vendor contracts:
 * a request the contract refuses fails its tests, whatever the author's own fake would accept.
 */
describe('the vendor contracts check connectors written elsewhere', () => {
  const fake = new FakeMarketo({ callsPerWindow: 1000, windowMs: 1000 });
  beforeAll(async () => {
    await fake.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  /** A hand-rolled Marketo sample sender that names the field after the docs' prose (`email`), not the contract's. */
  const sampler = defineConnector({
    manifest: {
      id: 'acme-marketo-sampler',
      name: 'Acme sampler',
      version: '1.0.0',
      kind: 'map',
      capabilities: ['check'],
    },
    config: z.object({ baseUrl: z.string(), field: z.string() }).strict(),
    create: (ctx) => {
      const token = ctx.http({ baseUrl: `${ctx.config.baseUrl}/` });
      return {
        async check(options: CallOptions) {
          const res = await token.send(
            {
              method: 'POST',
              url: 'identity/oauth/token',
              operation: 'token',
              query: { grant_type: 'client_credentials', client_id: 'marketo-client', client_secret: 'marketo-secret' },
              idempotent: true,
            },
            options.signal,
          );
          const api = ctx.http({
            baseUrl: `${ctx.config.baseUrl}/`,
            auth: bearerAuth((res.body as { access_token: string }).access_token),
          });
          await api.send(
            {
              method: 'POST',
              url: 'rest/asset/v1/email/1/sendSample.json',
              operation: 'sendSample',
              form: { [ctx.config.field]: 'qa@acme.example' },
            },
            options.signal,
          );
          return { ok: true, message: 'sent' };
        },
      };
    },
  });

  it('refuses the request with the field the contract does not name, and passes the one it does', async () => {
    // Its own classifier reads Marketo's HTTP 200 refusal as success; the contract does not.
    await sampler.create({ baseUrl: fake.url, field: 'email' }).check();
    expect(fake.requests.at(-1)?.path).toBe('/rest/asset/v1/email/1/sendSample.json');
    expect(() => {
      assertContractClean(fake);
    }).toThrow(/email is not in the contract/);
    // (The fake has no email 1, so the right request reaches the fake and gets Marketo's 702.)
    await sampler.create({ baseUrl: fake.url, field: 'emailAddress' }).check();
    expect(() => {
      assertContractClean(fake);
    }).not.toThrow();
  });

  it("checks a plugin's own vendor against the OpenAPI document its author provides", async () => {
    const postbox = new FakeServer({
      contract: openApiContract({
        vendor: 'postbox',
        documents: [
          {
            openapi: '3.0.1',
            paths: {
              '/messages': {
                post: {
                  operationId: 'send',
                  requestBody: {
                    required: true,
                    content: {
                      'application/json': {
                        schema: { type: 'object', required: ['to'], properties: { to: { type: 'string' } } },
                      },
                    },
                  },
                },
              },
            },
          },
        ],
      }),
    }).route('POST', '/messages', () => ({ json: { ok: true } }));
    await postbox.start();
    try {
      const ok = await fetch(`${postbox.url}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'a' }),
      });
      const bad = await fetch(`${postbox.url}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ recipient: 'a' }),
      });
      expect([ok.status, bad.status]).toEqual([200, 400]);
      expect(postbox.violations).toHaveLength(1);
      expect(postbox.validated.get('send')).toBe(2);
    } finally {
      await postbox.close();
    }
    expect(contractFor('marketo').operations).toContain('sendSampleEmailUsingPOST');
  });
});
