import { randomUUID } from 'node:crypto';
import { contractFor } from '../contracts/vendors.js';
import { FakeServer, LimitMeter, type FakeRequest, type FakeResponse } from '../fake-server.js';

export interface FakeMarketoOptions {
  clientId?: string;
  clientSecret?: string;
  /** Rolling-window limit (Marketo: 100 calls / 20 s, scaled down here to keep tests fast). */
  callsPerWindow?: number;
  windowMs?: number;
  /** Concurrent calls (Marketo: 10). */
  concurrency?: number;
  /** Token lifetime in seconds (Marketo: 3600). */
  tokenTtlSeconds?: number;
  /** Added latency per API call. */
  latencyMs?: number;
  /** Calls allowed before the daily quota answers 607. */
  dailyQuota?: number;
  /** Refuse a second asset with the same name (709), as Marketo does per folder (default true). Turn off to see duplicates a client would cause. */
  enforceUniqueNames?: boolean;
  /** Behave like a careless vendor that echoes credentials and tokens in error messages (for redaction tests). */
  echoSecretsInErrors?: boolean;
}

interface Asset {
  id: number;
  name: string;
  folder: { id: number; type: string };
  status: 'draft' | 'approved';
}
export interface FakeMarketoTemplate extends Asset {
  content: string;
  description?: string;
}
export interface FakeMarketoEmail extends Asset {
  template: number;
  subject?: string;
  fromName?: string;
  fromEmail?: string;
  replyEmail?: string;
  description?: string;
  sections: Record<string, { value: string; textValue?: string }>;
}

export interface FakeMarketoFile {
  id: number;
  name: string;
  folder: { id: number; type: string };
  contentType: string;
  bytes: Buffer;
  url: string;
}

export interface FakeMarketoActivity {
  activityTypeId: number;
  leadId: number;
  activityDate: string;
  primaryAttributeValueId: number;
  primaryAttributeValue: string;
}

const ok = (result: unknown[] = []): FakeResponse => ({
  json: { success: true, requestId: randomUUID(), warnings: [], errors: [], result },
});
/** Marketo reports almost every failure as HTTP 200 with `success: false`. */
export const marketoError = (code: string, message: string): FakeResponse => ({
  json: { success: false, requestId: randomUUID(), warnings: [], errors: [{ code, message }] },
});

const ACTIVITY_TYPES = [
  { id: 6, name: 'Send Email' },
  { id: 7, name: 'Email Delivered' },
  { id: 8, name: 'Email Bounced' },
  { id: 9, name: 'Unsubscribe Email' },
  { id: 10, name: 'Open Email' },
  { id: 11, name: 'Click Email' },
  { id: 27, name: 'Email Bounced Soft' },
];

/**
 * A fake of the Marketo REST API subset the connector uses: identity (client credentials),
 * email templates and emails (asset API v1), approvals, activity types and bulk activity
 * export. It checks the bearer token (601/602), enforces the rolling call window (606),
 * concurrency (615) and daily quota (607) the way Marketo does: HTTP 200 with an error code.
 */
export class FakeMarketo extends FakeServer {
  readonly templates = new Map<number, FakeMarketoTemplate>();
  readonly emails = new Map<number, FakeMarketoEmail>();
  readonly activities: FakeMarketoActivity[] = [];
  readonly meter: LimitMeter;
  /** Calls answered (not refused) since start. */
  served = 0;
  private readonly tokens = new Map<string, number>();
  /** Files uploaded to Design Studio, by id. */
  readonly files = new Map<number, FakeMarketoFile>();
  /**
   * My Tokens by folder (`Program:17`), as `GET …/folder/{id}/tokens.json` lists them. Marketo's API
   * cannot create Email Script tokens, so tests put them here as a person would in the UI.
   */
  readonly myTokens = new Map<string, { name: string; type: string; value: string }[]>();
  /** Sample sends: which email went to which address. */
  readonly samples: { emailId: number; emailAddress: string }[] = [];
  private readonly exports = new Map<string, { status: string; filter: unknown; polls: number }>();
  private nextId = 1000;
  private readonly opts: Required<FakeMarketoOptions>;

