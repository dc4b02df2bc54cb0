import {
  HubspokeError,
  MarketoScriptTokenSchema,
  parse,
  type CallOptions,
  type CampaignMetrics,
  type MarketoScriptToken,
  type MetricsQuery,
  type PushEmailInput,
  type PushResult,
  type PushTemplateInput,
  type SendTestInput,
  type SendTestResult,
  type UploadAssetResult,
} from '@hubspoke/core';
import { parse as parseCsv } from 'csv-parse';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { TokenCache } from '../../sdk/http/auth.js';
import { sleep } from '../../sdk/http/backoff.js';
import { defineConnector, type AssetUpload, type ConnectorContext } from '../../sdk/define-connector.js';
import { classifyStatus, type ClassifyInput, type HttpClient, type Verdict } from '../../sdk/http/http-client.js';
import { ActivityTally, campaignFor, isoSeconds, splitRange, type ActivityKind } from '../../sdk/metrics.js';
import { assetName, type RemoteAsset } from '../../sdk/publish/publish.js';
import { expectBody } from '../../sdk/http/response.js';

export const MarketoConfigSchema = z
  .object({
    /** REST host, e.g. `https://284-RPR-133.mktorest.com` (Munchkin id in the host). */
    baseUrl: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Where emails are created. */
    emailFolderId: z.number().int().positive(),
    emailFolderType: z.enum(['Folder', 'Program']).default('Program'),
    /** Design Studio folder for email templates. */
    templateFolderId: z.number().int().positive(),
    /** Design Studio folder for uploaded images (default: the template folder). */
    fileFolderId: z.number().int().positive().optional(),
    fromName: z.string().max(255).optional(),
    fromEmail: z.email().optional(),
    replyEmail: z.email().optional(),
    /** Approve emails and templates after pushing (Marketo needs approved templates to create emails). */
    approveEmails: z.boolean().default(false),
    /** How often to poll a bulk export's status. */
    exportPollMs: z.number().int().positive().default(5000),
  })
  .strict();

export type MarketoConfig = z.output<typeof MarketoConfigSchema>;

/** Marketo answers HTTP 200 with `success: false` and a code for nearly every failure. */
export function classifyMarketo(input: ClassifyInput): Verdict {
  if (input.status !== 200) return classifyStatus(input, vendorMessage(input.body));
  const body = input.body as { success?: unknown; errors?: { code?: unknown; message?: unknown }[] } | undefined;
  if (typeof body !== 'object' || body.success !== false) return { kind: 'ok' };
  const first = body.errors?.[0];
  const code = first?.code;
  const vendorCode = typeof code === 'string' || typeof code === 'number' ? String(code) : '';
  const reason = `${vendorCode} ${typeof first?.message === 'string' ? first.message : ''}`.trim();
  switch (vendorCode) {
    case '601':
    case '602':
      return { kind: 'reauth', reason, vendorCode };
    case '600':
      return { kind: 'fail', code: 'E_AUTH', reason, vendorCode };
    case '606':
      // Rolling 20 s window exceeded: hold every call, not just this one.
      return { kind: 'rate-limited', reason, vendorCode, pause: true };
    case '615':
      return { kind: 'rate-limited', reason, vendorCode };
    case '607':
      return {
        kind: 'rate-limited',
        reason: `${reason} (the daily quota resets at 12:00 AM CST)`,
        vendorCode,
        final: true,
      };
    case '604':
    case '608':
    case '611':
    case '713':
      return { kind: 'retry', reason, vendorCode };
    case '702':
      return { kind: 'fail', code: 'E_NOT_FOUND', reason, vendorCode };
    default:
      if (vendorCode === '709' && /already (exists|in use)|in use/i.test(reason))
        return { kind: 'fail', code: 'E_CONFLICT', reason, vendorCode };
      if (/^(7\d\d|1\d\d\d)$/.test(vendorCode)) return { kind: 'fail', code: 'E_VALIDATION', reason, vendorCode };
      return { kind: 'fail', code: 'E_UPSTREAM', reason, vendorCode };
  }
}

function vendorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 200);
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    const message = b.error_description ?? b.message ?? b.error;
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}

const ResultSchema = z
  .object({
    success: z.literal(true),
    result: z.array(z.object({ id: z.number(), url: z.string().nullish() }).loose()).default([]),
  })
  .loose();
