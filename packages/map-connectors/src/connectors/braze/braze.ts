import {
  HubspokeError,
  type CallOptions,
  type CampaignMetrics,
  type CheckResult,
  type MetricsQuery,
  type PushEmailInput,
  type PushResult,
  type PushTemplateInput,
  type SendTestInput,
  type SendTestResult,
  type UploadAssetResult,
} from '@hubspoke/core';
import { z } from 'zod';
import { bearerAuth } from '../../sdk/http/auth.js';
import { defineConnector, type AssetUpload, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import { paginate } from '../../sdk/http/paginate.js';
import { assetName, type RemoteAsset } from '../../sdk/publish/publish.js';
import { expectBody } from '../../sdk/http/response.js';

export const BrazeConfigSchema = z
  .object({
    /** A REST API key with `templates.email.create`, `.update`, `.list`, `campaigns.list`, `campaigns.details` and `campaigns.data_series` (plus `messages.send` for test sends, `media_library.create` for uploads). */
    apiKey: z.string().min(1),
    /** The instance's REST endpoint, e.g. `https://rest.iad-01.braze.com`. */
    restEndpoint: z.url({ protocol: /^https?$/ }),
    /** Test sends: the API identifier of the app (workspace) that sends email (the email object's required `app_id`). */
    testSendAppId: z.string().min(1).optional(),
    /** Test sends: the sender, `Display Name <address@example.com>` (the email object's required `from`). */
    testSendFrom: z
      .string()
      .regex(/^[^<>]+ <[^<>\s@]+@[^<>\s@]+>$/, 'expected "Display Name <address@example.com>"')
      .optional(),
    /** Test sends: the user-alias label seed users carry, each with its address as the alias name. */
    testSendAliasLabel: z.string().min(1).default('hubspoke_seed'),
  })
  .strict();
export type BrazeConfig = z.output<typeof BrazeConfigSchema>;

const MAX_BODY_BYTES = 400 * 1024;

/** Braze signals limits with 429 and `X-RateLimit-*` headers (`-Reset` in epoch seconds). */
export function classifyBraze(input: ClassifyInput): Verdict {
  const message = (input.body as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : undefined;
  if (input.status === 401) return { kind: 'fail', code: 'E_AUTH', reason: text ?? 'invalid API key' };
  if (input.status === 429) return { kind: 'rate-limited', reason: text ?? 'HTTP 429', pause: true };
  return classifyStatus(input, text);
}

const ListSchema = z
  .object({ templates: z.array(z.object({ email_template_id: z.string(), template_name: z.string() }).loose()) })
  .loose();
const Counts = z.object({
  sent: z.number().default(0),
  opens: z.number().default(0),
  unique_opens: z.number().default(0),
  clicks: z.number().default(0),
  unique_clicks: z.number().default(0),
  unsubscribes: z.number().default(0),
  bounces: z.number().default(0),
  delivered: z.number().default(0),
  reported_spam: z.number().default(0),
});
const SeriesSchema = z
  .object({
    data: z.array(
      z
        .object({
          time: z.string(),
          conversions: z.number().default(0),
          revenue: z.number().default(0),
          messages: z
            .object({ email: z.array(Counts.loose()).default([]) })
            .loose()
            .default({ email: [] }),
        })
        .loose(),
    ),
  })
  .loose();

const DetailsSchema = z
  .object({
    messages: z.record(z.string(), z.object({ channel: z.string(), body: z.string().optional() }).loose()).default({}),
  })
  .loose();
const CampaignListSchema = z.object({ campaigns: z.array(z.object({ id: z.string() }).loose()).default([]) }).loose();

const MediaSchema = z
  .object({
    new_assets: z.array(z.object({ name: z.string().optional(), url: z.string() }).loose()).default([]),
    errors: z.array(z.object({ name: z.string().optional(), error: z.string().optional() }).loose()).default([]),
  })
  .loose();
/** The media library takes GIF, JPEG, PNG and WebP images up to 5 MB (endpoint page, supported file types). */
const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

const DispatchSchema = z.object({ dispatch_id: z.string().optional() }).loose();

const MARKER = /<meta name="hubspoke-source" content="([^"]{1,700})">/;
const attribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const unattribute = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/**
 * Braze campaigns copy a template's body and never name the template, so a pushed email
 * carries its publish key in a `<meta name="hubspoke-source">` tag (in the head, not shown)
 * that metrics read back from `campaigns/details`.
 */
