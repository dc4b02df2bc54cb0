import {
  HubspokeError,
  isHubspokeError,
  type CallOptions,
  type CampaignMetrics,
  type CheckResult,
  type MetricsQuery,
  type PushEmailInput,
  type PushResult,
  type SendTestInput,
  type SendTestResult,
  type UploadAssetResult,
} from '@hubspoke/core';
import { XMLParser } from 'fast-xml-parser';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TokenCache } from '../../sdk/http/auth.js';
import { defineConnector, type AssetUpload, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import { aliasNamespace } from '../../sdk/metrics.js';
import { assetName, type RemoteAsset } from '../../sdk/publish/publish.js';
import { expectBody } from '../../sdk/http/response.js';

export const SfmcConfigSchema = z
  .object({
    /** The tenant subdomain from the installed package, e.g. `mc563885gzs27c5t9-63k636ttgm`. */
    subdomain: z.string().regex(/^[a-z0-9-]+$/i),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Business unit MID (`account_id`), when the package spans several. */
    accountId: z.string().regex(/^\d+$/).optional(),
    /** Content Builder folder (category) for emails. */
    categoryId: z.number().int().positive(),
    /** Override the auth base URL (default `https://<subdomain>.auth.marketingcloudapis.com/`). */
    authBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Test sends: the external key of the list the transactional send definition uses (seeds are added to it by their address). */
    testSendList: z.string().min(1).default('All Subscribers'),
    /** Test sends: the external key of a transactional send classification (default: the account's Default Transactional). */
    testSendClassification: z.string().min(1).optional(),
  })
  .strict();
export type SfmcConfig = z.output<typeof SfmcConfigSchema>;

const xml = new XMLParser({ removeNSPrefix: true, parseTagValue: false });

/**
 * SFMC: REST 401 means the token expired; 429 carries `errorcode` 50100 (with `Retry-After`)
 * or 50200 (temporarily blocked); SOAP faults arrive as HTTP 500 with a `faultstring`.
 */
export function classifySfmc(input: ClassifyInput): Verdict {
  if (typeof input.body === 'string' && input.body.includes('Fault>')) {
    const fault = /<faultstring>([^<]*)<\/faultstring>/.exec(input.body)?.[1] ?? 'SOAP fault';
    if (/login failed|token expired|not authorized/i.test(fault)) return { kind: 'reauth', reason: fault };
    return { kind: 'retry', reason: fault };
  }
  const body = input.body as
    | {
        message?: unknown;
        errorcode?: unknown;
        validationErrors?: { message?: unknown }[];
        error?: unknown;
        error_description?: unknown;
      }
    | undefined;
  const details = body?.validationErrors?.map((e) => (typeof e.message === 'string' ? e.message : '')).join('; ');
  const message = [body?.message, body?.error_description, details]
    .filter((m): m is string => typeof m === 'string' && m !== '')
    .join(': ');
  const code =
    typeof body?.errorcode === 'number' || typeof body?.errorcode === 'string' ? String(body.errorcode) : undefined;
  if (input.status === 429)
    return {
      kind: 'rate-limited',
      reason: message || 'HTTP 429',
      ...(code === undefined ? {} : { vendorCode: code }),
      pause: code === '50200',
    };
  if (input.status === 400 && /already (in use|exists)/i.test(message))
    return { kind: 'fail', code: 'E_CONFLICT', reason: message, ...(code === undefined ? {} : { vendorCode: code }) };
  return classifyStatus(input, message);
}

const TokenSchema = z
  .object({
    access_token: z.string().min(1),
    expires_in: z.number(),
    rest_instance_url: z.url(),
    soap_instance_url: z.url(),
  })
  .loose();
const Legacy = z.object({ legacyId: z.number() }).loose().optional();
const FileAssetSchema = z
  .object({ id: z.number(), fileProperties: z.object({ publishedURL: z.string() }).loose() })
  .loose();
/** Content Builder asset types for images (base asset types: gif 20, jpeg 22, png 28); WebP has none. */
const IMAGE_TYPES: Partial<Record<AssetUpload['contentType'], { name: string; id: number }>> = {
  'image/gif': { name: 'gif', id: 20 },
  'image/jpeg': { name: 'jpeg', id: 22 },
  'image/png': { name: 'png', id: 28 },
};
const AssetSchema = z.object({ id: z.number(), legacyData: Legacy }).loose();
const QuerySchema = z
  .object({
    items: z
      .array(
        z
          .object({
            id: z.number(),
            name: z.string(),
            legacyData: Legacy,
            fileProperties: z.object({ publishedURL: z.string() }).loose().optional(),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();
const MessagesSchema = z
  .object({
    responses: z
      .array(z.object({ messageKey: z.string().optional(), recipientSendId: z.string().optional() }).loose())
      .default([]),
  })
  .loose();
const SEND_FIELDS = [
  'ID',
  'Email.ID',
  'EmailName',
  'SendDate',
  'NumberSent',
  'NumberDelivered',
  'UniqueOpens',
  'UniqueClicks',
  'HardBounces',
  'SoftBounces',
  'Unsubscribes',
] as const;

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

class Sfmc {
  private readonly api: HttpClient;
  private readonly auth: TokenCache;
  private readonly identity: HttpClient;
  private instance = { rest: '', soap: '' };

  constructor(private readonly ctx: ConnectorContext<SfmcConfig>) {
    this.identity = ctx.http({
      baseUrl: ctx.config.authBaseUrl ?? `https://${ctx.config.subdomain}.auth.marketingcloudapis.com/`,
      classify: classifySfmc,
    });
    this.auth = new TokenCache((signal) => this.fetchToken(signal), { redactor: ctx.redactor, now: () => ctx.now() });
    this.api = ctx.http({ classify: classifySfmc, auth: this.auth });
  }

  private async fetchToken(signal?: AbortSignal) {
    const { clientId, clientSecret, accountId } = this.ctx.config;
    const res = await this.identity.send(
      {
        method: 'POST',
        url: 'v2/token',
        operation: 'token',
        auth: false,
        idempotent: true,
        json: {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          ...(accountId === undefined ? {} : { account_id: accountId }),
        },
        dryRunBody: {
          access_token: 'dry-run-token',
          expires_in: 1079,
          rest_instance_url: 'https://dry-run.rest.invalid/',
          soap_instance_url: 'https://dry-run.soap.invalid/',
        },
      },
      signal,
    );
    const token = expectBody(TokenSchema, res.body, 'SFMC token');
    this.instance = { rest: token.rest_instance_url, soap: token.soap_instance_url };
    return { accessToken: token.access_token, expiresIn: token.expires_in };
  }

  /** REST URLs come from the token response (`rest_instance_url`). */
  private async rest(path: string, signal?: AbortSignal): Promise<string> {
    await this.auth.get(signal);
    return new URL(path, this.instance.rest).toString();
  }

  async check({ signal }: CallOptions): Promise<CheckResult> {
    await this.auth.get(signal);
    return { ok: true, message: `Connected to Marketing Cloud (${new URL(this.instance.rest).host})` };
  }

  /** A deterministic Content Builder `customerKey` (≤36 characters) per published key. */
  private customerKey(key: { sourceId: string; version: number; locale: string }): string {
    return `hs-${createHash('sha256')
      .update(JSON.stringify([this.ctx.instance, key.sourceId, key.version, key.locale]))
      .digest('hex')
      .slice(0, 32)}`;
  }

  async pushEmail(input: PushEmailInput, { signal }: CallOptions): Promise<PushResult> {
    const key = { sourceId: input.draftId, version: input.draftVersion, locale: input.locale };
    const name = assetName(input.name, key, 200);
    // The asset contract (the SDK OpenAPI file) requires customerKey, name, description and assetType on create and patch.
    const asset = {
      name,
      customerKey: this.customerKey(key),
      description: `Published by Hubspoke: ${input.draftId} v${input.draftVersion} ${input.locale}`,
      category: { id: this.ctx.config.categoryId },
      assetType: { name: 'htmlemail', id: 208 },
      views: {
        html: { content: input.email.html },
        text: { content: input.email.text },
        subjectline: { content: input.email.subject },
        preheader: { content: input.email.preheader },
      },
      data: { email: { options: { characterEncoding: 'utf-8' } } },
    };
    // Sends name the classic email id (legacyData.legacyId), not the asset id: keep both.
    let legacyId: number | undefined;
    const result = await this.ctx.publish(
      {
        key: { kind: 'email', ...key },
        signal,
        name,
        contentHash: input.email.contentHash,
        create: async () => {
          const res = await this.api.send(
            {
              method: 'POST',
              url: await this.rest('asset/v1/content/assets', signal),
              operation: 'createAsset',
              json: asset,
              dryRunBody: { id: 0 },
            },
            signal,
          );
          const created = expectBody(AssetSchema, res.body, 'SFMC createAsset');
          legacyId = created.legacyData?.legacyId;
          return { id: String(created.id) };
        },
        update: async (id) => {
          await this.api.send(
            {
              method: 'PATCH',
              url: await this.rest(`asset/v1/content/assets/${id}`, signal),
              operation: 'updateAsset',
              idempotent: true,
              json: asset,
            },
            signal,
          );
          return undefined;
        },
        find: async (n) => {
          const found = await this.findByName(n, signal);
          legacyId = found?.legacyId;
          return found;
        },
      },
      this.api,
    );
    if (legacyId !== undefined && this.ctx.dryRun === undefined)
      await this.ctx.store.put({
        connector: aliasNamespace(this.ctx.instance, 'legacy-email'),
        kind: 'email',
        ...key,
        remoteId: String(legacyId),
        updatedAt: new Date(this.ctx.now()).toISOString(),
      });
    return result;
  }

  /**
   * Test-sends a pushed email through the Transactional Messaging API: a send definition per
   * pushed email (`hubspoke-test-<customerKey>`, refreshed with PATCH so it sends the current
   * content, created on first use) and one `messages` request with a recipient per seed
   * (contact key = the address). Salesforce documents no REST test send for Content Builder
   * emails; this is a real transactional send, to the seeds only.
   */
  async sendTest(input: SendTestInput, { signal }: CallOptions): Promise<SendTestResult> {
    const { remoteId } = await this.ctx.pushedEmail(input);
    const customerKey = this.customerKey({
      sourceId: input.draftId,
      version: input.draftVersion,
      locale: input.locale,
    });
    const definitionKey = `hubspoke-test-${customerKey}`;
    const definition = {
      name: `Hubspoke test ${customerKey}`,
      description: `Hubspoke test sends of ${input.draftId} v${input.draftVersion} ${input.locale}`.slice(0, 200),
      status: 'Active',
      content: { customerKey },
      subscriptions: { list: this.ctx.config.testSendList, autoAddSubscriber: true, updateSubscriber: false },
      options: { trackLinks: false },
      ...(this.ctx.config.testSendClassification === undefined
        ? {}
        : { classification: this.ctx.config.testSendClassification }),
    };
    try {
      await this.api.send(
        {
          method: 'PATCH',
          url: await this.rest(`messaging/v1/email/definitions/${encodeURIComponent(definitionKey)}`, signal),
          operation: 'updateSendDefinition',
          idempotent: true,
          json: definition,
          dryRunBody: {},
        },
        signal,
      );
    } catch (error) {
      if (!isHubspokeError(error, 'E_NOT_FOUND')) throw error;
      await this.api.send(
        {
          method: 'POST',
          url: await this.rest('messaging/v1/email/definitions/', signal),
          operation: 'createSendDefinition',
          json: { definitionKey, ...definition },
          dryRunBody: {},
        },
        signal,
      );
    }
    const batch = randomUUID();
    const res = await this.api.send(
      {
        method: 'POST',
        url: await this.rest('messaging/v1/email/messages/', signal),
        operation: 'sendTestMessages',
        json: {
          definitionKey,
          recipients: input.recipients.map((address, index) => ({
            contactKey: address,
            to: address,
            messageKey: `hubspoke-test-${batch}-${index}`,
          })),
        },
        dryRunBody: { responses: [] },
      },
      signal,
    );
    const messageIds = expectBody(MessagesSchema, res.body, 'SFMC transactional messages').responses.flatMap((r) =>
      r.messageKey === undefined ? [] : [r.messageKey],
    );
    return { remoteId, sent: [...input.recipients], messageIds };
  }

  /** Uploads an image into Content Builder (base64 `file`), once per SHA-256; answers its published URL. */
  async uploadAsset(input: AssetUpload, { signal }: CallOptions): Promise<UploadAssetResult> {
    const assetType = IMAGE_TYPES[input.contentType];
    if (assetType === undefined)
      throw new HubspokeError(
        'E_UNSUPPORTED',
        `asset.contentType: Content Builder has no asset type for ${input.contentType}`,
        {
          path: 'asset.contentType',
        },
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
              url: await this.rest('asset/v1/content/assets', signal),
              operation: 'uploadImage',
              json: {
                name,
                customerKey: `hs-img-${input.sha256.slice(0, 29)}`,
                description: `Uploaded by Hubspoke (sha256 ${input.sha256})`,
                assetType,
                category: { id: this.ctx.config.categoryId },
                file: input.bytes.toString('base64'),
              },
              dryRunBody: { id: 0, fileProperties: { publishedURL: 'https://dry-run.invalid/' } },
            },
            signal,
          );
          const created = expectBody(FileAssetSchema, res.body, 'SFMC uploadImage');
          return { id: String(created.id), url: created.fileProperties.publishedURL };
        },
        update: () => Promise.resolve(undefined),
        find: async (n) => {
          const found = await this.findByName(n, signal);
          return found === undefined
            ? undefined
            : { id: found.id, ...(found.url === undefined ? {} : { url: found.url }) };
        },
      },
      this.api,
    );
    return { remoteId: result.remoteId, url: result.url ?? '', sha256: input.sha256, created: result.created };
  }

  private async findByName(
    name: string,
    signal?: AbortSignal,
  ): Promise<(RemoteAsset & { legacyId?: number }) | undefined> {
    const res = await this.api.send(
      {
        method: 'POST',
        url: await this.rest('asset/v1/content/assets/query', signal),
        operation: 'queryAssets',
        idempotent: true,
        json: { query: { property: 'name', simpleOperator: 'equal', value: name } },
        dryRunBody: { items: [] },
      },
      signal,
    );
    const found = expectBody(QuerySchema, res.body, 'SFMC queryAssets').items.find((a) => a.name === name);
    if (found === undefined) return undefined;
    const legacy = found.legacyData?.legacyId;
    const url = found.fileProperties?.publishedURL;
    return {
      id: String(found.id),
      ...(legacy === undefined ? {} : { legacyId: legacy }),
      ...(url === undefined ? {} : { url }),
    };
  }

  private envelope(token: string, retrieve: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Header><fueloauth xmlns="http://exacttarget.com">${escapeXml(token)}</fueloauth></s:Header><s:Body><RetrieveRequestMsg xmlns="http://exacttarget.com/wsdl/partnerAPI"><RetrieveRequest>${retrieve}</RetrieveRequest></RetrieveRequestMsg></s:Body></s:Envelope>`;
  }

  /** One SOAP Retrieve; the token travels in the envelope, so an expired one is replaced here and the call repeated once. */
  private async retrieve(
    retrieve: string,
    operation: string,
    signal?: AbortSignal,
    retried = false,
  ): Promise<{ body: unknown; dryRun: boolean }> {
    const token = await this.auth.get(signal);
    try {
      return await this.api.send(
        {
          method: 'POST',
          url: new URL('Service.asmx', this.instance.soap).toString(),
          operation,
          auth: false,
          idempotent: true,
          headers: { SOAPAction: 'Retrieve' },
          text: { body: this.envelope(token, retrieve), contentType: 'text/xml; charset=utf-8' },
          responseType: 'text',
          dryRunBody: '',
        },
        signal,
      );
    } catch (error) {
      if (retried || !isHubspokeError(error, 'E_AUTH')) throw error;
      this.auth.invalidate({ Authorization: `Bearer ${token}` });
      return this.retrieve(retrieve, operation, signal, true);
    }
  }

  /** Every result of a Retrieve, page by page, following `MoreDataAvailable`. */
  private async *retrieveAll(
    first: string,
    operation: string,
    signal?: AbortSignal,
  ): AsyncGenerator<Record<string, unknown>> {
    let retrieve: string | undefined = first;
    while (retrieve !== undefined) {
      const res = await this.retrieve(retrieve, operation, signal);
      if (res.dryRun) return;
      const doc = xml.parse(String(res.body)) as {
        Envelope?: {
          Body?: { RetrieveResponseMsg?: { OverallStatus?: string; RequestID?: string; Results?: unknown } };
        };
      };
      const msg = doc.Envelope?.Body?.RetrieveResponseMsg;
      if (msg === undefined)
        throw new HubspokeError('E_UPSTREAM', 'Unexpected response from SFMC Retrieve: no RetrieveResponseMsg');
      if (msg.OverallStatus !== 'OK' && msg.OverallStatus !== 'MoreDataAvailable')
        throw new HubspokeError('E_UPSTREAM', `SFMC Retrieve answered ${String(msg.OverallStatus)}`);
      const results = (
        Array.isArray(msg.Results) ? msg.Results : msg.Results === undefined ? [] : [msg.Results]
      ) as Record<string, unknown>[];
      yield* results;
      retrieve =
        msg.OverallStatus === 'MoreDataAvailable' && msg.RequestID !== undefined
          ? `<ContinueRequest>${escapeXml(msg.RequestID)}</ContinueRequest>`
          : undefined;
    }
  }

  /** Counts a send's tracking events (`OpenEvent`, `ClickEvent`): the Send summary has only unique counts. */
  private async countEvents(type: 'OpenEvent' | 'ClickEvent', sendId: string, signal?: AbortSignal): Promise<number> {
    const request = `<ObjectType>${type}</ObjectType><Properties>SendID</Properties><Properties>SubscriberKey</Properties><Filter xsi:type="SimpleFilterPart"><Property>SendID</Property><SimpleOperator>equals</SimpleOperator><Value>${escapeXml(sendId)}</Value></Filter>`;
    let count = 0;
    for await (const _event of this.retrieveAll(request, `retrieve${type}s`, signal)) count++;
    return count;
  }

  /**
   * Tracking summaries: SOAP `Retrieve` of the `Send` objects in the range (unique counts),
   * plus their `OpenEvent` and `ClickEvent` rows for total opens and clicks. A send whose
   * email (`Email.ID`, the asset's classic id) was pushed here reports under its draft.
   */
  async *pullMetrics(query: MetricsQuery, { signal }: CallOptions): AsyncIterable<CampaignMetrics> {
    const wanted = query.campaignIds === undefined ? undefined : new Set(query.campaignIds);
    const first = `<ObjectType>Send</ObjectType>${SEND_FIELDS.map((f) => `<Properties>${f}</Properties>`).join('')}<Filter xsi:type="SimpleFilterPart"><Property>SendDate</Property><SimpleOperator>between</SimpleOperator><DateValue>${escapeXml(query.since)}</DateValue><DateValue>${escapeXml(query.until)}</DateValue></Filter>`;
    for await (const send of this.retrieveAll(first, 'retrieveSends', signal)) {
      const text = (field: string) => (typeof send[field] === 'string' ? send[field] : undefined);
      const id = text('ID') ?? '';
      if (id === '') continue;
      const email = send.Email as { ID?: unknown } | undefined;
      const emailId = typeof email?.ID === 'string' ? email.ID : '';
      const published =
        emailId === ''
          ? undefined
          : await this.ctx.store.findByRemoteId(aliasNamespace(this.ctx.instance, 'legacy-email'), 'email', emailId);
      const campaignId = published?.sourceId ?? `sfmc-send-${id}`.replace(/[^A-Za-z0-9_.-]/g, '_');
      if (wanted !== undefined && !wanted.has(id) && !wanted.has(campaignId)) continue;
      const n = (field: string) => {
        const value = Number(text(field) ?? 0);
        return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
      };
      const emailName = text('EmailName');
      const sendDate = text('SendDate');
      yield {
        campaignId,
        platform: 'sfmc',
        ...(published === undefined ? {} : { locale: published.locale }),
        dimensions: {
          remoteId: id.slice(0, 200),
          ...(published === undefined ? {} : { draftVersion: String(published.version) }),
          ...(emailName === undefined ? {} : { emailName: emailName.slice(0, 200) }),
        },
        ...(sendDate === undefined ? {} : { date: sendDate.slice(0, 10) }),
        sent: n('NumberSent'),
        delivered: n('NumberDelivered'),
        hardBounces: n('HardBounces'),
        softBounces: n('SoftBounces'),
        uniqueOpens: n('UniqueOpens'),
        totalOpens: await this.countEvents('OpenEvent', id, signal),
        machineOpens: 0,
        uniqueClicks: n('UniqueClicks'),
        totalClicks: await this.countEvents('ClickEvent', id, signal),
        unsubscribes: n('Unsubscribes'),
        complaints: 0,
        conversions: 0,
        revenue: 0,
        cost: 0,
      };
    }
  }
}

/** Salesforce Marketing Cloud: `v2/token`, Content Builder `htmlemail` assets, Send tracking summaries. */
export const sfmc = defineConnector({
  manifest: {
    id: 'sfmc',
    name: 'Salesforce Marketing Cloud',
    version: '0.1.0',
    kind: 'map',
    description:
      'Creates or updates Content Builder HTML emails (assetType htmlemail, 208); pulls Send tracking summaries over SOAP.',
    secrets: ['clientId', 'clientSecret'],
    // sendTest goes through the Transactional Messaging API (no REST test send exists for Content Builder emails).
    capabilities: ['check', 'pushEmail', 'pullMetrics', 'sendTest', 'uploadAsset'],
    tokenDialect: 'sfmc',
    // Load-based throttling with no published per-second figure: stay modest.
    limits: { callsPerWindow: 2500, windowMs: 60_000, concurrency: 5 },
    docsUrl: 'https://developer.salesforce.com/docs/marketing/marketing-cloud/guide/content-api.html',
  },
  config: SfmcConfigSchema,
  create: (ctx) => new Sfmc(ctx),
});