  constructor(options: FakeMarketoOptions = {}) {
    const opts: Required<FakeMarketoOptions> = {
      clientId: 'marketo-client',
      clientSecret: 'marketo-secret',
      callsPerWindow: 100,
      windowMs: 20_000,
      concurrency: 10,
      tokenTtlSeconds: 3600,
      latencyMs: 0,
      dailyQuota: Number.POSITIVE_INFINITY,
      enforceUniqueNames: true,
      echoSecretsInErrors: false,
      ...options,
    };
    const meter = new LimitMeter(opts.callsPerWindow, opts.windowMs, opts.concurrency);
    super({
      contract: contractFor('marketo'),
      rejectResponse: (violations) => marketoError('1003', violations.map((v) => v.message).join('; ')),
      throttleResponse: () =>
        marketoError('606', `Max rate limit '${opts.callsPerWindow}' exceeded with in '${opts.windowMs / 1000}' secs`),
      around: (request, run) => this.admit(request, run),
    });
    this.opts = opts;
    this.meter = meter;
    this.defineRoutes();
  }

  /** Makes every issued token invalid (the next call gets 601). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Makes every issued token expire now (the next call gets 602): expiry without waiting on a clock. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** Every access token issued so far (to check that none leaks). */
  readonly issuedTokens: string[] = [];

  /** Emails with this exact name. */
  emailsNamed(name: string): FakeMarketoEmail[] {
    return [...this.emails.values()].filter((e) => e.name === name);
  }

