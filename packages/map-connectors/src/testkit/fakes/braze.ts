import { randomUUID } from 'node:crypto';
import { contractFor } from '../contracts/vendors.js';
import { FakeServer, type FakeRequest, type FakeResponse } from '../fake-server.js';

export interface FakeBrazeTemplate {
  email_template_id: string;
  template_name: string;
  subject: string;
  body: string;
  plaintext_body?: string;
  preheader?: string;
}

export interface FakeBrazeSeries {
  time: string;
  email: {
    sent: number;
    opens: number;
    unique_opens: number;
    clicks: number;
    unique_clicks: number;
    unsubscribes: number;
    bounces: number;
    delivered: number;
    reported_spam: number;
  };
  conversions?: number;
  revenue?: number;
}

/** A campaign as `campaigns/details` describes it: message variations by id. */
export interface FakeBrazeCampaign {
  name: string;
  messages: Record<string, { channel: string; subject?: string; body?: string }>;
}

const MAX_BODY = 400 * 1024;

/**
 * A fake of the Braze REST subset the connector uses: email templates (create, update, list
 * with limit/offset) and `campaigns/data_series`. It checks the bearer API key and enforces a
 * fixed-window request limit with `X-RateLimit-Limit/-Remaining/-Reset` headers and 429s.
 */
export class FakeBraze extends FakeServer {
  readonly templates = new Map<string, FakeBrazeTemplate>();
  readonly series = new Map<string, FakeBrazeSeries[]>();
  readonly campaigns = new Map<string, FakeBrazeCampaign>();
  /** User profiles by `<alias_label>:<alias_name>`, with the email address Braze sends to. */
  readonly users = new Map<string, { email: string }>();
  /** Media library assets by URL (`/media_library/create`). */
  readonly media = new Map<string, { name: string; bytes: Buffer; ext: string }>();
  /** Emails `/messages/send` dispatched, one per user. */
  readonly sentMessages: {
    dispatchId: string;
    to: string;
    appId: string;
    from: string;
    subject: string;
    templateId?: string;
  }[] = [];
  private windowStart = Date.now();
  private used = 0;

