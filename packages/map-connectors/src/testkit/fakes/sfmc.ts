import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { contractFor } from '../contracts/vendors.js';
import { FakeServer, type FakeRequest, type FakeResponse } from '../fake-server.js';

export interface FakeSfmcAsset {
  id: number;
  customerKey: string;
  name: string;
  category: { id: number };
  views: Record<string, { content?: string }>;
  /** The classic email id sends refer to (`Send.Email.ID`). */
  legacyData?: { legacyId: number };
  /** Image assets: the decoded file and where Content Builder publishes it. */
  file?: Buffer;
  fileProperties?: { publishedURL: string; fileName: string };
}

/** A transactional send definition (Transactional Messaging API). */
export interface FakeSfmcDefinition {
  definitionKey: string;
  name: string;
  status: string;
  content: { customerKey: string };
  subscriptions: { list: string; autoAddSubscriber?: boolean; updateSubscriber?: boolean };
  classification?: string;
}

/** One transactional message accepted for a recipient. */
export interface FakeSfmcMessage {
  definitionKey: string;
  messageKey: string;
  contactKey: string;
  to: string;
  /** The asset the definition pointed at when the message was sent. */
  customerKey: string;
  subject: string | undefined;
}

export interface FakeSfmcEvent {
  type: 'OpenEvent' | 'ClickEvent';
  SendID: number;
  SubscriberKey: string;
  EventDate: string;
}

export interface FakeSfmcSend {
  ID: number;
  /** The classic email the send used (`Email.ID`); a Content Builder email's `legacyData.legacyId`. */
  EmailID?: number;
  EmailName: string;
  SendDate: string;
  NumberSent: number;
  NumberDelivered: number;
  UniqueOpens: number;
  UniqueClicks: number;
  HardBounces: number;
  SoftBounces: number;
  Unsubscribes: number;
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@' });
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A fake of Salesforce Marketing Cloud: `POST /v2/token` (client credentials, returning the
 * REST and SOAP instance URLs), Content Builder assets (create, update, query) and the SOAP
 * `Retrieve` of `Send` objects with `MoreDataAvailable` paging. Tokens expire; throttling is
 * 429 with `errorcode: 50100` and `Retry-After`.
 */
export class FakeSfmc extends FakeServer {
  readonly assets = new Map<number, FakeSfmcAsset>();
  readonly sends: FakeSfmcSend[] = [];
  /** Tracking events (OpenEvent, ClickEvent rows) by send. */
  readonly events: FakeSfmcEvent[] = [];
  readonly issuedTokens: string[] = [];
  /** Transactional send definitions by key. */
  readonly definitions = new Map<string, FakeSfmcDefinition>();
  /** Transactional messages accepted, in order. */
  readonly messages: FakeSfmcMessage[] = [];
  private readonly messageKeys = new Set<string>();
  private readonly tokens = new Map<string, number>();
  private readonly continuations = new Map<string, string[]>();
  private next = 7000;

