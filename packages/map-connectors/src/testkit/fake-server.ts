import { appendFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ContractViolation, VendorContract } from './contracts/openapi.js';

/** One request as the fake saw it, with the body decoded by content type. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text. */
  body: string;
  /** Parsed JSON body (`application/json`). */
  json?: unknown;
  /** Form fields (`x-www-form-urlencoded` and multipart text fields). */
  form?: URLSearchParams;
  /** Multipart file parts by field name. */
  files?: Map<string, { filename: string; contentType: string; text: string; bytes: Buffer }>;
  /** Path parameters from the matched route. */
  params: Record<string, string>;
  /** When the request arrived (epoch ms). */
  receivedAt: number;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

/**
 * Injected failures. `before` faults answer without touching state (the request was
 * rejected); `after` faults let the fake act on the request and then lose the answer,
 * which is the case that makes naive retries create duplicates.
 */
export type FaultKind = 'http400' | 'http429' | 'http500' | 'http503' | 'timeout' | 'reset' | 'malformed' | 'throttle';

export interface Fault {
  kind: FaultKind;
  /** Act on the request first, then fail (default false). */
  after?: boolean;
  /** Only requests this returns true for. */
  match?: (request: FakeRequest) => boolean;
}

export interface ChaosOptions {
  /** Share of matching requests that fail, 0..1. */
  rate: number;
  kinds: FaultKind[];
  seed?: number;
  match?: (request: FakeRequest) => boolean;
  /** Share of faults applied after the fake acted (default 0.5). */
  afterShare?: number;
}

export type RouteHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** A request the vendor contract refused, and why. */
export interface FakeContractViolation {
  method: string;
  path: string;
  operation?: string;
  violations: ContractViolation[];
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/** A small deterministic PRNG (mulberry32) so chaos runs are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A local HTTP fake of a vendor API on 127.0.0.1 and a random port: routes, a request log,
 * an auth/limit gate, and fault injection. Vendor fakes build on it; plugin authors can too.
 */
export class FakeServer {
  /** Every request received, in order. */
  readonly requests: FakeRequest[] = [];
  /** Faults still to inject, consumed in order by the first request each matches. */
  readonly faults: Fault[] = [];
  /** Counts of injected faults by kind. */
  readonly injected: Partial<Record<FaultKind, number>> = {};
  private readonly routes: Route[] = [];
  private readonly sockets = new Set<Socket>();
  /** Requests the vendor contract refused (the fake answered them as the vendor refuses a bad request). */
  readonly violations: FakeContractViolation[] = [];
  /** Requests checked against the vendor contract, by operation id. */
  readonly validated = new Map<string, number>();
  private server: Server | undefined;
  private chaos: (ChaosOptions & { seen: Map<number, number> }) | undefined;
  private baseUrl = '';
  private fetched = 0;
  /** Requests sent through {@link fetch}, by id: each rejects its caller with a `TimeoutError`. */
  private readonly timeOut = new Map<string, () => void>();

  /**
   * A `fetch` to give the connector under test (its runtime's `fetch`): an injected `timeout`
   * fault makes it reject at once with a `TimeoutError`, as the client's own timer would. Tests
   * can then give real answers all the time a busy machine needs (a long client timeout), while
   * injected timeouts cost nothing and never depend on how fast the machine is.
   */
  readonly fetch: typeof fetch = async (input, init) => {
    const id = String(++this.fetched);
    const timer = new AbortController();
    this.timeOut.set(id, () => {
      timer.abort(new DOMException('no answer (injected timeout)', 'TimeoutError'));
    });
    const headers = new Headers(init?.headers);
    headers.set(REQUEST_ID_HEADER, id);
    const signal = init?.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    try {
      return await fetch(input, { ...init, headers, signal });
    } finally {
      this.timeOut.delete(id);
    }
  };

  /**
   * @param gate runs before every route: return a response to answer early (auth failures,
   *   rate limits), or `undefined` to continue.
   * @param throttleResponse what the vendor answers when it throttles (fault kind `throttle`).
   */
  constructor(
    private readonly options: {
      gate?: (request: FakeRequest) => FakeResponse | undefined;
      throttleResponse?: () => FakeResponse;
      /** Wraps every handled request, e.g. to count concurrency. */
      around?: (request: FakeRequest, run: () => Promise<FakeResponse>) => Promise<FakeResponse>;
      /** The vendor contract every request is checked against before it reaches a route. */
      contract?: VendorContract;
      /** What the vendor answers a request its contract refuses (default: HTTP 400 with the reasons). */
      rejectResponse?: (violations: ContractViolation[]) => FakeResponse;
    } = {},
  ) {}

