import { contractFor } from '../contracts/vendors.js';
import { FakeServer, type FakeRequest, type FakeResponse } from '../fake-server.js';

export interface FakeEloquaEmail {
  id: string;
  name: string;
  subject?: string;
  folderId?: string;
  htmlContent?: { type: string; html: string };
  plainText?: string;
  senderName?: string;
  senderEmail?: string;
  replyToEmail?: string;
  previewText?: string;
}

/** A dynamic content as the fake keeps it: the request body as sent. */
export interface FakeEloquaDynamicContent {
  id: string;
  name: string;
  defaultContentSection: { contentHtml: string };
  rules: {
    contentSection: { contentHtml: string };
    criteria: { id: string; fieldId: string; condition: { operator: string; value: string } }[];
    statement: string;
  }[];
}

export interface FakeEloquaActivity {
  type: 'EmailSend' | 'EmailOpen' | 'EmailClickthrough' | 'Bounceback' | 'Unsubscribe';
  assetId: string;
  contactId: string;
  createdAt: string;
}

/**
 * A fake of Oracle Eloqua: `GET /id` on the login host (base URL discovery), REST 2.0 email
 * assets (`RawHtmlContent`, create, update, search by name) and the Bulk API 2.0 activity
 * export → sync → data flow with offset paging. Basic auth as `Company\User:Password`.
 */
export class FakeEloqua extends FakeServer {
  readonly emails = new Map<string, FakeEloquaEmail>();
  /** Dynamic content assets by id (REST 2.0 `assets/dynamicContent`, undocumented by Oracle: see the contract fixture README). */
  readonly dynamicContents = new Map<string, FakeEloquaDynamicContent>();
  readonly activities: FakeEloquaActivity[] = [];
  /** Contacts by email address (seed inboxes must exist as contacts to get a test deployment). */
  readonly contacts = new Map<string, string>();
  /** Test deployments made: which email went to which contact. */
  readonly deployments: { emailId: string; contactId: string; name: string }[] = [];
  /** Uploaded images by id. */
  readonly images = new Map<
    string,
    { id: string; name: string; contentType: string; bytes: Buffer; fullImageUrl: string }
  >();
  /** Simulates a pod move: `/id` points here, and every other call answers 401. */
  movedTo: string | undefined;
  private readonly exports = new Map<string, { filter: string; fields: Record<string, string> }>();
  private readonly syncs = new Map<string, { exportId: string; polls: number }>();
  private next = 100;

