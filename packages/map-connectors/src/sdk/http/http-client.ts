import { HubspokeError, checkArgs, guardMethods, isHubspokeError, type ErrorCode } from '@hubspoke/core';
import type { AuthProvider } from './auth.js';
import { DEFAULT_RETRY_POLICY, retryDelay, retryAfterMs, sleep, type RetryPolicy } from './backoff.js';
import type { DryRunRecorder } from './dry-run.js';
import { silentLogger, type Logger, type LogLevel } from './logger.js';
import { Redactor } from './redact.js';
import { KeyedSerializer, Throttle } from './throttle.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface MultipartPart {
  name: string;
  /** Text, or the bytes of a file part. */
  value: string | Uint8Array;
  filename?: string;
  contentType?: string;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute, or relative to the client's base URL. */
  url: string;
  /** A short name for logs and errors, e.g. `createEmail`. */
  operation: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Exactly one body kind. */
  json?: unknown;
  form?: Record<string, string | undefined>;
  multipart?: MultipartPart[];
  text?: { body: string; contentType: string };
  /**
   * Whether sending the request twice has the effect of sending it once. Defaults to true
   * for GET, PUT and DELETE. Non-idempotent requests are not retried after a failure that
   * may have happened after the server acted (timeout, reset, 5xx): the error is marked
   * `details.ambiguous` so the caller can look the result up instead.
   */
  idempotent?: boolean;
  /** Attach credentials (default true). */
  auth?: boolean;
  /** Count against the rate and concurrency limits (default true). */
  throttled?: boolean;
  /** Requests with the same key run one at a time. */
  serializeKey?: string;
  responseType?: 'json' | 'text' | 'stream';
  timeoutMs?: number;
  /** The body a dry run pretends the server answered with. */
  dryRunBody?: unknown;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** True when the request was only recorded (dry run). */
  dryRun: boolean;
}

/** What to do with a response. */
export type Verdict =
  | { kind: 'ok' }
  /** A transient failure: back off and retry (idempotent requests only). */
  | { kind: 'retry'; reason: string; vendorCode?: string }
  /** The credential was rejected or expired: get a new one and retry. */
  | { kind: 'reauth'; reason: string; vendorCode?: string }
  /**
   * The vendor asked us to slow down; the request was not processed, so it is retried
   * after `delayMs` (or the `Retry-After` headers, or backoff). `pause` holds every call,
   * not just this one. `final` means waiting will not help today (a daily quota).
   */
  | { kind: 'rate-limited'; reason: string; vendorCode?: string; delayMs?: number; pause?: boolean; final?: boolean }
  | { kind: 'fail'; code: ErrorCode; reason: string; vendorCode?: string };

export interface ClassifyInput {
  status: number;
  headers: Headers;
  /** Parsed JSON (or text) body; `undefined` for empty bodies and streams. */
  body: unknown;
  request: HttpRequest;
}

export type Classifier = (response: ClassifyInput) => Verdict;

/** The HTTP-status rules every vendor shares; connector classifiers fall back to it. */
export function classifyStatus({ status }: ClassifyInput, vendorMessage?: string): Verdict {
  const reason =
    vendorMessage === undefined || vendorMessage === '' ? `HTTP ${status}` : `HTTP ${status}: ${vendorMessage}`;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 401) return { kind: 'reauth', reason };
  if (status === 403) return { kind: 'fail', code: 'E_AUTH', reason: `permission denied (${reason})` };
  if (status === 404 || status === 410) return { kind: 'fail', code: 'E_NOT_FOUND', reason };
  if (status === 409) return { kind: 'fail', code: 'E_CONFLICT', reason };
  if (status === 429) return { kind: 'rate-limited', reason };
  if (status === 408 || status >= 500) return { kind: 'retry', reason };
  return {
    kind: 'fail',
    code: status === 400 || status === 413 || status === 414 || status === 422 ? 'E_VALIDATION' : 'E_UPSTREAM',
    reason,
  };
}

export interface HttpClientOptions {
  /** Connector id, for logs and errors. */
  connector: string;
  /** Human name used in error messages, e.g. `Marketo`. */
  vendor: string;
  baseUrl?: string;
  classify?: Classifier;
  auth?: AuthProvider;
  throttle?: Throttle;
  retry?: Partial<RetryPolicy>;
  redactor?: Redactor;
  logger?: Logger;
  dryRun?: DryRunRecorder;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
}

const USER_AGENT = 'hubspoke-map-connectors/0.1';

/** Failures of the transport itself (no usable HTTP response). */
interface TransportFailure {
  code: 'E_TIMEOUT' | 'E_UPSTREAM';
  reason: string;
  /** The server may have acted on the request. */
  ambiguous: boolean;
}