  get url(): string {
    return this.baseUrl;
  }

  /** Registers a route; `:name` segments become `request.params.name`, a last `*name` segment takes the rest of the path. */
  route(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith('*')) {
          names.push(segment.slice(1));
          return '(.+)';
        }
        const param = /^:(\w+)(.*)$/.exec(segment);
        if (param !== null) {
          names.push(param[1] ?? '');
          return `([^/]+?)${escapeRegExp(param[2] ?? '')}`;
        }
        return escapeRegExp(segment);
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** Queues one fault. */
  inject(fault: Fault): this {
    this.faults.push(fault);
    return this;
  }

  /**
   * Fails a random share of requests. Each decision is drawn from the seed, the request
   * (method, path, query, body) and how often that request came before, not from arrival
   * order, so a seed fails the same requests however concurrent calls interleave.
   */
  setChaos(options: ChaosOptions | undefined): this {
    this.chaos = options === undefined ? undefined : { ...options, seen: new Map() };
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      // A client that gives up mid-request (its timeout, a reset) makes reading the body fail: drop that connection, as a server would.
      this.handle(req, res).catch(() => res.destroy());
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    this.requests.push(request);
    const refused = this.checkContract(request);
    if (refused !== undefined) {
      send(res, refused);
      return;
    }
    const route = this.match(request);
    const fault = this.nextFault(request);
    if (fault !== undefined) this.injected[fault.kind] = (this.injected[fault.kind] ?? 0) + 1;
    if (fault !== undefined && fault.after !== true) {
      this.fail(fault.kind, request, res, undefined);
      return;
    }
    const early = this.options.gate?.(request);
    let response: FakeResponse;
    if (early !== undefined) response = early;
    else if (route === undefined)
      response = { status: 404, json: { message: `no route for ${request.method} ${request.path}` } };
    else {
      const run = async () => {
        try {
          return await route.handler(request);
        } catch (error) {
          return { status: 500, json: { message: error instanceof Error ? error.message : String(error) } };
        }
      };
      response = await (this.options.around ? this.options.around(request, run) : run());
    }
    if (fault !== undefined) {
      this.fail(fault.kind, request, res, response);
      return;
    }
    send(res, response);
  }

  /** Checks a request against the vendor contract; a refusal is the response to send. */
  private checkContract(request: FakeRequest): FakeResponse | undefined {
    const contract = this.options.contract;
    if (contract === undefined) return undefined;
    const result = contract.check(request);
    const key = result.operation ?? `${request.method} ${request.path}`;
    this.validated.set(key, (this.validated.get(key) ?? 0) + 1);
    const log = process.env.HUBSPOKE_CONTRACT_LOG;
    if (log !== undefined && log !== '')
      appendFileSync(
        log,
        `${JSON.stringify({ vendor: contract.vendor, operation: key, ok: result.violations.length === 0 })}\n`,
      );
    if (result.violations.length === 0) return undefined;
    this.violations.push({
      method: request.method,
      path: request.path,
      ...(result.operation === undefined ? {} : { operation: result.operation }),
      violations: result.violations,
    });
    return (
      this.options.rejectResponse?.(result.violations) ?? {
        status: 400,
        json: { message: `Bad request: ${result.violations.map((v) => v.message).join('; ')}` },
      }
    );
  }