export function withSourceMarker(html: string, key: { sourceId: string; version: number; locale: string }): string {
  const tag = `<meta name="hubspoke-source" content="${attribute(JSON.stringify([key.sourceId, key.version, key.locale]))}">`;
  const head = /<head\b[^>]*>/i.exec(html);
  return head === null
    ? `${tag}${html}`
    : `${html.slice(0, head.index + head[0].length)}${tag}${html.slice(head.index + head[0].length)}`;
}

/** The publish key a body's marker names, if it has a well-formed one. */
export function readSourceMarker(body: string): { sourceId: string; version: number; locale: string } | undefined {
  const found = MARKER.exec(body)?.[1];
  if (found === undefined) return undefined;
  try {
    const [sourceId, version, locale] = JSON.parse(unattribute(found)) as unknown[];
    return typeof sourceId === 'string' && typeof version === 'number' && typeof locale === 'string'
      ? { sourceId, version, locale }
      : undefined;
  } catch {
    return undefined;
  }
}

class Braze {
  private readonly api: HttpClient;

  constructor(private readonly ctx: ConnectorContext<BrazeConfig>) {
    this.api = ctx.http({
      baseUrl: ctx.config.restEndpoint,
      classify: classifyBraze,
      auth: bearerAuth(ctx.config.apiKey),
    });
  }

  async check({ signal }: CallOptions): Promise<CheckResult> {
    await this.api.send(
      {
        method: 'GET',
        url: '/templates/email/list',
        query: { limit: 1 },
        operation: 'listTemplates',
        dryRunBody: { templates: [] },
      },
      signal,
    );
    return { ok: true, message: `Connected to Braze at ${new URL(this.ctx.config.restEndpoint).host}` };
  }

  /** Email content lives in Braze email templates; both pushes create or update one. */
  private async upsert(
    kind: 'email' | 'template',
    key: { sourceId: string; version: number; locale: string },
    name: string,
    content: { subject: string; body: string; plaintext_body?: string; preheader?: string },
    contentHash: string | undefined,
    signal?: AbortSignal,
  ): Promise<PushResult> {
    if (Buffer.byteLength(content.body, 'utf8') > MAX_BODY_BYTES)
      throw new HubspokeError(
        'E_VALIDATION',
        `email.html: Braze accepts at most 400 KB, got ${Buffer.byteLength(content.body, 'utf8')} bytes`,
        { path: 'email.html' },
      );
    return this.ctx.publish(
      {
        key: { kind, ...key },
        signal,
        name,
        ...(contentHash === undefined ? {} : { contentHash }),
        create: async () => {
          const res = await this.api.send(
            {
              method: 'POST',
              url: '/templates/email/create',
              operation: 'createTemplate',
              json: { template_name: name, ...content, should_inline_css: false },
              dryRunBody: { email_template_id: 'dry-run' },
            },
            signal,
          );
          return {
            id: expectBody(z.object({ email_template_id: z.string() }).loose(), res.body, 'Braze createTemplate')
              .email_template_id,
          };
        },
        update: async (id) => {
          await this.api.send(
            {
              method: 'POST',
              url: '/templates/email/update',
              operation: 'updateTemplate',
              idempotent: true,
              json: { email_template_id: id, template_name: name, ...content },
            },
            signal,
          );
          return undefined;
        },
        find: (n) => this.findByName(n, signal),
      },
      this.api,
    );
  }

  private async findByName(name: string, signal?: AbortSignal): Promise<RemoteAsset | undefined> {
    const limit = 1000;
    // Braze rejects offset=0, so the first page goes without one.
    const templates = paginate<z.output<typeof ListSchema>['templates'][number], number>(0, async (offset) => {
      const res = await this.api.send(
        {
          method: 'GET',
          url: '/templates/email/list',
          query: { limit, ...(offset > 0 ? { offset } : {}) },
          operation: 'listTemplates',
          dryRunBody: { templates: [] },
        },
        signal,
      );
      const page = expectBody(ListSchema, res.body, 'Braze listTemplates').templates;
      return { items: page, next: page.length === limit ? offset + limit : undefined };
    });
    for await (const template of templates)
      if (template.template_name === name) return { id: template.email_template_id };
    return undefined;
  }

  pushEmail(input: PushEmailInput, { signal }: CallOptions): Promise<PushResult> {
    const key = { sourceId: input.draftId, version: input.draftVersion, locale: input.locale };
    const { subject, html, text, preheader } = input.email;
    return this.upsert(
      'email',
      key,
      assetName(input.name, key),
      { subject, body: withSourceMarker(html, key), plaintext_body: text, preheader },
      input.email.contentHash,
      signal,
    );
  }