  constructor(
    readonly apiKey = 'braze-api-key',
    private readonly limit = { requests: 1000, windowMs: 60_000 },
  ) {
    super({
      contract: contractFor('braze'),
      rejectResponse: (violations) => ({ status: 400, json: { message: violations.map((v) => v.message).join('; ') } }),
      around: async (req, run) => {
        if (req.headers.authorization !== `Bearer ${this.apiKey}`)
          return { status: 401, json: { message: 'Invalid API key' } };
        // Windows are aligned to the clock (Braze's hourly window resets on the hour), so `X-RateLimit-Reset` is exact.
        const now = Date.now();
        if (now >= this.windowStart + this.limit.windowMs) {
          this.windowStart = now - (now % this.limit.windowMs);
          this.used = 0;
        }
        const reset = String(Math.ceil((this.windowStart + this.limit.windowMs) / 1000));
        const headers = {
          'X-RateLimit-Limit': String(this.limit.requests),
          'X-RateLimit-Remaining': String(Math.max(0, this.limit.requests - this.used - 1)),
          'X-RateLimit-Reset': reset,
        };
        if (this.used >= this.limit.requests)
          return {
            status: 429,
            headers: { ...headers, 'X-RateLimit-Remaining': '0' },
            json: { message: 'Rate limit exceeded' },
          };
        this.used++;
        const res = await run();
        return { ...res, headers: { ...headers, ...res.headers } };
      },
    });
    this.route('POST', '/templates/email/create', (req) => {
      const invalid = this.checkTemplate(req, true);
      if (invalid !== undefined) return invalid;
      const body = req.json as FakeBrazeTemplate;
      const id = randomUUID();
      this.templates.set(id, { ...pick(body), email_template_id: id });
      return { status: 201, json: { email_template_id: id, message: 'success' } };
    });
    this.route('POST', '/templates/email/update', (req) => {
      const body = req.json as Partial<FakeBrazeTemplate> | undefined;
      const existing = this.templates.get(body?.email_template_id ?? '');
      if (existing === undefined)
        return { status: 400, json: { message: 'Template not found', errors: ['email_template_id is invalid'] } };
      const invalid = this.checkTemplate(req, false);
      if (invalid !== undefined) return invalid;
      Object.assign(existing, pick(body as FakeBrazeTemplate));
      return { json: { message: 'success' } };
    });
    this.route('GET', '/templates/email/list', (req) => {
      const limit = Number(req.query.get('limit') ?? '100');
      const offsetParam = req.query.get('offset');
      if (offsetParam !== null && Number(offsetParam) <= 0)
        return { status: 400, json: { message: 'Offset must be greater than 0.' } };
      const offset = Number(offsetParam ?? '0');
      const all = [...this.templates.values()];
      const page = all.slice(offset, offset + Math.min(limit, 1000));
      return {
        json: {
          count: page.length,
          templates: page.map((t) => ({
            email_template_id: t.email_template_id,
            template_name: t.template_name,
            created_at: '',
            updated_at: '',
            tags: [],
          })),
          message: 'success',
        },
      };
    });
    this.route('POST', '/media_library/create', (req) => {
      const file = req.files?.get('asset_file');
      if (file === undefined)
        return { status: 400, json: { message: 'Either asset_url or asset_file must be provided.' } };
      // Supported images (endpoint page): GIF, ICO, JPEG, PNG, WebP, SVG, at most 5 MB.
      const ext = /\.(gif|ico|jpe?g|png|webp|svg)$/i.exec(file.filename)?.[1]?.toLowerCase();
      if (ext === undefined)
        return {
          status: 400,
          json: {
            message: 'Unsupported file type',
            error_code: 'UNSUPPORTED_FILE_TYPE',
            meta: { file_type: file.contentType },
          },
        };
      if (file.bytes.length > 5 * 1024 * 1024)
        return { status: 400, json: { message: 'Too large', error_code: 'ASSET_SIZE_EXCEEDS_LIMIT', meta: {} } };
      const name = req.form?.get('name') ?? file.filename;
      const url = `https://braze-images.example/appboy/communication/assets/image_assets/images/${randomUUID().replace(/-/g, '')}.${ext}`;
      this.media.set(url, { name, bytes: file.bytes, ext });
      return {
        json: {
          new_assets: [{ name, size: file.bytes.length, url, ext }],
          errors: [],
          dashboard_url: `${this.url}/media_library`,
        },
      };
    });
    this.route('POST', '/messages/send', (req) => {
      const body = req.json as {
        user_aliases?: { alias_name: string; alias_label: string }[];
        messages: {
          email?: { app_id: string; from: string; subject?: string; body?: string; email_template_id?: string };
        };
      };
      const email = body.messages.email;
      if (email === undefined) return { status: 400, json: { message: 'This fake sends email only' } };
      const template = email.email_template_id === undefined ? undefined : this.templates.get(email.email_template_id);
      if (email.email_template_id !== undefined && template === undefined)
        return { status: 400, json: { message: `Invalid email_template_id ${email.email_template_id}` } };
      // The recipients must already exist in Braze for the request to succeed (endpoint page).
      const users = (body.user_aliases ?? []).map((alias) =>
        this.users.get(`${alias.alias_label}:${alias.alias_name}`),
      );
      const missing = (body.user_aliases ?? []).filter((_, index) => users[index] === undefined);
      if (missing.length > 0)
        return {
          status: 400,
          json: { message: `Unknown user aliases: ${missing.map((a) => a.alias_name).join(', ')}` },
        };
      const dispatchId = randomUUID().replace(/-/g, '');
      for (const user of users)
        this.sentMessages.push({
          dispatchId,
          to: user?.email ?? '',
          appId: email.app_id,
          from: email.from,
          subject: email.subject ?? template?.subject ?? '',
          ...(email.email_template_id === undefined ? {} : { templateId: email.email_template_id }),
        });
      return { status: 201, json: { dispatch_id: dispatchId, message: 'success' } };
    });
    this.route('GET', '/campaigns/list', (req) => {
      const page = Number(req.query.get('page') ?? '0');
      const all = [...this.campaigns.entries()];
      return {
        json: {
          campaigns: all
            .slice(page * 100, page * 100 + 100)
            .map(([id, c]) => ({ id, name: c.name, is_api_campaign: false, tags: [], last_edited: '' })),
          message: 'success',
        },
      };
    });
    this.route('GET', '/campaigns/details', (req) => {
      const campaign = this.campaigns.get(req.query.get('campaign_id') ?? '');
      if (campaign === undefined) return { status: 400, json: { message: 'Invalid campaign_id' } };
      return { json: { name: campaign.name, messages: campaign.messages, channels: ['email'], message: 'success' } };
    });
    this.route('GET', '/campaigns/data_series', (req) => {
      const id = req.query.get('campaign_id') ?? '';
      const length = Number(req.query.get('length'));
      const endingAt = req.query.get('ending_at');
      if (!Number.isInteger(length) || length < 1 || length > 100)
        return { status: 400, json: { message: 'length must be between 1 and 100' } };
      if (!this.series.has(id)) return { status: 400, json: { message: 'Invalid campaign_id' } };
      const end = endingAt === null ? Date.now() : Date.parse(endingAt);
      const start = end - length * 86_400_000;
      const data = (this.series.get(id) ?? []).filter((p) => Date.parse(p.time) >= start && Date.parse(p.time) < end);
      return {
        json: {
          data: data.map((p) => ({
            time: p.time,
            conversions: p.conversions ?? 0,
            revenue: p.revenue ?? 0,
            messages: { email: [{ variation_name: 'Variant 1', ...p.email }] },
          })),
          message: 'success',
        },
      };
    });
  }

  private checkTemplate(req: FakeRequest, create: boolean): FakeResponse | undefined {
    const body = req.json as Partial<FakeBrazeTemplate> | undefined;
    if (
      create &&
      (typeof body?.template_name !== 'string' || typeof body.subject !== 'string' || typeof body.body !== 'string')
    ) {
      return { status: 400, json: { message: 'template_name, subject and body are required' } };
    }
    if (typeof body?.body === 'string' && Buffer.byteLength(body.body) > MAX_BODY)
      return { status: 400, json: { message: 'body exceeds 400 KB' } };
    return undefined;
  }
}

const pick = (b: Partial<FakeBrazeTemplate>): Omit<FakeBrazeTemplate, 'email_template_id'> => ({
  template_name: b.template_name ?? '',
  subject: b.subject ?? '',
  body: b.body ?? '',
  ...(b.plaintext_body === undefined ? {} : { plaintext_body: b.plaintext_body }),
  ...(b.preheader === undefined ? {} : { preheader: b.preheader }),
});