  private match(request: FakeRequest): Route | undefined {
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const found = route.pattern.exec(request.path);
      if (found === null) continue;
      route.names.forEach((name, index) => {
        request.params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return route;
    }
    return undefined;
  }

  private nextFault(request: FakeRequest): Fault | undefined {
    const index = this.faults.findIndex((f) => f.match === undefined || f.match(request));
    if (index >= 0) return this.faults.splice(index, 1)[0];
    const chaos = this.chaos;
    if (chaos === undefined || (chaos.match !== undefined && !chaos.match(request))) return undefined;
    const signature = hash(`${request.method} ${request.path}?${request.query.toString()}\n${request.body}`);
    const occurrence = (chaos.seen.get(signature) ?? 0) + 1;
    chaos.seen.set(signature, occurrence);
    const random = seededRandom(hash(`${chaos.seed ?? 1}:${occurrence}:${signature}`));
    if (random() >= chaos.rate) return undefined;
    const kind = chaos.kinds[Math.floor(random() * chaos.kinds.length)] ?? 'http500';
    return { kind, after: kind !== 'throttle' && kind !== 'http429' && random() < (chaos.afterShare ?? 0.5) };
  }

  private fail(kind: FaultKind, request: FakeRequest, res: ServerResponse, acted: FakeResponse | undefined): void {
    switch (kind) {
      case 'http400':
        send(res, { status: 400, json: { message: 'Bad Request' } });
        return;
      case 'http429':
        send(res, { status: 429, headers: { 'Retry-After': '0' }, json: { message: 'Too Many Requests' } });
        return;
      case 'http500':
        send(res, { status: 500, json: { message: 'Internal Server Error' } });
        return;
      case 'http503':
        send(res, { status: 503, json: { message: 'Service Unavailable' } });
        return;
      case 'throttle':
        send(
          res,
          this.options.throttleResponse?.() ?? {
            status: 429,
            headers: { 'Retry-After': '0' },
            json: { message: 'Too Many Requests' },
          },
        );
        return;
      case 'malformed': {
        const text = JSON.stringify(acted?.json ?? { ok: true });
        res.writeHead(acted?.status ?? 200, { 'Content-Type': 'application/json' });
        res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        return;
      }
      case 'reset':
        res.socket?.destroy();
        return;
      case 'timeout': {
        // Never answer. A client using `fetch` above times out now; any other waits for its own timer,
        // and `close()` tears the socket down.
        const id = request.headers[REQUEST_ID_HEADER];
        if (typeof id === 'string') this.timeOut.get(id)?.();
        return;
      }
    }
  }
}

/** Links a request the fake receives to the {@link FakeServer.fetch} call that sent it. */
const REQUEST_ID_HEADER = 'x-fake-server-request';

/**
 * Throws when the fake saw requests its vendor contract refused, naming each (and forgets
 * them, so one test's mistake is reported once). Call it after every test.
 */
export function assertContractClean(fake: FakeServer): void {
  const seen = fake.violations.splice(0);
  if (seen.length === 0) return;
  const lines = seen.map(
    (v) =>
      `${v.method} ${v.path}${v.operation === undefined ? '' : ` (${v.operation})`}: ${v.violations.map((x) => x.message).join('; ')}`,
  );
  throw new Error(`The vendor contract refused ${seen.length} request(s):\n${lines.join('\n')}`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** FNV-1a, 32 bits: a stable number for a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function send(res: ServerResponse, response: FakeResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let body = '';
  if (response.json !== undefined) {
    body = JSON.stringify(response.json);
    headers['Content-Type'] ??= 'application/json';
  } else if (response.text !== undefined) {
    body = response.text;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  }
  res.writeHead(response.status ?? 200, headers);
  res.end(body);
}

async function readRequest(req: IncomingMessage): Promise<FakeRequest> {
  const receivedAt = Date.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const body = raw.toString('utf8');
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const request: FakeRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    params: {},
    receivedAt,
  };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json') && body.trim() !== '') {
    try {
      request.json = JSON.parse(body) as unknown;
    } catch {
      request.json = undefined;
    }
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    request.form = new URLSearchParams(body);
  } else if (type.startsWith('multipart/form-data')) {
    // Undici's multipart parser is fine for the small bodies a local fake receives; its deprecation targets servers facing untrusted traffic.
    const data = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    })
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      .formData();
    request.form = new URLSearchParams();
    request.files = new Map();
    for (const [name, value] of data.entries()) {
      if (typeof value === 'string') request.form.append(name, value);
      else {
        const bytes = Buffer.from(await value.arrayBuffer());
        request.files.set(name, { filename: value.name, contentType: value.type, text: bytes.toString('utf8'), bytes });
      }
    }
  }
  return request;
}

/** Counts requests in a rolling window and in flight, for fakes that enforce vendor limits. */
export class LimitMeter {
  private readonly arrivals: number[] = [];
  inFlight = 0;
  /** Requests the fake refused for exceeding a limit. */
  refused = 0;

  constructor(
    readonly calls: number,
    readonly windowMs: number,
    readonly concurrency: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `rate` or `concurrency` when the request must be refused, else records it. */
  admit(): 'rate' | 'concurrency' | undefined {
    const now = this.now();
    while (this.arrivals.length > 0 && (this.arrivals[0] ?? 0) <= now - this.windowMs) this.arrivals.shift();
    if (this.inFlight >= this.concurrency) {
      this.refused++;
      return 'concurrency';
    }
    if (this.arrivals.length >= this.calls) {
      this.refused++;
      return 'rate';
    }
    this.arrivals.push(now);
    return undefined;
  }
}