/** `GET …/folder/{id}/tokens.json` (swagger-asset.json `ResponseOfTokenResponse`): the folder's My Tokens. */
const FolderTokensSchema = z
  .object({
    success: z.literal(true),
    result: z
      .array(
        z
          .object({
            tokens: z
              .array(z.object({ name: z.string(), type: z.string().nullish(), value: z.string().nullish() }).loose())
              .default([]),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();
const ScriptTokensSchema = z.array(MarketoScriptTokenSchema).max(100);
/** Where Adobe documents that the token API creates only date, number, rich text, score, sfdc campaign and text tokens. */
export const MARKETO_TOKEN_TYPES_URL =
  'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/assets/tokens';
const TokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number() }).loose();
const ExportSchema = z
  .object({
    success: z.literal(true),
    result: z.array(z.object({ exportId: z.string(), status: z.string() }).loose()).min(1),
  })
  .loose();
const TypesSchema = z
  .object({ success: z.literal(true), result: z.array(z.object({ id: z.number(), name: z.string() }).loose()) })
  .loose();

const EDITABLE = /class="[^"]*\b(?:mktEditable|mktoText|mktoModule|mktoContainer)\b/;
/** The editable section Hubspoke wraps the body in when the HTML has none of its own. */
export const BODY_SECTION_ID = 'hubspoke-body';

/**
 * Marketo templates need at least one editable section. Rendered HTML without one gets its
 * body wrapped in `<div class="mktEditable" id="hubspoke-body">`, which later pushes update.
 */
export function withEditableSection(html: string): { html: string; bodySection?: { inner: string } } {
  if (EDITABLE.test(html)) return { html };
  const open = /<body\b[^>]*>/i.exec(html);
  const close = html.toLowerCase().lastIndexOf('</body>');
  if (open === null || close < open.index) {
    return { html: `<div class="mktEditable" id="${BODY_SECTION_ID}">${html}</div>`, bodySection: { inner: html } };
  }
  const start = open.index + open[0].length;
  const inner = html.slice(start, close);
  return {
    html: `${html.slice(0, start)}<div class="mktEditable" id="${BODY_SECTION_ID}">${inner}</div>${html.slice(close)}`,
    bodySection: { inner },
  };
}

const ACTIVITY_NAMES: Record<string, ActivityKind> = {
  'Send Email': 'sent',
  'Email Delivered': 'delivered',
  'Email Bounced': 'hardBounce',
  'Email Bounced Soft': 'softBounce',
  'Open Email': 'open',
  'Click Email': 'click',
  'Unsubscribe Email': 'unsubscribe',
};

class Marketo {
  readonly api: HttpClient;
  private readonly identity: HttpClient;

  constructor(private readonly ctx: ConnectorContext<MarketoConfig>) {
    const base = ctx.config.baseUrl.replace(/\/+$/, '');
    this.identity = ctx.http({ baseUrl: `${base}/identity/`, classify: classifyMarketo });
    const auth = new TokenCache((signal) => this.fetchToken(signal), { redactor: ctx.redactor, now: () => ctx.now() });
    this.api = ctx.http({ baseUrl: `${base}/`, classify: classifyMarketo, auth });
  }

  private async fetchToken(signal?: AbortSignal) {
    const res = await this.identity.send(
      {
        method: 'POST',
        url: 'oauth/token',
        operation: 'token',
        // Adobe's identity contract takes the client credentials as query parameters (swagger-identity.json).
        query: {
          grant_type: 'client_credentials',
          client_id: this.ctx.config.clientId,
          client_secret: this.ctx.config.clientSecret,
        },
        auth: false,
        throttled: false, // identity calls do not count toward Marketo's limits
        idempotent: true,
        dryRunBody: { access_token: 'dry-run-token', expires_in: 3600 },
      },
      signal,
    );
    const token = expectBody(TokenSchema, res.body, 'Marketo identity');
    return { accessToken: token.access_token, expiresIn: token.expires_in };
  }

  async check({ signal }: CallOptions) {
    await this.api.send(
      {
        method: 'GET',
        url: 'rest/v1/activities/types.json',
        operation: 'activityTypes',
        dryRunBody: { success: true, result: [] },
      },
      signal,
    );
    return {
      ok: true,
      message: `Connected to Marketo at ${new URL(this.ctx.config.baseUrl).host}`,
      details: { host: new URL(this.ctx.config.baseUrl).host },
    };
  }

  private async first(res: Promise<{ body: unknown; dryRun: boolean }>, what: string): Promise<RemoteAsset> {
    const { body, dryRun } = await res;
    if (dryRun) return { id: 'dry-run' };
    const asset = expectBody(ResultSchema, body, what).result[0];
    if (asset === undefined) throw new HubspokeError('E_UPSTREAM', `Unexpected response from ${what}: no result`);
    return { id: String(asset.id), ...(asset.url == null ? {} : { url: asset.url }) };
  }

  private async findByName(
    kind: 'email' | 'emailTemplate' | 'file',
    name: string,
    signal?: AbortSignal,
  ): Promise<RemoteAsset | undefined> {
    const res = await this.api.send(
      {
        method: 'GET',
        url: `rest/asset/v1/${kind}/byName.json`,
        query: { name },
        operation: `find ${kind}`,
        dryRunBody: { success: true, result: [] },
      },
      signal,
    );
    const found = expectBody(ResultSchema, res.body, `Marketo ${kind} by name`).result[0];
    return found === undefined ? undefined : { id: String(found.id), ...(found.url == null ? {} : { url: found.url }) };
  }

  private templateContent(html: string, name: string) {
    return {
      name: 'content',
      value: html,
      filename: `${name.replace(/[^\w.-]+/g, '_').slice(0, 80)}.html`,
      contentType: 'text/html',
    };
  }

  private async approve(kind: 'email' | 'emailTemplate', id: string, signal?: AbortSignal): Promise<void> {
    await this.api.send(
      {
        method: 'POST',
        url: `rest/asset/v1/${kind}/${id}/approveDraft.json`,
        operation: `approve ${kind}`,
        idempotent: true,
        dryRunBody: { success: true, result: [] },
      },
      signal,
    );
  }

  /** Creates or replaces an email template and approves it (emails can only be created from approved templates). */
  private async upsertTemplate(
    key: { sourceId: string; version: number; locale: string },
    name: string,
    html: string,
    contentHash: string | undefined,
    signal?: AbortSignal,
  ): Promise<PushResult> {
    const { templateFolderId } = this.ctx.config;
    return this.ctx.publish(
      {
        key: { kind: 'template', ...key },
        signal,
        name,
        ...(contentHash === undefined ? {} : { contentHash }),
        create: async () => {
          const created = await this.first(
            this.api.send(
              {
                method: 'POST',
                url: 'rest/asset/v1/emailTemplates.json',
                operation: 'createTemplate',
                multipart: [
                  { name: 'name', value: name },
                  { name: 'folder', value: JSON.stringify({ id: templateFolderId, type: 'Folder' }) },
                  { name: 'description', value: `Published by Hubspoke: ${key.sourceId} v${key.version}` },
                  this.templateContent(html, name),
                ],
              },
              signal,
            ),
            'Marketo createTemplate',
          );
          await this.approve('emailTemplate', created.id, signal);
          return created;
        },
        update: async (id) => {
          await this.api.send(
            {
              method: 'POST',
              url: `rest/asset/v1/emailTemplate/${id}/content.json`,
              operation: 'updateTemplate',
              idempotent: true,
              multipart: [this.templateContent(html, name)],
            },
            signal,
          );
          await this.approve('emailTemplate', id, signal);
          return undefined;
        },
        find: (n) => this.findByName('emailTemplate', n, signal),
      },
      this.api,
    );
  }

  async pushTemplate(input: PushTemplateInput, { signal }: CallOptions): Promise<PushResult> {
    const key = { sourceId: input.templateId, version: input.templateVersion, locale: '' };
    return this.upsertTemplate(
      key,
      assetName(input.name, key),
      withEditableSection(input.html).html,
      undefined,
      signal,
    );
  }

  /**
   * The email script tokens a rendered email references (its segment conditions) must be in the
   * program (or folder) the email goes to, with the script the renderer wrote. Marketo's token API
   * cannot create Email Script tokens (`CreateTokenRequest.type` is date, number, rich text, score,
   * sfdc campaign or text), so this reads the folder's My Tokens and, when one is missing or holds
   * another script, refuses the push with `E_UNSUPPORTED` naming each token, its script and the
   * lead fields to tick in the script editor, before anything is created.
   */
  private async checkScriptTokens(
    tokens: readonly MarketoScriptToken[],
    folderId: number,
    signal?: AbortSignal,
  ): Promise<void> {
    if (tokens.length === 0) return;
    const folderType = this.ctx.config.emailFolderType;
    const res = await this.api.send(
      {
        method: 'GET',
        url: `rest/asset/v1/folder/${folderId}/tokens.json`,
        query: { folderType },
        operation: 'folderTokens',
        idempotent: true,
        dryRunBody: { success: true, result: [] },
      },
      signal,
    );
    if (res.dryRun) return;
    const present = new Map<string, { value?: string | null | undefined }>();
    for (const folder of expectBody(FolderTokensSchema, res.body, 'Marketo folder tokens').result)
      for (const t of folder.tokens) present.set(t.name, t);
    const missing: MarketoScriptToken[] = [];
    const different: MarketoScriptToken[] = [];
    for (const token of tokens) {
      const found = present.get(token.name);
      if (found === undefined) missing.push(token);
      // Names hash their scripts, so a token of that name with another script was edited by hand.
      else if (typeof found.value === 'string' && found.value.trim() !== token.script.trim()) different.push(token);
    }
    if (missing.length === 0 && different.length === 0) return;
    const names = [...missing, ...different].map((t) => `my.${t.name}`).join(', ');
    throw new HubspokeError(
      'E_UNSUPPORTED',
      `email.scriptTokens: the ${folderType.toLowerCase()} ${folderId} needs the Email Script token${missing.length + different.length === 1 ? '' : 's'} ${names} with the script the renderer wrote${different.length > 0 ? ` (${different.map((t) => `my.${t.name}`).join(', ')} holds another script)` : ''}; Marketo's API cannot create Email Script tokens (${MARKETO_TOKEN_TYPES_URL}): add them under My Tokens (script and fields are in details), then push again`,
      {
        path: 'email.scriptTokens',
        details: {
          folder: { id: folderId, type: folderType },
          missing: missing.map(({ name, script, fields }) => ({ name, script, fields })),
          different: different.map(({ name, script, fields }) => ({ name, script, fields })),
          source: MARKETO_TOKEN_TYPES_URL,
        },
      },
    );
  }

  async pushEmail(input: PushEmailInput, { signal }: CallOptions): Promise<PushResult> {
    const { config } = this.ctx;
    const scriptTokens = parse(ScriptTokensSchema, input.email.scriptTokens ?? [], 'email.scriptTokens');
    if (input.email.bytes > 1_000_000)
      throw new HubspokeError(
        'E_VALIDATION',
        `email.html: Marketo accepts at most 1 MB, got ${input.email.bytes} bytes`,
        { path: 'email.html' },
      );
    const key = { sourceId: input.draftId, version: input.draftVersion, locale: input.locale };
    const name = assetName(input.name, key);
    const { html, bodySection } = withEditableSection(input.email.html);
    const folderId = input.folder === undefined ? config.emailFolderId : Number(input.folder);
    if (!Number.isInteger(folderId) || folderId <= 0)
      throw new HubspokeError(
        'E_VALIDATION',
        `email.folder: expected a Marketo folder or program id (a positive whole number), got ${JSON.stringify(input.folder)}`,
        { path: 'email.folder' },
      );
    await this.checkScriptTokens(scriptTokens, folderId, signal);
    const template = await this.upsertTemplate(
      { ...key, sourceId: `email:${input.draftId}` },
      assetName(`${input.name} (template)`, key),
      html,
      input.email.contentHash,
      signal,
    );
    const headers = {
      subject: input.email.subject,
      fromName: config.fromName,
      fromEmail: config.fromEmail,
      replyEmail: config.replyEmail,
    };
    const folder = JSON.stringify({ id: folderId, type: config.emailFolderType });
    return this.ctx.publish(
      {
        key: { kind: 'email', ...key },
        signal,
        name,
        contentHash: input.email.contentHash,
        create: async () => {
          const created = await this.first(
            this.api.send(
              {
                method: 'POST',
                url: 'rest/asset/v1/emails.json',
                operation: 'createEmail',
                form: {
                  name,
                  folder,
                  template: template.remoteId,
                  description: `Published by Hubspoke: ${input.draftId} v${input.draftVersion} ${input.locale}`,
                  ...headers,
                },
              },
              signal,
            ),
            'Marketo createEmail',
          );
          if (config.approveEmails) await this.approve('email', created.id, signal);
          return created;
        },
        update: async (id) => {
          const typed = (value: string | undefined) =>
            value === undefined ? undefined : JSON.stringify({ type: 'Text', value });
          await this.api.send(
            {
              method: 'POST',
              url: `rest/asset/v1/email/${id}/content.json`,
              operation: 'updateEmailHeaders',
              idempotent: true,
              form: {
                subject: typed(headers.subject),
                fromName: typed(headers.fromName),
                fromEmail: typed(headers.fromEmail),
                // The update request names the reply-to field replyTO (UpdateEmailComponentDataRequest); replyEmail is ignored.
                replyTO: typed(headers.replyEmail),
              },
            },
            signal,
          );
          if (bodySection !== undefined) {
            await this.api.send(
              {
                method: 'POST',
                url: `rest/asset/v1/email/${id}/content/${BODY_SECTION_ID}.json`,
                operation: 'updateEmailBody',
                idempotent: true,
                form: { type: 'Text', value: bodySection.inner, textValue: input.email.text },
              },
              signal,
            );
          }
          if (config.approveEmails) await this.approve('email', id, signal);
          return undefined;
        },
        find: (n) => this.findByName('email', n, signal),
      },
      this.api,
    );
  }

  /** Sends the pushed email as a sample to each seed address (`sendSample.json`, one call per address). */
  async sendTest(input: SendTestInput, { signal }: CallOptions): Promise<SendTestResult> {
    const { remoteId } = await this.ctx.pushedEmail(input);
    for (const emailAddress of input.recipients) {
      await this.api.send(
        {
          method: 'POST',
          url: `rest/asset/v1/email/${remoteId}/sendSample.json`,
          operation: 'sendSample',
          form: { emailAddress },
          dryRunBody: { success: true, result: [] },
        },
        signal,
      );
    }
    return { remoteId, sent: [...input.recipients] };
  }

  /** Uploads an image into Design Studio (`files.json`, `insertOnly`), once per SHA-256. */
  async uploadAsset(input: AssetUpload, { signal }: CallOptions): Promise<UploadAssetResult> {
    const name = `hubspoke-${input.sha256.slice(0, 16)}-${input.name}`.slice(0, 200);
    const folder = JSON.stringify({
      id: this.ctx.config.fileFolderId ?? this.ctx.config.templateFolderId,
      type: 'Folder',
    });
    const result = await this.ctx.publish(
      {
        key: { kind: 'asset', sourceId: input.sha256, version: 1, locale: '' },
        signal,
        name,
        create: () =>
          this.first(
            this.api.send(
              {
                method: 'POST',
                url: 'rest/asset/v1/files.json',
                operation: 'uploadFile',
                multipart: [
                  { name: 'file', value: input.bytes, filename: name, contentType: input.contentType },
                  { name: 'folder', value: folder },
                  { name: 'name', value: name },
                  { name: 'description', value: `Uploaded by Hubspoke (sha256 ${input.sha256})` },
                  { name: 'insertOnly', value: 'true' },
                ],
              },
              signal,
            ),
            'Marketo uploadFile',
          ),
        // The same bytes are the same file: nothing to update.
        update: () => Promise.resolve(undefined),
        find: (n) => this.findByName('file', n, signal),
      },
      this.api,
    );
    return { remoteId: result.remoteId, url: result.url ?? '', sha256: input.sha256, created: result.created };
  }

  async *pullMetrics(query: MetricsQuery, { signal, onProgress }: CallOptions): AsyncIterable<CampaignMetrics> {
    const types = await this.api.send(
      {
        method: 'GET',
        url: 'rest/v1/activities/types.json',
        operation: 'activityTypes',
        dryRunBody: { success: true, result: [] },
      },
      signal,
    );
    const kindById = new Map<number, ActivityKind>();
    for (const type of expectBody(TypesSchema, types.body, 'Marketo activity types').result) {
      const kind = ACTIVITY_NAMES[type.name];
      if (kind !== undefined) kindById.set(type.id, kind);
    }
    if (kindById.size === 0) return;
    const wanted = query.campaignIds === undefined ? undefined : new Set(query.campaignIds);
    const tally = new ActivityTally();
    const ranges = splitRange(query.since, query.until, 31);
    for (const [index, range] of ranges.entries()) {
      const exportId = await this.startExport(range, [...kindById.keys()], signal);
      await this.waitForExport(exportId, signal);
      const file = await this.api.send<NodeReadableStream>(
        {
          method: 'GET',
          url: `bulk/v1/activities/export/${exportId}/file.json`,
          operation: 'exportFile',
          responseType: 'stream',
        },
        signal,
      );
      const rows = Readable.fromWeb(file.body).pipe(parseCsv({ columns: true, skip_empty_lines: true }));
      for await (const row of rows as AsyncIterable<Record<string, string>>) {
        const kind = kindById.get(Number(row.activityTypeId));
        const emailId = row.primaryAttributeValueId ?? '';
        if (kind === undefined || emailId === '' || (wanted !== undefined && !wanted.has(emailId))) continue;
        tally.add(emailId, kind, row.leadId ?? '');
      }
      onProgress?.(index + 1, ranges.length);
    }
    for (const [emailId, counts] of tally.entries()) {
      yield {
        ...(await campaignFor(this.ctx.store, this.ctx.instance, 'marketo', emailId)),
        ...counts,
      } as CampaignMetrics;
    }
  }

  private async startExport(
    range: { start: Date; end: Date },
    activityTypeIds: number[],
    signal?: AbortSignal,
  ): Promise<string> {
    const created = await this.api.send(
      {
        method: 'POST',
        url: 'bulk/v1/activities/export/create.json',
        operation: 'createExport',
        idempotent: true, // an orphaned export job is harmless
        json: {
          format: 'CSV',
          // `fields` is required by the export contract (ExportActivityRequest); these are the columns the tally reads.
          fields: ['marketoGUID', 'leadId', 'activityDate', 'activityTypeId', 'primaryAttributeValueId'],
          filter: { createdAt: { startAt: isoSeconds(range.start), endAt: isoSeconds(range.end) }, activityTypeIds },
        },
      },
      signal,
    );
    const exportId = expectBody(ExportSchema, created.body, 'Marketo createExport').result[0]?.exportId ?? '';
    await this.api.send(
      {
        method: 'POST',
        url: `bulk/v1/activities/export/${exportId}/enqueue.json`,
        operation: 'enqueueExport',
        idempotent: true,
      },
      signal,
    );
    return exportId;
  }

  private async waitForExport(exportId: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const res = await this.api.send(
        { method: 'GET', url: `bulk/v1/activities/export/${exportId}/status.json`, operation: 'exportStatus' },
        signal,
      );
      const status = expectBody(ExportSchema, res.body, 'Marketo exportStatus').result[0]?.status;
      if (status === 'Completed') return;
      if (status === 'Failed' || status === 'Cancelled')
        throw new HubspokeError('E_UPSTREAM', `Marketo bulk export ${exportId} ${status.toLowerCase()}`);
      try {
        await sleep(this.ctx.config.exportPollMs, signal);
      } catch {
        throw new HubspokeError('E_ABORTED', 'Marketo pullMetrics was cancelled');
      }
    }
  }
}

/** Adobe Marketo Engage: email templates and emails through the asset API, bulk activity export for metrics. */
export const marketo = defineConnector({
  manifest: {
    id: 'marketo',
    name: 'Marketo',
    version: '0.1.0',
    kind: 'map',
    description:
      'Adobe Marketo Engage: email templates and emails (asset API v1), approvals, sample sends, file uploads, bulk activity export for metrics.',
    secrets: ['clientId', 'clientSecret'],
    capabilities: ['check', 'pushTemplate', 'pushEmail', 'pullMetrics', 'sendTest', 'uploadAsset'],
    tokenDialect: 'marketo',
    // 100 calls per rolling 20 s and 10 concurrent per instance; Adobe advises at most 5 concurrent.
    limits: { callsPerWindow: 100, windowMs: 20_000, concurrency: 5, dailyQuota: 50_000, maxPayloadBytes: 1_000_000 },
    docsUrl: 'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/rest-api',
  },
  config: MarketoConfigSchema,
  create: (ctx) => new Marketo(ctx),
});