/**
 * `fetch` with everything a vendor API needs: base URL, auth with refresh, a rate and
 * concurrency throttle, a per-vendor classifier, retries with jittered backoff honouring
 * `Retry-After`/`X-RateLimit-*`, timeouts, cancellation, redacted logs and dry runs.
 */
export class HttpClient {
  readonly redactor: Redactor;
  readonly throttle: Throttle;
  readonly #policy: RetryPolicy;
  readonly #logger: Logger;
  readonly #serializer = new KeyedSerializer();
  readonly #fetchImpl: typeof fetch;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    checkArgs('HttpClient', ['options:object'], [options]);
    this.redactor = options.redactor ?? new Redactor();
    this.throttle = options.throttle ?? new Throttle();
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#logger = options.logger ?? silentLogger;
    this.#fetchImpl = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** Sends a request and returns the parsed response, or throws a redacted HubspokeError. */
  async send<T = unknown>(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse<T>> {
    const run = () => this.#sendNow<T>(request, signal);
    return request.serializeKey === undefined ? run() : this.#serializer.run(request.serializeKey, run);
  }

  /** Logs a redacted record. */
  log(level: LogLevel, event: string, message: string, fields: Record<string, unknown> = {}): void {
    this.#logger(this.redactor.redactDeep({ level, event, connector: this.options.connector, message, ...fields }));
  }

  /** A HubspokeError whose message, details and cause carry no secret. */
  error(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown): HubspokeError {
    return this.redactor.error(
      new HubspokeError(code, message, {
        details: { connector: this.options.connector, ...details },
        ...(cause === undefined ? {} : { cause }),
      }),
    );
  }

  async #sendNow<T>(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse<T>> {
    const url = this.#buildUrl(request);
    const idempotent = request.idempotent ?? request.method !== 'POST';
    if (this.options.dryRun !== undefined) return this.#recordDryRun<T>(request, url, signal);

    let attempt = 0;
    let rateLimitWaits = 0;
    let reauths = 0;
    for (;;) {
      this.#checkAborted(signal, request);
      attempt++;
      const credentials = await this.#credentials(request, signal);
      const outcome = await this.#attempt(request, url, { ...this.#headers(request), ...credentials }, signal);
      const context = { operation: request.operation, method: request.method, url, attempt };

      if ('ambiguous' in outcome) {
        if (outcome.ambiguous && !idempotent) {
          throw this.error(
            outcome.code,
            `${this.options.vendor} ${request.operation}: ${outcome.reason}; the server may have acted on it`,
            { ...context, ambiguous: true },
          );
        }
        if (attempt >= this.#policy.maxAttempts)
          throw this.error(
            outcome.code,
            `${this.options.vendor} ${request.operation} failed after ${attempt} attempts: ${outcome.reason}`,
            context,
          );
        await this.#backoff(attempt, undefined, outcome.reason, context, signal);
        continue;
      }
      const { verdict: v, response } = outcome;
      const status = response.status;
      switch (v.kind) {
        case 'ok':
          this.#observeQuota(response.headers);
          return response as HttpResponse<T>;
        case 'reauth':
          reauths++;
          if (request.auth === false || this.options.auth?.refreshable !== true || reauths > 2) {
            throw this.error(
              'E_AUTH',
              `${this.options.vendor} rejected the credentials (${request.operation}): ${v.reason}`,
              { ...context, status, vendorCode: v.vendorCode },
            );
          }
          this.log(
            'info',
            'auth.refresh',
            `${this.options.vendor} rejected the access token (${v.reason}); fetching a new one`,
            { ...context, vendorCode: v.vendorCode },
          );
          this.options.auth.invalidate(credentials);
          attempt--; // a rejected token is not a failed attempt
          continue;
        case 'rate-limited': {
          const delay = v.delayMs ?? retryAfterMs(response.headers, this.#now());
          if (v.final === true || rateLimitWaits >= this.#policy.maxRateLimitWaits) {
            throw this.error('E_RATE_LIMITED', `${this.options.vendor} ${request.operation}: ${v.reason}`, {
              ...context,
              status,
              vendorCode: v.vendorCode,
              retryAfterMs: delay,
            });
          }
          rateLimitWaits++;
          attempt--; // throttled requests were not processed
          const waitMs = delay ?? retryDelay(rateLimitWaits, this.#policy, this.#random);
          if (v.pause === true) this.throttle.pauseUntil(this.#now() + waitMs);
          this.log('warn', 'http.rate-limited', `${this.options.vendor} asked to slow down; waiting ${waitMs} ms`, {
            ...context,
            status,
            vendorCode: v.vendorCode,
            waitMs,
          });
          await this.#wait(waitMs, signal, request);
          continue;
        }
        case 'retry':
          if (!idempotent) {
            throw this.error(
              'E_UPSTREAM',
              `${this.options.vendor} ${request.operation}: ${v.reason}; the server may have acted on it`,
              { ...context, status, vendorCode: v.vendorCode, ambiguous: true },
            );
          }
          if (attempt >= this.#policy.maxAttempts) {
            throw this.error(
              'E_UPSTREAM',
              `${this.options.vendor} ${request.operation} failed after ${attempt} attempts: ${v.reason}`,
              { ...context, status, vendorCode: v.vendorCode },
            );
          }
          await this.#backoff(
            attempt,
            response.headers,
            v.reason,
            { ...context, status, vendorCode: v.vendorCode },
            signal,
          );
          continue;
        case 'fail':
          throw this.error(v.code, `${this.options.vendor} ${request.operation}: ${v.reason}`, {
            ...context,
            status,
            vendorCode: v.vendorCode,
          });
      }
    }
  }

  async #attempt(
    request: HttpRequest,
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<TransportFailure | { verdict: Verdict; response: HttpResponse }> {
    const release = request.throttled === false ? () => undefined : await this.#acquire(signal, request);
    const timeout = AbortSignal.timeout(request.timeoutMs ?? this.#policy.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    const started = this.#now();
    this.log('debug', 'http.request', `${request.method} ${request.operation}`, {
      operation: request.operation,
      method: request.method,
      url,
    });
    let raw: Response;
    let body: unknown;
    try {
      const payload = this.#encodeBody(request);
      raw = await this.#fetchImpl(url, {
        method: request.method,
        headers,
        signal: combined,
        redirect: 'error',
        ...(payload === undefined ? {} : { body: payload }),
      });
      if (request.responseType === 'stream') {
        body = raw.body;
      } else {
        const text = await raw.text();
        body = text;
        if ((request.responseType ?? 'json') === 'json' && text.trim() !== '') {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            // A 2xx with a truncated or garbled body: the server probably acted.
            if (raw.ok)
              return {
                code: 'E_UPSTREAM',
                reason: `malformed JSON in an HTTP ${raw.status} response`,
                ambiguous: true,
              };
          }
        } else if (text.trim() === '' && (request.responseType ?? 'json') === 'json') {
          body = undefined;
        }
      }
    } catch (cause) {
      this.#checkAborted(signal, request);
      // Our timer, or a fetch that enforces its own timeout (a proxy, a test fake).
      if (timeout.aborted || (cause as { name?: unknown } | null)?.name === 'TimeoutError')
        return {
          code: 'E_TIMEOUT',
          reason: `no answer within ${request.timeoutMs ?? this.#policy.timeoutMs} ms`,
          ambiguous: true,
        };
      const code = networkCode(cause);
      // A refused connection never reached the server; anything else may have.
      return { code: 'E_UPSTREAM', reason: `network error (${code ?? 'unknown'})`, ambiguous: code !== 'ECONNREFUSED' };
    } finally {
      release();
    }
    const response: HttpResponse = { status: raw.status, headers: raw.headers, body, dryRun: false };
    this.log('debug', 'http.response', `${request.method} ${request.operation} → ${raw.status}`, {
      operation: request.operation,
      status: raw.status,
      durationMs: this.#now() - started,
    });
    const classify = this.options.classify ?? ((input: ClassifyInput) => classifyStatus(input));
    return {
      verdict: classify({
        status: raw.status,
        headers: raw.headers,
        body: request.responseType === 'stream' ? undefined : body,
        request,
      }),
      response,
    };
  }

  async #acquire(signal: AbortSignal | undefined, request: HttpRequest): Promise<() => void> {
    try {
      return await this.throttle.acquire(signal);
    } catch {
      throw this.#abortError(request);
    }
  }