  constructor(
    readonly clientId = 'sfmc-client',
    readonly clientSecret = 'sfmc-secret',
    private readonly settings: { tokenTtlSeconds?: number; pageSize?: number } = {},
  ) {
    super({
      contract: contractFor('sfmc'),
      rejectResponse: (violations) => ({
        status: 400,
        json: {
          message: 'Invalid request',
          errorcode: 10002,
          validationErrors: violations.map((v) => ({ message: v.message })),
        },
      }),
      throttleResponse: () => ({
        status: 429,
        headers: { 'Retry-After': '0' },
        json: { message: 'Rate limit exceeded', errorcode: 50100, retryAfter: 0 },
      }),
    });
    this.route('POST', '/v2/token', (req) => {
      const body = req.json as { grant_type?: unknown; client_id?: unknown; client_secret?: unknown } | undefined;
      if (body?.grant_type !== 'client_credentials') return { status: 400, json: { error: 'unsupported_grant_type' } };
      if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret)
        return {
          status: 401,
          json: {
            error: 'invalid_client',
            error_description: 'Invalid client ID. Use the client ID in Marketing Cloud Installed Packages.',
          },
        };
      const token = randomUUID().replace(/-/g, '');
      const ttl = this.settings.tokenTtlSeconds ?? 1079;
      this.tokens.set(token, Date.now() + ttl * 1000);
      this.issuedTokens.push(token);
      return {
        json: {
          access_token: token,
          token_type: 'Bearer',
          expires_in: ttl,
          scope: 'email_read email_write',
          soap_instance_url: `${this.url}/`,
          rest_instance_url: `${this.url}/`,
        },
      };
    });
    this.route('POST', '/asset/v1/content/assets', (req) => this.authed(req) ?? this.create(req));
    this.route('PATCH', '/asset/v1/content/assets/:id', (req) => {
      const denied = this.authed(req);
      if (denied !== undefined) return denied;
      const asset = this.assets.get(Number(req.params.id));
      if (asset === undefined) return { status: 404, json: { message: 'Asset not found', errorcode: 10002 } };
      const invalid = validate(req.json);
      if (invalid !== undefined) return invalid;
      Object.assign(asset, pickAsset(req.json as FakeSfmcAsset), { id: asset.id, customerKey: asset.customerKey });
      return { json: asset };
    });
    this.route('POST', '/asset/v1/content/assets/query', (req) => {
      const denied = this.authed(req);
      if (denied !== undefined) return denied;
      const q = (req.json as { query?: { property?: unknown; simpleOperator?: unknown; value?: unknown } } | undefined)
        ?.query;
      if (q?.property !== 'name' || q.simpleOperator !== 'equal')
        return { status: 400, json: { message: 'Only name equal queries are supported by the fake' } };
      const items = [...this.assets.values()].filter((a) => a.name === q.value);
      return { json: { count: items.length, page: 1, pageSize: 50, items } };
    });
    this.route('POST', '/Service.asmx', (req) => this.soap(req));
    this.route('POST', '/messaging/v1/email/definitions/', (req) => {
      const denied = this.authed(req);
      if (denied !== undefined) return denied;
      const body = req.json as Omit<FakeSfmcDefinition, 'status'> & { status?: string };
      if (this.definitions.has(body.definitionKey))
        return { status: 409, json: { message: 'Definition key already exists', errorcode: 30003 } };
      if ([...this.definitions.values()].some((d) => d.name === body.name))
        return { status: 409, json: { message: 'Definition name must be unique', errorcode: 30003 } };
      const unknown = this.unknownContent(body.content.customerKey);
      if (unknown !== undefined) return unknown;
      const definition = { ...body, status: body.status ?? 'Active' };
      this.definitions.set(body.definitionKey, definition);
      return { status: 201, json: { requestId: randomUUID(), ...definition } };
    });
    this.route('PATCH', '/messaging/v1/email/definitions/:key', (req) => {
      const denied = this.authed(req);
      if (denied !== undefined) return denied;
      const definition = this.definitions.get(req.params.key ?? '');
      if (definition === undefined) return { status: 404, json: { message: 'Definition not found', errorcode: 30002 } };
      const body = req.json as Partial<FakeSfmcDefinition>;
      if (body.content !== undefined) {
        const unknown = this.unknownContent(body.content.customerKey);
        if (unknown !== undefined) return unknown;
      }
      Object.assign(definition, body);
      return { json: { requestId: randomUUID(), ...definition } };
    });
    this.route('POST', '/messaging/v1/email/messages/', (req) => {
      const denied = this.authed(req);
      if (denied !== undefined) return denied;
      const body = req.json as {
        definitionKey: string;
        recipients: { contactKey: string; to?: string; messageKey?: string }[];
      };
      const definition = this.definitions.get(body.definitionKey);
      if (definition === undefined) return { status: 404, json: { message: 'Definition not found', errorcode: 30002 } };
      if (definition.status !== 'Active')
        return { status: 400, json: { message: 'Definition is not active', errorcode: 30005 } };
      const asset = [...this.assets.values()].find((a) => a.customerKey === definition.content.customerKey);
      const responses = body.recipients.map((r) => {
        const messageKey = r.messageKey ?? randomUUID();
        if (this.messageKeys.has(messageKey))
          return { messageKey, errorcode: 30008, message: 'MessageKey is not unique' };
        this.messageKeys.add(messageKey);
        this.messages.push({
          definitionKey: definition.definitionKey,
          messageKey,
          contactKey: r.contactKey,
          to: r.to ?? r.contactKey,
          customerKey: definition.content.customerKey,
          subject: asset?.views.subjectline?.content,
        });
        return { messageKey };
      });
      return { status: 202, json: { requestId: randomUUID(), errorcode: 0, responses } };
    });
  }