  constructor(
    readonly company = 'AcmeCorp',
    readonly user = 'Jane.Doe',
    readonly password = 'eloqua-password',
    private readonly pageSize = 2,
  ) {
    super({
      contract: contractFor('eloqua'),
      rejectResponse: (violations) => ({
        status: 400,
        json: violations.map((v) => ({
          type: 'ObjectValidationError',
          container: {},
          property: v.in,
          requirement: { type: 'Contract', message: v.message },
        })),
      }),
      gate: (req) =>
        req.headers.authorization !== this.expectedAuth() || (this.movedTo !== undefined && req.path !== '/id')
          ? { status: 401, text: 'Not authenticated.' }
          : undefined,
    });
    this.route('GET', '/id', () => ({
      json: {
        site: { id: 42, name: this.company },
        user: { id: 7, username: this.user },
        urls: {
          base: this.movedTo ?? this.url,
          apis: { rest: { standard: `${this.url}/api/REST/{version}/` }, bulk: `${this.url}/api/bulk/{version}/` },
        },
      },
    }));
    this.route('GET', '/api/REST/1.0/data/contacts', (req) => {
      const address = /^emailAddress='(.*)'$/.exec(req.query.get('search') ?? '')?.[1];
      const id = address === undefined ? undefined : this.contacts.get(address.toLowerCase());
      return {
        json: {
          elements: id === undefined ? [] : [{ type: 'Contact', id, emailAddress: address }],
          page: 1,
          pageSize: 2,
          total: id === undefined ? 0 : 1,
        },
      };
    });
    this.route('POST', '/api/REST/2.0/assets/email/deployment', (req) => {
      const body = req.json as { type?: unknown; name?: unknown; contactId?: unknown; email?: { id?: unknown } };
      const email = this.emails.get(String(body.email?.id));
      if (email === undefined) return { status: 404, json: [{ type: 'ObjectNotFound', value: 'email' }] };
      if (![...this.contacts.values()].includes(String(body.contactId)))
        return { status: 404, json: [{ type: 'ObjectNotFound', value: 'contact' }] };
      const id = String(this.next++);
      this.deployments.push({ emailId: email.id, contactId: String(body.contactId), name: String(body.name) });
      return { status: 201, json: { type: 'EmailTestDeployment', id, name: body.name, contactId: body.contactId } };
    });
    this.route('POST', '/api/REST/1.0/assets/image/content', (req) => {
      const file = req.files?.get('file');
      if (file === undefined) return { status: 400, json: [{ type: 'ValidationError', value: 'file is required' }] };
      const id = String(this.next++);
      const fullImageUrl = `/EloquaImages/clients/${this.company}/%7b${id}%7d_${encodeURIComponent(file.filename)}`;
      this.images.set(id, { id, name: file.filename, contentType: file.contentType, bytes: file.bytes, fullImageUrl });
      return { status: 201, json: { type: 'ImageFile', id, name: file.filename, fullImageUrl } };
    });
    this.route('GET', '/api/REST/1.0/assets/images', (req) => {
      const name = /^name='(.*)'$/.exec(req.query.get('search') ?? '')?.[1] ?? '';
      const found = [...this.images.values()].filter((i) =>
        name.endsWith('*') ? i.name.startsWith(name.slice(0, -1)) : i.name === name,
      );
      return {
        json: {
          elements: found.map((i) => ({ type: 'ImageFile', id: i.id, name: i.name, fullImageUrl: i.fullImageUrl })),
          page: 1,
          total: found.length,
        },
      };
    });
    this.route('POST', '/api/REST/2.0/assets/dynamicContent', (req) => this.saveDynamicContent(req, undefined));
    this.route('PUT', '/api/REST/2.0/assets/dynamicContent/:id', (req) => this.saveDynamicContent(req, req.params.id));
    this.route('GET', '/api/REST/2.0/assets/dynamicContents', (req) => {
      const exact = /^name='(.*)'$/.exec(req.query.get('search') ?? '')?.[1];
      const found = [...this.dynamicContents.values()].filter((d) =>
        exact === undefined ? true : exact.endsWith('*') ? d.name.startsWith(exact.slice(0, -1)) : d.name === exact,
      );
      return {
        json: {
          elements: found.map((d) => ({ type: 'DynamicContent', id: d.id, name: d.name })),
          page: 1,
          pageSize: found.length,
          total: found.length,
        },
      };
    });
    this.route('POST', '/api/REST/2.0/assets/email', (req) => this.saveEmail(req, undefined));
    this.route('PUT', '/api/REST/2.0/assets/email/:id', (req) => this.saveEmail(req, req.params.id));
    this.route('GET', '/api/REST/2.0/assets/emails', (req) => {
      const search = req.query.get('search') ?? '';
      const exact = /^name='(.*)'$/.exec(search)?.[1];
      const found = [...this.emails.values()].filter((e) =>
        exact === undefined ? true : exact.endsWith('*') ? e.name.startsWith(exact.slice(0, -1)) : e.name === exact,
      );
      return {
        json: {
          elements: found.map((e) => ({ type: 'Email', id: e.id, name: e.name })),
          page: 1,
          pageSize: found.length,
          total: found.length,
        },
      };
    });
    this.route('POST', '/api/bulk/2.0/activities/exports', (req) => {
      const body = req.json as { name?: unknown; fields?: unknown; filter?: unknown } | undefined;
      if (
        typeof body?.name !== 'string' ||
        typeof body.filter !== 'string' ||
        typeof body.fields !== 'object' ||
        body.fields === null
      )
        return {
          status: 400,
          json: { failures: [{ field: 'definition', value: 'name, fields and filter are required' }] },
        };
      if (body.filter.length > 1000)
        return { status: 400, json: { failures: [{ field: 'filter', value: 'filter exceeds 1000 characters' }] } };
      if (!/'\{\{Activity\.Type\}\}'='(\w+)'/.test(body.filter))
        return {
          status: 400,
          json: { failures: [{ field: 'filter', value: 'activity exports must filter on {{Activity.Type}}' }] },
        };
      const id = String(this.next++);
      this.exports.set(id, { filter: body.filter, fields: body.fields as Record<string, string> });
      return {
        status: 201,
        json: { uri: `/activities/exports/${id}`, name: body.name, fields: body.fields, filter: body.filter },
      };
    });
    this.route('POST', '/api/bulk/2.0/syncs', (req) => {
      const uri = (req.json as { syncedInstanceUri?: unknown } | undefined)?.syncedInstanceUri;
      const exportId = typeof uri === 'string' ? /^\/activities\/exports\/(\d+)$/.exec(uri)?.[1] : undefined;
      if (exportId === undefined || !this.exports.has(exportId))
        return { status: 400, json: { failures: [{ field: 'syncedInstanceUri', value: 'unknown export' }] } };
      const id = String(this.next++);
      this.syncs.set(id, { exportId, polls: 0 });
      return { status: 201, json: { syncedInstanceUri: uri, status: 'pending', uri: `/syncs/${id}` } };
    });
    this.route('GET', '/api/bulk/2.0/syncs/:id', (req) => {
      const sync = this.syncs.get(req.params.id ?? '');
      if (sync === undefined) return { status: 404, json: {} };
      sync.polls++;
      return { json: { uri: `/syncs/${req.params.id ?? ''}`, status: sync.polls > 1 ? 'success' : 'active' } };
    });
    this.route('GET', '/api/bulk/2.0/syncs/:id/data', (req) => this.data(req));
  }