  pushTemplate(input: PushTemplateInput, { signal }: CallOptions): Promise<PushResult> {
    const key = { sourceId: input.templateId, version: input.templateVersion, locale: '' };
    const name = assetName(input.name, key);
    return this.upsert('template', key, name, { subject: input.name, body: input.html }, undefined, signal);
  }

  /**
   * Sends the pushed email template to the seed users (`/messages/send`, one request for up to
   * 50 seeds). Braze sends to user profiles, never to bare addresses, so each seed must exist as
   * a user with the alias `{ alias_label: testSendAliasLabel, alias_name: <address> }`.
   */
  async sendTest(input: SendTestInput, { signal }: CallOptions): Promise<SendTestResult> {
    const { testSendAppId, testSendFrom, testSendAliasLabel } = this.ctx.config;
    for (const [key, value] of [
      ['testSendAppId', testSendAppId],
      ['testSendFrom', testSendFrom],
    ] as const)
      if (value === undefined)
        throw new HubspokeError(
          'E_VALIDATION',
          `config.${key}: Braze test sends need ${key === 'testSendAppId' ? "the sending app's API identifier" : 'a sender ("Name <address>")'}`,
          { path: `config.${key}` },
        );
    const { remoteId } = await this.ctx.pushedEmail(input);
    const res = await this.api.send(
      {
        method: 'POST',
        url: '/messages/send',
        operation: 'sendMessages',
        json: {
          user_aliases: input.recipients.map((address) => ({ alias_name: address, alias_label: testSendAliasLabel })),
          messages: { email: { app_id: testSendAppId, from: testSendFrom, email_template_id: remoteId } },
        },
        dryRunBody: { dispatch_id: 'dry-run', message: 'success' },
      },
      signal,
    );
    const dispatch = expectBody(DispatchSchema, res.body, 'Braze messages/send').dispatch_id;
    return { remoteId, sent: [...input.recipients], ...(dispatch === undefined ? {} : { messageIds: [dispatch] }) };
  }

  /**
   * Uploads an image into the media library (`/media_library/create`, multipart `asset_file`
   * and `name`), once per SHA-256; answers the hosted URL (`new_assets[0].url`). Braze
   * documents no media library listing, so a create whose answer was lost cannot be found
   * again by name: the next upload creates another copy.
   */
  async uploadAsset(input: AssetUpload, { signal }: CallOptions): Promise<UploadAssetResult> {
    if (input.bytes.length > MAX_MEDIA_BYTES)
      throw new HubspokeError(
        'E_VALIDATION',
        `asset.data: the Braze media library takes images up to 5 MB, got ${input.bytes.length} bytes`,
        { path: 'asset.data' },
      );
    const name = `hubspoke-${input.sha256.slice(0, 16)}-${input.name}`.slice(0, 200);
    const result = await this.ctx.publish(
      {
        key: { kind: 'asset', sourceId: input.sha256, version: 1, locale: '' },
        signal,
        name,
        create: async () => {
          const res = await this.api.send(
            {
              method: 'POST',
              url: '/media_library/create',
              operation: 'createMediaLibraryAsset',
              multipart: [
                { name: 'asset_file', value: input.bytes, filename: name, contentType: input.contentType },
                { name: 'name', value: name },
              ],
              dryRunBody: { new_assets: [{ name, url: 'https://dry-run.invalid/' }] },
            },
            signal,
          );
          const body = expectBody(MediaSchema, res.body, 'Braze media_library/create');
          const asset = body.new_assets[0];
          if (asset === undefined)
            throw new HubspokeError(
              'E_UPSTREAM',
              `Braze did not store ${name}: ${body.errors.map((e) => e.error ?? 'unknown error').join('; ') || 'no asset in the answer'}`,
              { details: { connector: 'braze', operation: 'createMediaLibraryAsset' } },
            );
          // The media library answers no asset id; its URL identifies the asset.
          return { id: asset.url, url: asset.url };
        },
        update: () => Promise.resolve(undefined),
        find: () => Promise.resolve(undefined),
      },
      this.api,
    );
    return {
      remoteId: result.remoteId,
      url: result.url ?? result.remoteId,
      sha256: input.sha256,
      created: result.created,
    };
  }

  /** Every campaign id, page by page (100 per page). */
  private async *campaignIds(signal?: AbortSignal): AsyncGenerator<string> {
    for (let page = 0; ; page++) {
      const res = await this.api.send(
        {
          method: 'GET',
          url: '/campaigns/list',
          query: { page },
          operation: 'listCampaigns',
          dryRunBody: { campaigns: [] },
        },
        signal,
      );
      const campaigns = expectBody(CampaignListSchema, res.body, 'Braze campaigns/list').campaigns;
      for (const campaign of campaigns) yield campaign.id;
      if (campaigns.length < 100) return;
    }
  }