  private async admit(request: FakeRequest, run: () => Promise<FakeResponse>): Promise<FakeResponse> {
    if (request.path === '/identity/oauth/token') return run(); // identity calls are not metered
    const auth = request.headers.authorization;
    if (auth === undefined) return marketoError('600', 'Access token not specified');
    const token = /^Bearer (.+)$/.exec(auth)?.[1] ?? '';
    const expiresAt = this.tokens.get(token);
    const echo = this.opts.echoSecretsInErrors ? `: ${token}` : '';
    if (expiresAt === undefined) return marketoError('601', `Access token invalid${echo}`);
    if (expiresAt <= Date.now()) return marketoError('602', `Access token expired${echo}`);
    if (this.served >= this.opts.dailyQuota) return marketoError('607', 'Daily quota reached');
    const refused = this.meter.admit();
    if (refused === 'concurrency') return marketoError('615', 'Concurrent access limit reached');
    if (refused === 'rate')
      return marketoError(
        '606',
        `Max rate limit '${this.opts.callsPerWindow}' exceeded with in '${this.opts.windowMs / 1000}' secs`,
      );
    this.meter.inFlight++;
    this.served++;
    try {
      if (this.opts.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.opts.latencyMs));
      return await run();
    } finally {
      this.meter.inFlight--;
    }
  }

  private defineRoutes(): void {
    const token = (req: FakeRequest): FakeResponse => {
      const id = req.query.get('client_id') ?? req.form?.get('client_id');
      const secret = req.query.get('client_secret') ?? req.form?.get('client_secret');
      if (
        req.query.get('grant_type') !== 'client_credentials' &&
        req.form?.get('grant_type') !== 'client_credentials'
      ) {
        return {
          status: 400,
          json: { error: 'invalid_request', error_description: 'grant_type must be client_credentials' },
        };
      }
      if (id !== this.opts.clientId || secret !== this.opts.clientSecret) {
        const echo = this.opts.echoSecretsInErrors ? ` ${String(id)}:${String(secret)}` : '';
        return { status: 401, json: { error: 'unauthorized', error_description: `Bad client credentials${echo}` } };
      }
      const value = randomUUID();
      this.tokens.set(value, Date.now() + this.opts.tokenTtlSeconds * 1000);
      this.issuedTokens.push(value);
      return {
        json: {
          access_token: value,
          token_type: 'bearer',
          expires_in: this.opts.tokenTtlSeconds,
          scope: 'api@example.com',
        },
      };
    };
    this.route('GET', '/identity/oauth/token', token);
    this.route('POST', '/identity/oauth/token', token);

    this.route('POST', '/rest/asset/v1/emailTemplates.json', (req) => {
      const name = req.form?.get('name') ?? '';
      const folder = parseFolder(req.form?.get('folder'));
      const content = req.files?.get('content');
      if (name === '' || folder === undefined || content === undefined)
        return marketoError('701', 'name, folder and content are required');
      if (content.filename === '' || !content.contentType.startsWith('text/html'))
        return marketoError('701', 'content must be an HTML file part');
      if (!hasEditableSection(content.text))
        return marketoError('709', 'Template must contain at least one editable section');
      if (this.opts.enforceUniqueNames && [...this.templates.values()].some((t) => t.name === name))
        return marketoError('709', 'Asset name is already in use');
      const template: FakeMarketoTemplate = {
        id: this.nextId++,
        name,
        folder,
        status: 'draft',
        content: content.text,
        ...optional('description', req.form?.get('description')),
      };
      this.templates.set(template.id, template);
      return ok([publicAsset(template)]);
    });
    this.route('GET', '/rest/asset/v1/emailTemplate/byName.json', (req) =>
      byName(this.templates, req.query.get('name')),
    );
    this.route('POST', '/rest/asset/v1/emailTemplate/:id/content.json', (req) => {
      const template = this.templates.get(Number(req.params.id));
      const content = req.files?.get('content');
      if (template === undefined) return marketoError('702', 'No data found for the given id');
      if (content === undefined) return marketoError('701', 'content is required');
      if (!hasEditableSection(content.text))
        return marketoError('709', 'Template must contain at least one editable section');
      template.content = content.text;
      template.status = 'draft';
      return ok([{ id: template.id }]);
    });
    this.route('POST', '/rest/asset/v1/emailTemplate/:id/approveDraft.json', (req) =>
      approve(this.templates.get(Number(req.params.id))),
    );

    this.route('POST', '/rest/asset/v1/emails.json', (req) => {
      const form = req.form ?? new URLSearchParams();
      const name = form.get('name') ?? '';
      const folder = parseFolder(form.get('folder'));
      const template = this.templates.get(Number(form.get('template')));
      if (name === '' || folder === undefined || !form.has('template'))
        return marketoError('701', 'name, folder and template are required');
      if (template === undefined) return marketoError('702', 'Template not found');
      if (template.status !== 'approved') return marketoError('709', 'Template is not approved');
      if (
        this.opts.enforceUniqueNames &&
        [...this.emails.values()].some((e) => e.name === name && e.folder.id === folder.id)
      )
        return marketoError('709', 'Asset name is already in use');
      const email: FakeMarketoEmail = {
        id: this.nextId++,
        name,
        folder,
        status: 'draft',
        template: template.id,
        sections: Object.fromEntries(editableIds(template.content).map((id) => [id, { value: '' }])),
        ...optional('subject', form.get('subject')),
        ...optional('fromName', form.get('fromName')),
        ...optional('fromEmail', form.get('fromEmail')),
        ...optional('replyEmail', form.get('replyEmail')),
        ...optional('description', form.get('description')),
      };
      this.emails.set(email.id, email);
      return ok([publicAsset(email)]);
    });
    this.route('GET', '/rest/asset/v1/email/byName.json', (req) => byName(this.emails, req.query.get('name')));
    this.route('GET', '/rest/asset/v1/email/:id.json', (req) => {
      const email = this.emails.get(Number(req.params.id));
      return email === undefined ? ok() : ok([publicAsset(email)]);
    });
    this.route('POST', '/rest/asset/v1/email/:id/content.json', (req) => {
      const email = this.emails.get(Number(req.params.id));
      if (email === undefined) return marketoError('702', 'No data found for the given id');
      // The update request calls the reply-to field replyTO; the email keeps it as replyEmail.
      const fields = {
        subject: 'subject',
        fromName: 'fromName',
        fromEmail: 'fromEmail',
        replyTO: 'replyEmail',
      } as const;
      for (const [param, field] of Object.entries(fields)) {
        const raw = req.form?.get(param);
        if (raw === null || raw === undefined) continue;
        const parsed = parseTypedValue(raw);
        if (parsed === undefined) return marketoError('701', `${param} must be {"type":"Text","value":…}`);
        email[field] = parsed;
      }
      email.status = 'draft';
      return ok([{ id: email.id }]);
    });
    this.route('POST', '/rest/asset/v1/email/:id/content/:htmlId.json', (req) => {
      const email = this.emails.get(Number(req.params.id));
      const htmlId = req.params.htmlId ?? '';
      if (email === undefined) return marketoError('702', 'No data found for the given id');
      if (!(htmlId in email.sections)) return marketoError('702', `No section ${htmlId}`);
      if (req.form?.get('type') !== 'Text') return marketoError('701', 'type must be Text');
      email.sections[htmlId] = {
        value: req.form.get('value') ?? '',
        ...optional('textValue', req.form.get('textValue')),
      };
      email.status = 'draft';
      return ok([{ id: email.id }]);
    });
    this.route('POST', '/rest/asset/v1/email/:id/approveDraft.json', (req) => {
      const email = this.emails.get(Number(req.params.id));
      if (
        email !== undefined &&
        [email.subject, email.fromName, email.fromEmail, email.replyEmail].some((v) => v === undefined || v === '')
      ) {
        return marketoError(
          '709',
          'from name, from email, reply to email and subject must be populated before approval',
        );
      }
      return approve(email);
    });

    this.route('POST', '/rest/asset/v1/email/:id/sendSample.json', (req) => {
      const email = this.emails.get(Number(req.params.id));
      if (email === undefined) return marketoError('702', 'No data found for the given id');
      const emailAddress = req.form?.get('emailAddress') ?? '';
      if (!/^[^@\s]+@[^@\s]+$/.test(emailAddress)) return marketoError('1003', 'emailAddress is invalid');
      this.samples.push({ emailId: email.id, emailAddress });
      return ok([{ result: true }]);
    });
    this.route('POST', '/rest/asset/v1/files.json', (req) => {
      const file = req.files?.get('file');
      const folder = parseFolder(req.form?.get('folder'));
      const name = req.form?.get('name') ?? '';
      if (file === undefined || folder === undefined || name === '')
        return marketoError('701', 'file, folder and name are required');
      if (req.form?.get('insertOnly') === 'true' && [...this.files.values()].some((f) => f.name === name))
        return marketoError('709', 'Asset name is already in use');
      const id = this.nextId++;
      const stored: FakeMarketoFile = {
        id,
        name,
        folder,
        contentType: file.contentType,
        bytes: file.bytes,
        url: `https://na-sj01.marketo.example/rs/284-RPR-133/images/${encodeURIComponent(name)}`,
      };
      this.files.set(id, stored);
      return ok([{ id, name, url: stored.url, folder: { type: folder.type, value: folder.id } }]);
    });
    this.route('GET', '/rest/asset/v1/file/byName.json', (req) => {
      const found = [...this.files.values()].filter((f) => f.name === req.query.get('name'));
      return ok(found.map((f) => ({ id: f.id, name: f.name, url: f.url })));
    });
    this.route('GET', '/rest/asset/v1/folder/:id/tokens.json', (req) => {
      const type = req.query.get('folderType') ?? 'Folder';
      const id = Number(req.params.id);
      return ok([{ folder: { type, value: id }, tokens: this.myTokens.get(`${type}:${id}`) ?? [] }]);
    });
    this.route('GET', '/rest/v1/activities/types.json', () => ok(ACTIVITY_TYPES));
    this.route('POST', '/bulk/v1/activities/export/create.json', (req) => {
      const body = req.json as
        | { format?: string; filter?: { createdAt?: { startAt?: string; endAt?: string }; activityTypeIds?: number[] } }
        | undefined;
      const start = body?.filter?.createdAt?.startAt ?? '';
      const end = body?.filter?.createdAt?.endAt ?? '';
      if (body?.format !== 'CSV' || !isoNoMillis(start) || !isoNoMillis(end))
        return marketoError('1003', 'format CSV and createdAt.startAt/endAt (ISO 8601, no milliseconds) are required');
      if (Date.parse(end) - Date.parse(start) > 31 * 86_400_000)
        return marketoError('1003', 'createdAt range must be at most 31 days');
      const exportId = randomUUID();
      this.exports.set(exportId, { status: 'Created', filter: body.filter, polls: 0 });
      return ok([{ exportId, format: 'CSV', status: 'Created', createdAt: new Date().toISOString() }]);
    });
    this.route('POST', '/bulk/v1/activities/export/:id/enqueue.json', (req) => {
      const job = this.exports.get(req.params.id ?? '');
      if (job === undefined) return marketoError('1003', 'Export not found');
      job.status = 'Queued';
      return ok([{ exportId: req.params.id, status: 'Queued' }]);
    });
    this.route('GET', '/bulk/v1/activities/export/:id/status.json', (req) => {
      const job = this.exports.get(req.params.id ?? '');
      if (job === undefined) return marketoError('1003', 'Export not found');
      job.polls++;
      if (job.status === 'Queued') job.status = job.polls > 1 ? 'Completed' : 'Processing';
      else if (job.status === 'Processing') job.status = 'Completed';
      return ok([{ exportId: req.params.id, status: job.status }]);
    });
    this.route('GET', '/bulk/v1/activities/export/:id/file.json', (req) => {
      const job = this.exports.get(req.params.id ?? '');
      if (job?.status !== 'Completed') return { status: 404, text: 'Export not completed' };
      const filter = job.filter as { createdAt: { startAt: string; endAt: string }; activityTypeIds?: number[] };
      const rows = this.activities.filter(
        (a) =>
          a.activityDate >= filter.createdAt.startAt &&
          a.activityDate <= filter.createdAt.endAt &&
          (filter.activityTypeIds === undefined || filter.activityTypeIds.includes(a.activityTypeId)),
      );
      const csv = [
        'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes',
        ...rows.map((a, i) =>
          [
            i + 1,
            a.leadId,
            a.activityDate,
            a.activityTypeId,
            1,
            a.primaryAttributeValueId,
            csvCell(a.primaryAttributeValue),
            csvCell('{}'),
          ].join(','),
        ),
      ].join('\n');
      return { headers: { 'Content-Type': 'text/csv' }, text: csv + '\n' };
    });
  }
}