  async #credentials(request: HttpRequest, signal?: AbortSignal): Promise<Record<string, string>> {
    if (request.auth === false || this.options.auth === undefined) return {};
    try {
      const credentials = await this.options.auth.headers(signal);
      // Whatever authenticates a request is secret, in every form a vendor might echo it.
      for (const value of Object.values(credentials)) this.redactor.addCredential(value);
      return credentials;
    } catch (cause) {
      this.#checkAborted(signal, request);
      if (isHubspokeError(cause)) throw this.error(cause.code, cause.message, cause.details);
      throw this.error('E_AUTH', `${this.options.vendor}: could not obtain credentials`, {}, cause);
    }
  }

  #headers(request: HttpRequest): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
      ...request.headers,
    };
    if (request.json !== undefined) headers['Content-Type'] = 'application/json';
    if (request.form !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    if (request.text !== undefined) headers['Content-Type'] = request.text.contentType;
    return headers;
  }

  #encodeBody(request: HttpRequest): NonNullable<RequestInit['body']> | undefined {
    if (request.json !== undefined) return JSON.stringify(request.json);
    if (request.form !== undefined) return formBody(request.form);
    if (request.text !== undefined) return request.text.body;
    if (request.multipart !== undefined) {
      const data = new FormData();
      for (const part of request.multipart) {
        if (part.filename === undefined)
          data.append(
            part.name,
            typeof part.value === 'string' ? part.value : Buffer.from(part.value).toString('utf8'),
          );
        else
          data.append(
            part.name,
            new Blob([typeof part.value === 'string' ? part.value : new Uint8Array(part.value)], {
              type: part.contentType ?? 'application/octet-stream',
            }),
            part.filename,
          );
      }
      return data;
    }
    return undefined;
  }

  #buildUrl(request: HttpRequest): string {
    const url = new URL(request.url, this.options.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    return url.toString();
  }

  #recordDryRun<T>(request: HttpRequest, url: string, signal?: AbortSignal): HttpResponse<T> {
    this.#checkAborted(signal, request);
    const body =
      request.json ??
      (request.form === undefined
        ? undefined
        : Object.fromEntries(Object.entries(request.form).filter(([, v]) => v !== undefined))) ??
      request.text?.body ??
      request.multipart?.map((part) =>
        typeof part.value === 'string' ? { ...part } : { ...part, value: `(${part.value.byteLength} bytes)` },
      );
    this.options.dryRun?.record({
      connector: this.options.connector,
      operation: request.operation,
      method: request.method,
      target: this.redactor.redactUrl(url),
      headers: this.redactor.redactHeaders({
        ...request.headers,
        ...(request.auth === false || this.options.auth === undefined ? {} : { Authorization: '(credentials)' }),
      }),
      ...(body === undefined ? {} : { body: this.redactor.redactDeep(body) }),
    });
    this.log('info', 'dry-run.request', `dry run: would ${request.method} ${request.operation}`, {
      operation: request.operation,
      url,
    });
    return { status: 200, headers: new Headers(), body: request.dryRunBody as T, dryRun: true };
  }

  /** Pauses new calls when a response says the quota is spent (`X-RateLimit-Remaining: 0`). */
  #observeQuota(headers: Headers): void {
    if (headers.get('x-ratelimit-remaining')?.trim() !== '0') return;
    const wait = retryAfterMs(headers, this.#now());
    if (wait !== undefined && wait > 0) {
      this.log('info', 'http.quota-spent', `${this.options.vendor} quota spent; holding calls for ${wait} ms`, {
        waitMs: wait,
      });
      this.throttle.pauseUntil(this.#now() + wait);
    }
  }

  async #backoff(
    attempt: number,
    headers: Headers | undefined,
    reason: string,
    context: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<void> {
    const waitMs =
      (headers ? retryAfterMs(headers, this.#now()) : undefined) ?? retryDelay(attempt, this.#policy, this.#random);
    this.log(
      'warn',
      'http.retry',
      `${this.options.vendor} ${String(context.operation)}: ${reason}; retrying in ${waitMs} ms`,
      { ...context, waitMs },
    );
    await this.#wait(waitMs, signal, { operation: String(context.operation) });
  }

  async #wait(ms: number, signal: AbortSignal | undefined, request: Pick<HttpRequest, 'operation'>): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch {
      throw this.#abortError(request);
    }
  }

  #checkAborted(signal: AbortSignal | undefined, request: Pick<HttpRequest, 'operation'>): void {
    if (signal?.aborted === true) throw this.#abortError(request);
  }

  #abortError(request: Pick<HttpRequest, 'operation'>): HubspokeError {
    return this.error('E_ABORTED', `${this.options.vendor} ${request.operation} was cancelled`, {
      operation: request.operation,
    });
  }
}

// The public methods, for connector authors calling from JavaScript (messages and log text may be long).
guardMethods(
  'HttpClient',
  HttpClient.prototype,
  {
    send: ['request:object', 'signal:object?'],
    log: ['level:string', 'event:string', 'message:string', 'fields:object?'],
    error: ['code:string', 'message:string', 'details:object?', 'cause:any'],
  },
  { sync: ['log', 'error'], content: ['message'] },
);

/** `application/x-www-form-urlencoded`, skipping undefined values. */
export function formBody(form: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value !== undefined) params.append(name, value);
  return params.toString();
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