  /** The draft a campaign's email was pushed from, when one of its email messages carries a marker this store knows. */
  private async pushedDraft(campaignId: string, signal?: AbortSignal) {
    const res = await this.api.send(
      {
        method: 'GET',
        url: '/campaigns/details',
        query: { campaign_id: campaignId },
        operation: 'campaignDetails',
        dryRunBody: { messages: {} },
      },
      signal,
    );
    for (const message of Object.values(expectBody(DetailsSchema, res.body, 'Braze campaigns/details').messages)) {
      const key =
        message.channel === 'email' && message.body !== undefined ? readSourceMarker(message.body) : undefined;
      if (key === undefined) continue;
      const record = await this.ctx.store.get({ connector: this.ctx.instance, kind: 'email', ...key });
      if (record !== undefined) return record;
    }
    return undefined;
  }

  /**
   * Daily email counts per campaign (`campaigns/data_series`, variants summed). A campaign
   * whose email carries a pushed draft's marker reports under that draft and version; without
   * `campaignIds`, every campaign is looked at and only those are reported.
   */
  async *pullMetrics(query: MetricsQuery, { signal }: CallOptions): AsyncIterable<CampaignMetrics> {
    const since = Date.parse(query.since);
    const until = Date.parse(query.until);
    const ids: AsyncIterable<string> | string[] = query.campaignIds ?? this.campaignIds(signal);
    for await (const brazeId of ids) {
      const draft = await this.pushedDraft(brazeId, signal);
      if (draft === undefined && query.campaignIds === undefined) continue;
      const campaign =
        draft === undefined
          ? { campaignId: `braze-${brazeId}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128) }
          : { campaignId: draft.sourceId, locale: draft.locale };
      // data_series covers at most 100 days ending at `ending_at`.
      for (let end = until; end > since; end -= 100 * 86_400_000) {
        const days = Math.min(100, Math.max(1, Math.ceil((end - since) / 86_400_000)));
        const res = await this.api.send(
          {
            method: 'GET',
            url: '/campaigns/data_series',
            query: { campaign_id: brazeId, length: days, ending_at: new Date(end).toISOString() },
            operation: 'campaignDataSeries',
            dryRunBody: { data: [] },
          },
          signal,
        );
        for (const point of expectBody(SeriesSchema, res.body, 'Braze campaigns/data_series').data) {
          const at = Date.parse(point.time);
          if (!(at >= since && at < until)) continue;
          const sum = (field: keyof z.output<typeof Counts>) =>
            point.messages.email.reduce((total, variant) => total + variant[field], 0);
          yield {
            ...campaign,
            date: new Date(at).toISOString().slice(0, 10),
            platform: 'braze',
            dimensions: {
              remoteId: brazeId.slice(0, 200),
              ...(draft === undefined ? {} : { draftVersion: String(draft.version) }),
            },
            sent: sum('sent'),
            delivered: sum('delivered'),
            hardBounces: sum('bounces'),
            softBounces: 0,
            uniqueOpens: sum('unique_opens'),
            totalOpens: sum('opens'),
            machineOpens: 0,
            uniqueClicks: sum('unique_clicks'),
            totalClicks: sum('clicks'),
            unsubscribes: sum('unsubscribes'),
            complaints: sum('reported_spam'),
            conversions: point.conversions,
            revenue: point.revenue,
            cost: 0,
          };
        }
      }
    }
  }
}

/** Braze: email templates (create/update) and campaign data series for metrics. */
export const braze = defineConnector({
  manifest: {
    id: 'braze',
    name: 'Braze',
    version: '0.1.0',
    kind: 'map',
    description: 'Publishes emails and templates as Braze email templates; pulls daily campaign email metrics.',
    secrets: ['apiKey'],
    capabilities: ['check', 'pushTemplate', 'pushEmail', 'pullMetrics', 'sendTest', 'uploadAsset'],
    tokenDialect: 'braze',
    // 250,000 requests per hour per workspace for most endpoints.
    limits: { callsPerWindow: 250_000, windowMs: 3_600_000, concurrency: 8, maxPayloadBytes: MAX_BODY_BYTES },
    docsUrl: 'https://www.braze.com/docs/api/endpoints/templates/email_templates/post_create_email_template/',
  },
  config: BrazeConfigSchema,
  create: (ctx) => new Braze(ctx),
});