  /** Send definitions must point at an existing Content Builder email (by its customerKey). */
  private unknownContent(customerKey: string): FakeResponse | undefined {
    return [...this.assets.values()].some((a) => a.customerKey === customerKey)
      ? undefined
      : { status: 400, json: { message: `No content with customerKey ${customerKey}`, errorcode: 30001 } };
  }

  /** Makes every issued token expire now (the next call gets 401): expiry without waiting on a clock. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  private authed(req: FakeRequest): FakeResponse | undefined {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const expires = this.tokens.get(token);
    if (expires === undefined || expires <= Date.now())
      return { status: 401, json: { message: 'Not Authorized', errorcode: 0, documentation: '' } };
    return undefined;
  }

  private create(req: FakeRequest): FakeResponse {
    const invalid = validate(req.json);
    if (invalid !== undefined) return invalid;
    const body = req.json as FakeSfmcAsset;
    if (
      typeof body.customerKey === 'string' &&
      [...this.assets.values()].some((a) => a.customerKey === body.customerKey)
    ) {
      return {
        status: 400,
        json: {
          message: 'Asset validation failed',
          errorcode: 118039,
          validationErrors: [{ message: `customerKey ${body.customerKey} is already in use` }],
        },
      };
    }
    const id = this.next++;
    const image = typeof (req.json as { file?: unknown }).file === 'string';
    const asset: FakeSfmcAsset = {
      ...pickAsset(body),
      id,
      customerKey: typeof body.customerKey === 'string' ? body.customerKey : randomUUID(),
      ...(image
        ? {
            file: Buffer.from((req.json as { file: string }).file, 'base64'),
            fileProperties: {
              fileName: body.name,
              publishedURL: `https://image.s7.exacttarget.example/lib/fe3b/m/1/${encodeURIComponent(body.name)}`,
            },
          }
        : { legacyData: { legacyId: 90_000 + id } }),
    };
    this.assets.set(asset.id, asset);
    return { status: 201, json: asset };
  }

  private soap(req: FakeRequest): FakeResponse {
    const doc = parser.parse(req.body) as {
      Envelope?: {
        Header?: { fueloauth?: unknown };
        Body?: { RetrieveRequestMsg?: { RetrieveRequest?: Record<string, unknown> } };
      };
    };
    const header = doc.Envelope?.Header?.fueloauth;
    const token =
      typeof header === 'string'
        ? header
        : typeof header === 'object' &&
            header !== null &&
            typeof (header as { '#text'?: unknown })['#text'] === 'string'
          ? (header as { '#text': string })['#text']
          : '';
    if (String(req.headers.soapaction).replace(/"/g, '') !== 'Retrieve')
      return soapFault('Client', 'SOAPAction must be Retrieve');
    const expires = this.tokens.get(token);
    if (expires === undefined || expires <= Date.now()) return soapFault('Security', 'Login Failed');
    const request = doc.Envelope?.Body?.RetrieveRequestMsg?.RetrieveRequest ?? {};
    const pageSize = this.settings.pageSize ?? 2;
    let rows: string[];
    if (request.ContinueRequest !== undefined) {
      rows = typeof request.ContinueRequest === 'string' ? (this.continuations.get(request.ContinueRequest) ?? []) : [];
    } else if (request.ObjectType === 'Send') {
      const filter = request.Filter as
        { Property?: unknown; SimpleOperator?: unknown; DateValue?: unknown } | undefined;
      const dates = Array.isArray(filter?.DateValue) ? filter.DateValue.map(String) : [];
      if (filter?.Property !== 'SendDate' || filter.SimpleOperator !== 'between' || dates.length !== 2)
        return soapFault('Client', 'Filter must be SendDate between two DateValues');
      rows = this.sends
        .filter((s) => s.SendDate >= (dates[0] ?? '') && s.SendDate <= (dates[1] ?? ''))
        .map(({ EmailID, ...send }) => {
          const fields = Object.entries(send).map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`);
          if (EmailID !== undefined) fields.push(`<Email><ID>${EmailID}</ID></Email>`);
          return `<Results xsi:type="Send">${fields.join('')}</Results>`;
        });
    } else if (request.ObjectType === 'OpenEvent' || request.ObjectType === 'ClickEvent') {
      const filter = request.Filter as { Property?: unknown; SimpleOperator?: unknown; Value?: unknown } | undefined;
      if (filter?.Property !== 'SendID' || filter.SimpleOperator !== 'equals')
        return soapFault('Client', 'Filter must be SendID equals a value');
      const type = request.ObjectType;
      rows = this.events
        .filter((e) => e.type === type && String(e.SendID) === String(filter.Value))
        .map(
          (e) =>
            `<Results xsi:type="${type}"><SendID>${e.SendID}</SendID><SubscriberKey>${xmlEscape(e.SubscriberKey)}</SubscriberKey><EventDate>${e.EventDate}</EventDate></Results>`,
        );
    } else return soapFault('Client', 'ObjectType must be Send, OpenEvent or ClickEvent');
    const page = rows.slice(0, pageSize);
    const rest = rows.slice(pageSize);
    const requestId = randomUUID();
    if (rest.length > 0) this.continuations.set(requestId, rest);
    const results = page.join('');
    const xml = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body><RetrieveResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI"><OverallStatus>${rest.length > 0 ? 'MoreDataAvailable' : 'OK'}</OverallStatus><RequestID>${requestId}</RequestID>${results}</RetrieveResponseMsg></soap:Body></soap:Envelope>`;
    return { headers: { 'Content-Type': 'text/xml; charset=utf-8' }, text: xml };
  }
}

function soapFault(code: string, message: string): FakeResponse {
  return {
    status: 500,
    headers: { 'Content-Type': 'text/xml' },
    text: `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${xmlEscape(message)}</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
  };
}

function validate(body: unknown): FakeResponse | undefined {
  const b = body as Partial<FakeSfmcAsset> & {
    assetType?: { name?: unknown; id?: unknown };
    data?: { email?: { options?: { characterEncoding?: unknown } } };
  };
  const problems: string[] = [];
  if (typeof b.name !== 'string' || b.name === '') problems.push('name is required');
  const images: Record<string, number> = { gif: 20, jpeg: 22, png: 28 };
  if (typeof b.assetType?.name === 'string' && b.assetType.name in images) {
    if (b.assetType.id !== images[b.assetType.name])
      problems.push(`assetType ${b.assetType.name} has id ${images[b.assetType.name]}`);
    if (typeof (body as { file?: unknown }).file !== 'string') problems.push('file (base64) is required for an image');
    if (typeof b.category?.id !== 'number') problems.push('category.id must be a number');
  } else if (b.assetType?.name !== 'htmlemail' || b.assetType.id !== 208)
    problems.push('assetType must be {name: htmlemail, id: 208}');
  else if (typeof b.category?.id !== 'number') problems.push('category.id must be a number');
  if (b.assetType?.name === 'htmlemail' && typeof b.views?.html?.content !== 'string')
    problems.push('views.html.content is required');
  if (b.assetType?.name === 'htmlemail') {
    if (typeof b.views?.subjectline?.content !== 'string') problems.push('views.subjectline.content is required');
    if (b.data?.email?.options?.characterEncoding !== 'utf-8')
      problems.push('data.email.options.characterEncoding must be utf-8');
  }
  if (typeof b.customerKey === 'string' && b.customerKey.length > 36)
    problems.push('customerKey is at most 36 characters');
  return problems.length === 0
    ? undefined
    : {
        status: 400,
        json: { message: 'Asset validation failed', validationErrors: problems.map((message) => ({ message })) },
      };
}

const pickAsset = (b: FakeSfmcAsset): Omit<FakeSfmcAsset, 'id' | 'customerKey' | 'legacyData'> => ({
  name: b.name,
  category: b.category,
  views: b.views,
});