  private expectedAuth(): string {
    return `Basic ${Buffer.from(`${this.company}\\${this.user}:${this.password}`, 'utf8').toString('base64')}`;
  }

  private saveEmail(req: FakeRequest, id: string | undefined): FakeResponse {
    const body = req.json as Partial<FakeEloquaEmail> | undefined;
    if (typeof body?.name !== 'string' || body.name === '')
      return {
        status: 400,
        json: [{ type: 'ObjectValidationError', property: 'name', requirement: { type: 'NotEmptyRequirement' } }],
      };
    if (body.htmlContent?.type !== 'RawHtmlContent' || typeof body.htmlContent.html !== 'string')
      return {
        status: 400,
        json: [{ type: 'ObjectValidationError', property: 'htmlContent', requirement: { type: 'RawHtmlContent' } }],
      };
    // An email may reference only dynamic contents that exist.
    for (const [, ref] of body.htmlContent.html.matchAll(/elqid="([^"]*)" elqtype="DynamicContent"/g))
      if (!this.dynamicContents.has(ref ?? ''))
        return {
          status: 400,
          json: [
            {
              type: 'ObjectValidationError',
              property: 'htmlContent',
              requirement: { type: 'DynamicContentExists', value: ref },
            },
          ],
        };
    if (id !== undefined) {
      if (!this.emails.has(id)) return { status: 404, json: [] };
      if (body.id !== id)
        return {
          status: 400,
          json: [{ type: 'ObjectValidationError', property: 'id', requirement: { type: 'IdMatchesPath' } }],
        };
    }
    const email: FakeEloquaEmail = { ...body, name: body.name, id: id ?? String(this.next++) };
    this.emails.set(email.id, email);
    return { status: id === undefined ? 201 : 200, json: { type: 'Email', ...email } };
  }

  private saveDynamicContent(req: FakeRequest, id: string | undefined): FakeResponse {
    // The contract checked the shape; the fake checks what it cannot: each statement names exactly its rule's criteria.
    const body = req.json as Omit<FakeEloquaDynamicContent, 'id'> & { id?: string };
    for (const rule of body.rules) {
      const named = rule.statement.match(/-\d+/g) ?? [];
      const ids = rule.criteria.map((c) => c.id);
      if (named.length !== ids.length || named.some((n) => !ids.includes(n)) || new Set(ids).size !== ids.length)
        return {
          status: 400,
          json: [{ type: 'ObjectValidationError', property: 'statement', requirement: { type: 'CriteriaReferenced' } }],
        };
    }
    if ([...this.dynamicContents.values()].some((d) => d.name === body.name && d.id !== id))
      return {
        status: 409,
        json: [{ type: 'ObjectValidationError', property: 'name', requirement: { type: 'UniquenessRequirement' } }],
      };
    if (id !== undefined && !this.dynamicContents.has(id)) return { status: 404, json: [] };
    const saved: FakeEloquaDynamicContent = { ...body, id: id ?? String(this.next++) };
    this.dynamicContents.set(saved.id, saved);
    return { status: id === undefined ? 201 : 200, json: { type: 'DynamicContent', ...saved } };
  }

  private data(req: FakeRequest): FakeResponse {
    const sync = this.syncs.get(req.params.id ?? '');
    const definition = sync === undefined ? undefined : this.exports.get(sync.exportId);
    if (definition === undefined) return { status: 404, json: {} };
    const type = /'\{\{Activity\.Type\}\}'='(\w+)'/.exec(definition.filter)?.[1];
    const from = /'\{\{Activity\.CreatedAt\}\}'>='([^']+)'/.exec(definition.filter)?.[1] ?? '';
    const to = /'\{\{Activity\.CreatedAt\}\}'<'([^']+)'/.exec(definition.filter)?.[1] ?? '\uffff';
    const rows = this.activities.filter((a) => a.type === type && a.createdAt >= from && a.createdAt < to);
    const offset = Number(req.query.get('offset') ?? '0');
    const limit = Math.min(Number(req.query.get('limit') ?? '1000'), this.pageSize);
    const page = rows.slice(offset, offset + limit);
    const fieldFor = (template: string, a: FakeEloquaActivity) =>
      template === '{{Activity.Asset.Id}}'
        ? a.assetId
        : template === '{{Activity.Contact.Id}}'
          ? a.contactId
          : template === '{{Activity.CreatedAt}}'
            ? a.createdAt
            : '';
    const items = page.map((a) =>
      Object.fromEntries(Object.entries(definition.fields).map(([name, template]) => [name, fieldFor(template, a)])),
    );
    return {
      json: {
        totalResults: rows.length,
        limit,
        offset,
        count: items.length,
        hasMore: offset + limit < rows.length,
        items,
      },
    };
  }
}
