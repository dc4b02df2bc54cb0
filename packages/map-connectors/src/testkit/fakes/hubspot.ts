import { contractFor } from '../contracts/vendors.js';
import { FakeServer, LimitMeter, type FakeResponse } from '../fake-server.js';

export interface FakeHubSpotEmail {
  id: string;
  name: string;
  subject?: string;
  language?: string;
  content?: { templatePath?: string; plainTextVersion?: string };
  from?: { fromName?: string; replyTo?: string };
}

/** Counters as HubSpot names them in `aggregate.counters`. */
export type FakeHubSpotCounters = Partial<
  Record<
    'sent' | 'delivered' | 'open' | 'click' | 'bounce' | 'hardbounced' | 'softbounced' | 'unsubscribed' | 'spamreport',
    number
  >
>;

/**
 * A fake of HubSpot's Design Manager source-code upload (multipart `file`, upsert), marketing
 * emails on a dated API version (create, patch, list with `after` cursors) and email statistics. It checks the
 * bearer token and enforces the rolling ten-second limit the way HubSpot signals it: 429 with
 * `policyName: TEN_SECONDLY_ROLLING` and `X-HubSpot-RateLimit-*` headers.
 */
export class FakeHubSpot extends FakeServer {
  readonly files = new Map<string, string>();
  readonly emails = new Map<string, FakeHubSpotEmail>();
  readonly stats = new Map<string, FakeHubSpotCounters>();
  /** Files uploaded through the Files API, by id. */
  readonly uploads = new Map<
    string,
    { id: string; name: string; folderPath: string; bytes: Buffer; url: string; access: string }
  >();
  readonly meter: LimitMeter;
  private next = 5000;

