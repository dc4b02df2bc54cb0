import {
  type CallOptions,
  type CampaignMetrics,
  type CheckResult,
  type MetricsQuery,
  type PushEmailInput,
  type PushResult,
  type PushTemplateInput,
  type UploadAssetResult,
} from '@hubspoke/core';
import { z } from 'zod';
import { bearerAuth } from '../../sdk/http/auth.js';
import { retryAfterMs } from '../../sdk/http/backoff.js';
import { defineConnector, type AssetUpload, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import { campaignFor } from '../../sdk/metrics.js';
import { paginate } from '../../sdk/http/paginate.js';
import { assetName, type RemoteAsset } from '../../sdk/publish/publish.js';
import { expectBody } from '../../sdk/http/response.js';

/** The current dated HubSpot API version (shipped 2026-09-08). */
export const HUBSPOT_API_VERSION = '2026-09';

export const HubSpotConfigSchema = z
  .object({
    /** A private app access token with the `content` scope. */
    accessToken: z.string().min(1),
    /** Design Manager folder for Hubspoke's coded templates. */
    templateFolder: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/)
      .default('hubspoke'),
    fromName: z.string().max(255).optional(),
    replyTo: z.email().optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.hubapi.com'),
    /** HubSpot's dated API version (`YYYY-03` or `YYYY-09`); the `/v3/` paths are legacy since 2026-03. */
    apiVersion: z
      .string()
      .regex(/^\d{4}-(03|09)$/, { error: 'expected a dated HubSpot API version like "2026-09"' })
      .default(HUBSPOT_API_VERSION),
  })
  .strict();
export type HubSpotConfig = z.output<typeof HubSpotConfigSchema>;

