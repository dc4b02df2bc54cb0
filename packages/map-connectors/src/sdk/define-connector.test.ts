import { HubspokeError, isHubspokeError, type CampaignMetrics } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector } from './define-connector.js';

const leaky = defineConnector({
  manifest: {
    id: 'leaky',
    name: 'Leaky',
    version: '0.0.1',
    kind: 'map',
    secrets: ['token'],
    capabilities: ['check', 'pushEmail', 'pullMetrics', 'notify'],
  },
  config: z
    .object({ token: z.string().min(1), mode: z.enum(['ok', 'throw', 'type-error', 'bad-metrics']).default('ok') })
    .strict(),
  create: ({ config }) => ({
    check: () => {
      if (config.mode === 'throw')
        throw new HubspokeError('E_UPSTREAM', `boom with ${config.token}`, { details: { echoed: config.token } });
      return Promise.resolve({ ok: true, message: 'fine' });
    },
    pushEmail: () => {
      if (config.mode === 'type-error') throw new TypeError(`cannot read ${config.token}`);
      return Promise.resolve({ remoteId: '1', created: true });
    },
    notify: () => Promise.resolve(),
    async *pullMetrics() {
      await Promise.resolve();
      yield (
        config.mode === 'bad-metrics' ? { campaignId: 'c1', sent: -5 } : { campaignId: 'c1', sent: 5 }
      ) as CampaignMetrics;
    },
  }),
});

describe('defineConnector', () => {
  it('builds a manifest with the config JSON Schema and the v1 specification version', () => {
    expect(leaky.manifest).toMatchObject({
      specificationVersion: 'v1',
      id: 'leaky',
      secrets: ['token'],
      configSchema: { type: 'object', properties: { token: { type: 'string' } } },
    });
  });

  it('turns check() failures into { ok: false } with the code, redacting secrets', async () => {
    const result = await leaky.create({ token: 'tok-123456', mode: 'throw' }).check();
    expect(result).toEqual({
      ok: false,
      message: 'boom with [REDACTED]',
      details: { code: 'E_UPSTREAM', echoed: '[REDACTED]' },
    });
  });

  it('wraps stray errors as E_INTERNAL HubspokeErrors with the secret redacted', async () => {
    const error = await leaky.create({ token: 'tok-123456', mode: 'type-error' }).pushEmail!({} as never).catch(
      (e: unknown) => e,
    );
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true); // input is validated first
    const { samplePushEmailInput } = await import('../testkit/fixtures.js');
    const internal = await leaky.create({ token: 'tok-123456', mode: 'type-error' }).pushEmail!(
      samplePushEmailInput(1),
    ).catch((e: unknown) => e);
    expect(internal).toMatchObject({ code: 'E_INTERNAL' });
    expect(JSON.stringify((internal as HubspokeError).toJSON())).not.toContain('tok-123456');
  });

  it('validates what pullMetrics yields and the query it gets', async () => {
    const rows: CampaignMetrics[] = [];
    for await (const row of leaky.create({ token: 't' }).pullMetrics!({
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-02T00:00:00Z',
    }))
      rows.push(row);
    expect(rows[0]).toMatchObject({ campaignId: 'c1', sent: 5, uniqueOpens: 0 });
    const bad = leaky.create({ token: 't', mode: 'bad-metrics' }).pullMetrics!({
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-02T00:00:00Z',
    });
    await expect(bad[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'metrics[0].sent',
    });
    const backwards = leaky.create({ token: 't' }).pullMetrics!({
      since: '2026-01-02T00:00:00Z',
      until: '2026-01-01T00:00:00Z',
    });
    await expect(backwards[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'query.until',
    });
    const badQuery = leaky.create({ token: 't' }).pullMetrics!({ since: 'yesterday', until: '2026-01-02T00:00:00Z' });
    await expect(badQuery[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'query.since',
    });
  });

  it('validates messages: http(s) links only, length limits', async () => {
    const connector = leaky.create({ token: 't' });
    await expect(connector.notify!({ title: 'x'.repeat(151), text: '' })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'message.title',
    });
    await expect(
      connector.notify!({ title: 'ok', text: '', actions: [{ label: 'a', url: 'data:text/html,x' }] }),
    ).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'message.actions[0].url' });
  });

  it('rejects hostile config values with E_VALIDATION, never a raw TypeError', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => leaky.create(hostile)).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
    expect(() => leaky.create({ token: 't', extra: 1 })).toThrow(/connectors\.leaky\.config\.extra/);
    expect(() => leaky.create(null)).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
  });

  it('validates the publish claim options when the instance is created', () => {
    expect(() => leaky.create({ token: 't' }, { publishClaim: { waitMs: -1 } })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'options.publishClaim.waitMs' }),
    );
    expect(() => leaky.create({ token: 't' }, { publishClaim: { leaseMs: 1.5 } })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'options.publishClaim.leaseMs' }),
    );
    expect(() => leaky.create({ token: 't' }, { publishClaim: { lease: 5 } as never })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION' }),
    );
    expect(leaky.create({ token: 't' }, { publishClaim: { leaseMs: 10_000, waitMs: 0 } }).instance).toBe('leaky');
  });
});