function parseFolder(raw: string | null | undefined): { id: number; type: string } | undefined {
  try {
    const value = JSON.parse(raw ?? '') as { id?: unknown; type?: unknown };
    if (typeof value.id === 'number' && (value.type === 'Folder' || value.type === 'Program'))
      return { id: value.id, type: value.type };
  } catch {
    return undefined;
  }
  return undefined;
}

function parseTypedValue(raw: string): string | undefined {
  try {
    const value = JSON.parse(raw) as { type?: unknown; value?: unknown };
    return value.type === 'Text' && typeof value.value === 'string' ? value.value : undefined;
  } catch {
    return undefined;
  }
}

const EDITABLE = /<[^>]+class="[^"]*\b(?:mktEditable|mktoText)\b[^"]*"[^>]*\bid="([^"]+)"/g;
const hasEditableSection = (html: string) => editableIds(html).length > 0;
const editableIds = (html: string) => [...html.matchAll(EDITABLE)].map((m) => m[1] ?? '');
const isoNoMillis = (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/.test(value);
const csvCell = (value: string) => `"${value.replace(/"/g, '""')}"`;
const optional = (key: string, value: string | null | undefined): Record<string, string> =>
  value === null || value === undefined ? {} : { [key]: value };
const publicAsset = ({ id, name, folder, status }: Asset) => ({
  id,
  name,
  folder: { type: folder.type, value: folder.id },
  status,
  url: `https://app.marketo.example/#EM${id}`,
});

function byName(assets: Map<number, Asset>, name: string | null): FakeResponse {
  const found = [...assets.values()].filter((a) => a.name === name);
  if (found.length === 0)
    return {
      json: {
        success: true,
        requestId: randomUUID(),
        warnings: ['No assets found for the given search criteria.'],
        errors: [],
      },
    };
  return ok(found.map(publicAsset));
}

function approve(asset: Asset | undefined): FakeResponse {
  if (asset === undefined) return marketoError('702', 'No data found for the given id');
  asset.status = 'approved';
  return ok([{ id: asset.id }]);
}