  constructor(
    readonly token = 'pat-na1-fake',
    readonly limit = { calls: 1000, windowMs: 10_000 },
    readonly pageSize = 2,
  ) {
    const meter = new LimitMeter(limit.calls, limit.windowMs, Number.POSITIVE_INFINITY);
    const tooMany = (): FakeResponse => ({
      status: 429,
      headers: {
        'X-HubSpot-RateLimit-Max': String(limit.calls),
        'X-HubSpot-RateLimit-Interval-Milliseconds': String(limit.windowMs),
        'X-HubSpot-RateLimit-Remaining': '0',
      },
      json: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        category: 'RATE_LIMITS',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
    });
    super({
      contract: contractFor('hubspot'),
      rejectResponse: (violations) => ({
        status: 400,
        json: { status: 'error', category: 'VALIDATION_ERROR', message: violations.map((v) => v.message).join('; ') },
      }),
      throttleResponse: tooMany,
      around: async (req, run) => {
        if (req.headers.authorization !== `Bearer ${this.token}`) {
          return {
            status: 401,
            json: {
              status: 'error',
              message: 'Authentication credentials not found.',
              category: 'INVALID_AUTHENTICATION',
            },
          };
        }
        const headers = {
          'X-HubSpot-RateLimit-Max': String(limit.calls),
          'X-HubSpot-RateLimit-Interval-Milliseconds': String(limit.windowMs),
        };
        if (meter.admit() !== undefined) return tooMany();
        const res = await run();
        return { ...res, headers: { ...headers, ...res.headers } };
      },
    });
    this.meter = meter;
    this.route('PUT', '/cms/source-code/:version/:environment/content/*path', (req) => {
      if (req.params.environment !== 'draft' && req.params.environment !== 'published')
        return bad('environment must be draft or published');
      const file = req.files?.get('file');
      if (file === undefined) return bad('file is required');
      const path = req.params.path ?? '';
      const created = !this.files.has(path);
      this.files.set(path, file.text);
      return { status: created ? 201 : 200, json: { path, name: path.split('/').at(-1), folder: false } };
    });
    this.route('POST', '/files/:version/files', (req) => {
      const file = req.files?.get('file');
      let options: { access?: unknown } = {};
      try {
        options = JSON.parse(req.form?.get('options') ?? '{}') as { access?: unknown };
      } catch {
        return {
          status: 400,
          json: { status: 'error', category: 'VALIDATION_ERROR', message: 'options must be JSON' },
        };
      }
      if (file === undefined || typeof options.access !== 'string')
        return {
          status: 400,
          json: { status: 'error', category: 'VALIDATION_ERROR', message: 'file and options.access are required' },
        };
      const id = String(this.next++);
      const name = req.form?.get('fileName') ?? file.filename;
      const folderPath = req.form?.get('folderPath') ?? '/';
      const url = `https://12345.fs1.hubspotusercontent-na1.example/hubfs/12345${folderPath}/${encodeURIComponent(name)}`;
      this.uploads.set(id, { id, name, folderPath, bytes: file.bytes, url, access: options.access });
      return { status: 201, json: { id, name, path: `${folderPath}/${name}`, url, access: options.access } };
    });
    this.route('GET', '/files/:version/files/search', (req) => {
      const found = [...this.uploads.values()].filter((f) => f.name === req.query.get('name'));
      return { json: { results: found.map((f) => ({ id: f.id, name: f.name, url: f.url })) } };
    });
    this.route('POST', '/marketing/emails/:version', (req) => {
      const body = req.json as Partial<FakeHubSpotEmail> | undefined;
      if (typeof body?.name !== 'string' || body.name === '') return bad('name is required');
      const invalid = this.checkEmail(body);
      if (invalid !== undefined) return invalid;
      const email: FakeHubSpotEmail = { ...body, id: String(this.next++), name: body.name };
      this.emails.set(email.id, email);
      return { status: 201, json: email };
    });
    this.route('PATCH', '/marketing/emails/:version/:id', (req) => {
      const email = this.emails.get(req.params.id ?? '');
      if (email === undefined)
        return { status: 404, json: { status: 'error', message: 'Email not found', category: 'OBJECT_NOT_FOUND' } };
      const body = (req.json ?? {}) as Partial<FakeHubSpotEmail>;
      const invalid = this.checkEmail(body);
      if (invalid !== undefined) return invalid;
      Object.assign(email, body, { id: email.id });
      return { json: email };
    });
    this.route('GET', '/marketing/emails/:version', (req) => {
      const all = [...this.emails.values()];
      const after = Number(req.query.get('after') ?? '0');
      const limit = Math.min(Number(req.query.get('limit') ?? '10'), this.pageSize);
      const page = all.slice(after, after + limit);
      return {
        json: {
          total: all.length,
          results: page.map((e) => ({ id: e.id, name: e.name })),
          ...(after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {}),
        },
      };
    });
    this.route('GET', '/marketing/emails/:version/statistics/list', (req) => {
      const ids = req.query.getAll('emailIds');
      if (!req.query.has('startTimestamp') || !req.query.has('endTimestamp'))
        return bad('startTimestamp and endTimestamp are required');
      const counters: Record<string, number> = {};
      for (const id of ids)
        for (const [name, value] of Object.entries(this.stats.get(id) ?? {}))
          counters[name] = (counters[name] ?? 0) + value;
      return {
        json: {
          aggregate: { counters, deviceBreakdown: {}, qualifierStats: {}, ratios: {} },
          campaignAggregations: {},
          emails: ids,
        },
      };
    });
  }

  private checkEmail(body: Partial<FakeHubSpotEmail>): FakeResponse | undefined {
    const path = body.content?.templatePath;
    if (path !== undefined && !this.files.has(path.replace(/^\//, '')))
      return bad(`templatePath ${path} does not exist`);
    if (body.language !== undefined && !/^[a-z]{2,3}(-[a-z0-9]{2,4})?$/.test(body.language))
      return bad('language is not a supported language code');
    return undefined;
  }
}

const bad = (message: string): FakeResponse => ({
  status: 400,
  json: { status: 'error', message, category: 'VALIDATION_ERROR' },
});
