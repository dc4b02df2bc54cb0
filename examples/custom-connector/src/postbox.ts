/**
 * A connector for "Postbox", a fictional email service, written the way a plugin author
 * would: only `@hubspoke/core` types and the `@hubspoke/map-connectors` SDK.
 */
import type { CallOptions, PushEmailInput, PushResult } from '@hubspoke/core';
import {
  assetName,
  bearerAuth,
  classifyStatus,
  defineConnector,
  expectBody,
  type ConnectorContext,
  type HttpClient,
  type Verdict,
} from '@hubspoke/map-connectors';
import { z } from 'zod';

export const PostboxConfigSchema = z
  .object({
    apiKey: z.string().min(1),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.postbox.example'),
  })
  .strict();
type PostboxConfig = z.output<typeof PostboxConfigSchema>;

const TemplateSchema = z.object({ id: z.string() }).loose();
const ListSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }).loose();

/** Postbox says "slow down" with HTTP 429 and `Retry-After`; everything else follows HTTP. */
function classifyPostbox(input: Parameters<typeof classifyStatus>[0]): Verdict {
  const message = (input.body as { error?: unknown } | undefined)?.error;
  return classifyStatus(input, typeof message === 'string' ? message : undefined);
}

class Postbox {
  private readonly api: HttpClient;

  constructor(private readonly ctx: ConnectorContext<PostboxConfig>) {
    this.api = ctx.http({
      baseUrl: ctx.config.baseUrl,
      classify: classifyPostbox,
      auth: bearerAuth(ctx.config.apiKey),
    });
  }

  async check({ signal }: CallOptions) {
    const res = await this.api.send(
      { method: 'GET', url: '/v1/me', operation: 'me', dryRunBody: { account: 'dry-run' } },
      signal,
    );
    const me = expectBody(z.object({ account: z.string() }).loose(), res.body, 'Postbox /v1/me');
    return { ok: true, message: `Connected to Postbox account ${me.account}` };
  }

  pushEmail(input: PushEmailInput, { signal }: CallOptions): Promise<PushResult> {
    const key = { sourceId: input.draftId, version: input.draftVersion, locale: input.locale };
    const name = assetName(input.name, key);
    const body = { name, subject: input.email.subject, html: input.email.html, text: input.email.text };
    return this.ctx.publish(
      {
        key: { kind: 'email', ...key },
        name,
        contentHash: input.email.contentHash,
        create: async () => {
          const res = await this.api.send(
            {
              method: 'POST',
              url: '/v1/templates',
              operation: 'createTemplate',
              json: body,
              dryRunBody: { id: 'dry-run' },
            },
            signal,
          );
          return { id: expectBody(TemplateSchema, res.body, 'Postbox createTemplate').id };
        },
        update: async (id) => {
          await this.api.send(
            { method: 'PUT', url: `/v1/templates/${encodeURIComponent(id)}`, operation: 'updateTemplate', json: body },
            signal,
          );
          return undefined;
        },
        find: async (n) => {
          const res = await this.api.send(
            {
              method: 'GET',
              url: '/v1/templates',
              query: { name: n },
              operation: 'findTemplate',
              dryRunBody: { items: [] },
            },
            signal,
          );
          const found = expectBody(ListSchema, res.body, 'Postbox listTemplates').items.find((t) => t.name === n);
          return found === undefined ? undefined : { id: found.id };
        },
      },
      this.api,
    );
  }
}

export const postbox = defineConnector({
  manifest: {
    id: 'postbox',
    name: 'Postbox',
    version: '1.0.0',
    kind: 'map',
    description: 'Publishes rendered emails as Postbox templates.',
    secrets: ['apiKey'],
    capabilities: ['check', 'pushEmail'],
    tokenDialect: 'braze',
    limits: { callsPerWindow: 10, windowMs: 1000, concurrency: 2 },
  },
  config: PostboxConfigSchema,
  create(ctx) {
    const p = new Postbox(ctx);
    return { check: (o) => p.check(o), pushEmail: (i, o) => p.pushEmail(i, o) };
  },
});