/** HubSpot: 429 with `category: RATE_LIMITS` and a `policyName` (`TEN_SECONDLY_ROLLING`, `SECONDLY`, `DAILY`). */
export function classifyHubSpot(input: ClassifyInput): Verdict {
  const body = input.body as { message?: unknown; category?: unknown; policyName?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : undefined;
  if (input.status === 401) return { kind: 'fail', code: 'E_AUTH', reason: message ?? 'invalid token' };
  if (input.status === 429) {
    const policy = typeof body?.policyName === 'string' ? body.policyName : 'unknown';
    if (policy === 'DAILY')
      return {
        kind: 'rate-limited',
        reason: `${message ?? 'daily limit'} (${policy})`,
        vendorCode: policy,
        final: true,
      };
    const interval = Number(input.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
    // HubSpot sends no Retry-After (a proxy might): otherwise wait for the rolling window (10 s; 1 s for SECONDLY).
    const delayMs =
      retryAfterMs(input.headers) ??
      (policy === 'SECONDLY' ? 1000 : Number.isFinite(interval) && interval > 0 ? interval : 10_000);
    return {
      kind: 'rate-limited',
      reason: `${message ?? 'HTTP 429'} (${policy})`,
      vendorCode: policy,
      delayMs,
      pause: true,
    };
  }
  return classifyStatus(input, message);
}

/** HubSpot's coded email templates carry their settings in a leading annotation comment. */
export function codedTemplate(html: string, label: string): string {
  const safeLabel = label.replace(/[\r\n]+/g, ' ').replace(/-->/g, '');
  return `<!--\n  templateType: email\n  isAvailableForNewContent: true\n  label: ${safeLabel}\n-->\n${html}`;
}

const EmailSchema = z.object({ id: z.string() }).loose();
const FileSchema = z.object({ id: z.string(), name: z.string(), url: z.string() }).loose();
/** The newest dated Files API version with an upload operation (2026-09 has none). */
const FILES_API_VERSION = '2026-03';
const PageSchema = z
  .object({
    results: z.array(z.object({ id: z.string(), name: z.string() }).loose()),
    paging: z
      .object({ next: z.object({ after: z.string() }).loose().optional() })
      .loose()
      .optional(),
  })
  .loose();
const StatsSchema = z
  .object({ aggregate: z.object({ counters: z.record(z.string(), z.number()).default({}) }).loose() })
  .loose();

class HubSpot {
  private readonly api: HttpClient;

  constructor(private readonly ctx: ConnectorContext<HubSpotConfig>) {
    this.api = ctx.http({
      baseUrl: ctx.config.baseUrl,
      classify: classifyHubSpot,
      auth: bearerAuth(ctx.config.accessToken),
    });
  }

  /** A marketing-email path on the configured dated API version. */
  private emails(rest?: string): string {
    return `/marketing/emails/${this.ctx.config.apiVersion}${rest === undefined ? '' : `/${rest}`}`;
  }

  async check({ signal }: CallOptions): Promise<CheckResult> {
    await this.api.send(
      {
        method: 'GET',
        url: this.emails(),
        query: { limit: 1 },
        operation: 'listEmails',
        dryRunBody: { results: [] },
      },
      signal,
    );
    return { ok: true, message: 'Connected to HubSpot (marketing emails readable)' };
  }

  /** Uploads (upserts) a coded template file; PUT is idempotent, so it needs no mapping. */
  private async upload(path: string, html: string, label: string, signal?: AbortSignal): Promise<void> {
    await this.api.send(
      {
        method: 'PUT',
        url: `/cms/source-code/${this.ctx.config.apiVersion}/published/content/${path.split('/').map(encodeURIComponent).join('/')}`,
        operation: 'uploadTemplate',
        multipart: [
          {
            name: 'file',
            value: codedTemplate(html, label),
            filename: path.split('/').at(-1) ?? 'template.html',
            contentType: 'text/html',
          },
        ],
      },
      signal,
    );
  }

  async pushTemplate(input: PushTemplateInput, { signal }: CallOptions): Promise<PushResult> {
    const path = `${this.ctx.config.templateFolder}/templates/${input.templateId}-v${input.templateVersion}.html`;
    const key = {
      connector: this.ctx.instance,
      kind: 'template' as const,
      sourceId: input.templateId,
      version: input.templateVersion,
      locale: '',
    };
    const created = (await this.ctx.store.get(key)) === undefined;
    await this.upload(path, input.html, input.name, signal);
    if (this.ctx.dryRun === undefined)
      await this.ctx.store.put({ ...key, remoteId: path, updatedAt: new Date(this.ctx.now()).toISOString() });
    return { remoteId: path, created };
  }

  async pushEmail(input: PushEmailInput, { signal }: CallOptions): Promise<PushResult> {
    const key = { sourceId: input.draftId, version: input.draftVersion, locale: input.locale };
    const name = assetName(input.name, key);
    const templatePath = `${this.ctx.config.templateFolder}/emails/${input.draftId}-v${input.draftVersion}-${input.locale}.html`;
    await this.upload(templatePath, input.email.html, name, signal);
    const { fromName, replyTo } = this.ctx.config;
    const fields = {
      name,
      subject: input.email.subject,
      language: input.locale.toLowerCase(),
      content: { templatePath, plainTextVersion: input.email.text },
      ...(fromName === undefined && replyTo === undefined
        ? {}
        : { from: { ...(fromName === undefined ? {} : { fromName }), ...(replyTo === undefined ? {} : { replyTo }) } }),
    };
    return this.ctx.publish(
      {
        key: { kind: 'email', ...key },
        signal,
        name,
        contentHash: input.email.contentHash,
        create: async () => {
          const res = await this.api.send(
            {
              method: 'POST',
              url: this.emails(),
              operation: 'createEmail',
              json: fields,
              dryRunBody: { id: 'dry-run' },
            },
            signal,
          );
          return { id: expectBody(EmailSchema, res.body, 'HubSpot createEmail').id };
        },
        update: async (id) => {
          await this.api.send(
            { method: 'PATCH', url: this.emails(id), operation: 'updateEmail', json: fields },
            signal,
          );
          return undefined;
        },
        find: (n) => this.findByName(n, signal),
      },
      this.api,
    );
  }

  /** Uploads an image to the File Manager (`<templateFolder>/images`, public, not indexed), once per SHA-256. */
  async uploadAsset(input: AssetUpload, { signal }: CallOptions): Promise<UploadAssetResult> {
    const name = `hubspoke-${input.sha256.slice(0, 16)}-${input.name}`.slice(0, 200);
    const asAsset = (file: z.output<typeof FileSchema>) => ({ id: file.id, url: file.url });
    const result = await this.ctx.publish(
      {
        key: { kind: 'asset', sourceId: input.sha256, version: 1, locale: '' },
        signal,
        name,
        create: async () => {
          const res = await this.api.send(
            {
              method: 'POST',
              url: `/files/${FILES_API_VERSION}/files`,
              operation: 'uploadFile',
              multipart: [
                { name: 'file', value: input.bytes, filename: name, contentType: input.contentType },
                { name: 'fileName', value: name },
                { name: 'folderPath', value: `/${this.ctx.config.templateFolder}/images` },
                {
                  name: 'options',
                  value: JSON.stringify({
                    access: 'PUBLIC_NOT_INDEXABLE',
                    overwrite: false,
                    duplicateValidationStrategy: 'NONE',
                  }),
                },
              ],
              dryRunBody: { id: 'dry-run', name, url: 'https://dry-run.invalid/' },
            },
            signal,
          );
          return asAsset(expectBody(FileSchema, res.body, 'HubSpot uploadFile'));
        },
        update: () => Promise.resolve(undefined),
        find: async (n) => {
          const res = await this.api.send(
            {
              method: 'GET',
              url: `/files/${FILES_API_VERSION}/files/search`,
              query: { name: n, limit: 10 },
              operation: 'searchFiles',
              dryRunBody: { results: [] },
            },
            signal,
          );
          const page = expectBody(
            z.object({ results: z.array(FileSchema).default([]) }).loose(),
            res.body,
            'HubSpot files',
          );
          const found = page.results.find((f) => f.name === n);
          return found === undefined ? undefined : asAsset(found);
        },
      },
      this.api,
    );
    return { remoteId: result.remoteId, url: result.url ?? '', sha256: input.sha256, created: result.created };
  }

  private listEmails(signal?: AbortSignal) {
    return paginate<z.output<typeof PageSchema>['results'][number], string>('', async (after) => {
      const res = await this.api.send(
        {
          method: 'GET',
          url: this.emails(),
          query: { limit: 100, ...(after === '' ? {} : { after }) },
          operation: 'listEmails',
          dryRunBody: { results: [] },
        },
        signal,
      );
      const page = expectBody(PageSchema, res.body, 'HubSpot listEmails');
      return { items: page.results, next: page.paging?.next?.after };
    });
  }

  private async findByName(name: string, signal?: AbortSignal): Promise<RemoteAsset | undefined> {
    for await (const email of this.listEmails(signal)) if (email.name === name) return { id: email.id };
    return undefined;
  }

  async *pullMetrics(query: MetricsQuery, { signal }: CallOptions): AsyncIterable<CampaignMetrics> {
    const ids: string[] = query.campaignIds ?? [];
    if (query.campaignIds === undefined) for await (const email of this.listEmails(signal)) ids.push(email.id);
    for (const id of ids) {
      const res = await this.api.send(
        {
          method: 'GET',
          url: this.emails('statistics/list'),
          query: { emailIds: id, startTimestamp: query.since, endTimestamp: query.until },
          operation: 'emailStatistics',
          dryRunBody: { aggregate: { counters: {} } },
        },
        signal,
      );
      const c = expectBody(StatsSchema, res.body, 'HubSpot email statistics').aggregate.counters;
      const n = (name: string) => Math.max(0, Math.round(c[name] ?? 0));
      yield {
        ...(await campaignFor(this.ctx.store, this.ctx.instance, 'hubspot', id)),
        sent: n('sent'),
        delivered: n('delivered'),
        hardBounces: n('hardbounced'),
        softBounces: n('softbounced'),
        uniqueOpens: n('open'),
        totalOpens: n('open'),
        machineOpens: 0,
        uniqueClicks: n('click'),
        totalClicks: n('click'),
        unsubscribes: n('unsubscribed'),
        complaints: n('spamreport'),
        conversions: 0,
        revenue: 0,
        cost: 0,
      };
    }
  }
}

/** HubSpot: coded email templates in Design Manager, marketing emails v3, and their statistics. */
export const hubspot = defineConnector({
  manifest: {
    id: 'hubspot',
    name: 'HubSpot',
    version: '0.1.0',
    kind: 'map',
    description:
      'Uploads rendered HTML as coded email templates (Design Manager) and creates or updates marketing emails (v3) that use them; pulls email statistics.',
    secrets: ['accessToken'],
    // No test-send endpoint in HubSpot's API: sendTest is absent. Single-send (Enterprise only) sends for real and turns every
    // seed into a marketing contact; see the README and developers.hubspot.com/docs/api-reference/latest/marketing/single-send/guide.
    capabilities: ['check', 'pushTemplate', 'pushEmail', 'pullMetrics', 'uploadAsset'],
    tokenDialect: 'hubspot',
    // Private apps on Free/Starter: 100 requests per rolling 10 s (Pro/Enterprise 190): raise with `limits`.
    limits: { callsPerWindow: 100, windowMs: 10_000, concurrency: 8, dailyQuota: 250_000 },
    docsUrl: 'https://developers.hubspot.com/docs/reference/api/marketing/emails/marketing-emails',
  },
  config: HubSpotConfigSchema,
  create: (ctx) => new HubSpot(ctx),
});
