import {
  HubspokeError,
  Redactor,
  backoffDelay,
  isHubspokeError,
  retryAfterMs,
  sleep,
  type ErrorCode,
} from '@hubspoke/core';

export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  code: ErrorCode;
  status?: number;
}

/** Network behaviour shared by the HTTP providers. */
export interface HttpSettings {
  /** Per attempt, including reading a streamed body. Default 60 s. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors. Default 2. */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, with jitter. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** A `Retry-After` longer than this fails at once with `E_RATE_LIMITED` instead of waiting. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Observe retries (for logs): no secrets are passed. */
  onRetry?: (info: RetryInfo) => void;
  /** A `fetch` implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['E_RATE_LIMITED', 'E_UPSTREAM', 'E_TIMEOUT']);

/** Marks an error as worth another attempt. */
export function retryable(error: HubspokeError, retryAfterMs?: number): HubspokeError {
  Object.assign(error.details, { retryable: true }, retryAfterMs === undefined ? {} : { retryAfterMs });
  return error;
}

/**
 * Runs `attempt` with a per-attempt timeout, retrying errors marked {@link retryable}.
 * A caller's abort ends everything with `E_ABORTED`; a Retry-After beyond the cap fails fast.
 */
export async function withRetries<T>(
  service: string,
  settings: HttpSettings,
  signal: AbortSignal | undefined,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<{ value: T; attempts: number }> {
  const maxRetries = settings.maxRetries ?? 2;
  const timeoutMs = settings.timeoutMs ?? 60_000;
  for (let n = 1; ; n++) {
    if (signal?.aborted === true) throw aborted(service, signal.reason);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let error: HubspokeError;
    try {
      return { value: await attempt(combined), attempts: n };
    } catch (cause) {
      if (isAborted(signal)) throw aborted(service, signal?.reason);
      if (isHubspokeError(cause) && cause.details.retryable === false) error = cause;
      else if (timeout.aborted)
        error = retryable(
          new HubspokeError('E_TIMEOUT', `${service} did not answer within ${timeoutMs} ms`, {
            cause,
            details: { timeoutMs },
          }),
        );
      else if (isHubspokeError(cause)) error = cause;
      else
        error = retryable(
          new HubspokeError(
            'E_UPSTREAM',
            `${service} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`,
            { cause },
          ),
        );
    }
    error.details.attempts = n;
    if (error.details.retryable !== true || !RETRYABLE.has(error.code) || n > maxRetries) throw error;
    const retryAfterMs = typeof error.details.retryAfterMs === 'number' ? error.details.retryAfterMs : undefined;
    const maxDelay = settings.maxRetryDelayMs ?? 30_000;
    if (retryAfterMs !== undefined && retryAfterMs > maxDelay) throw error;
    const base = settings.retryBaseDelayMs ?? 500;
    const delayMs = retryAfterMs ?? backoffDelay(n, { baseMs: base, maxMs: maxDelay, jitter: 0.5 });
    settings.onRetry?.({
      attempt: n,
      delayMs,
      code: error.code,
      ...(typeof error.details.status === 'number' ? { status: error.details.status } : {}),
    });
    await sleep(delayMs, signal).catch((reason: unknown) => {
      throw aborted(service, reason);
    });
  }
}

// A function, so that TypeScript does not narrow `aborted` across awaits.
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function aborted(service: string, reason: unknown): HubspokeError {
  return new HubspokeError('E_ABORTED', `The ${service} call was cancelled`, { cause: reason });
}

/** What a provider must never show: its credentials (key, credential headers, a URL that carries a key) in every form. */
export function redactorFor(config: {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  headers?: Record<string, string> | undefined;
}): Redactor {
  const redactor = new Redactor([config.apiKey]);
  for (const value of Object.values(config.headers ?? {})) redactor.addCredential(value);
  // A base URL is secret only where it carries credentials or query parameters.
  if (config.baseUrl !== undefined && /\/\/[^/]*@|\?/.test(config.baseUrl)) redactor.add(config.baseUrl);
  return redactor;
}

/** Replaces every secret in `text`, and any credential a vendor echoes after `Bearer` or `DeepL-Auth-Key`, then shortens it to `max`. */
export function redact(text: string, redactor: Redactor, max = Infinity): string {
  const clean = redactor.redact(text).replace(/\b(Bearer|DeepL-Auth-Key)\s+[^\s"',]+/gi, '$1 [REDACTED]');
  return clean.length <= max ? clean : `${clean.slice(0, Math.max(0, max - 1))}…`;
}

/** Maps a non-2xx response to a HubspokeError; 429 and 5xx are retryable. The body is redacted, then shortened. */
export async function statusError(service: string, response: Response, redactor: Redactor): Promise<HubspokeError> {
  const status = response.status;
  // Redact the whole body before cutting it: a key straddling the cut would otherwise leave its start behind.
  const body = redact((await response.text().catch(() => '')).slice(0, 64 * 1024), redactor, 300).trim();
  const said = body === '' ? '' : `: ${body}`;
  const details = { status };
  if (status === 401 || status === 403) {
    return new HubspokeError('E_AUTH', `${service} rejected the credentials (HTTP ${status})${said}`, {
      details,
      hint: 'check the API key',
    });
  }
  if (status === 429) {
    return retryable(
      new HubspokeError('E_RATE_LIMITED', `${service} asked us to slow down (HTTP 429)${said}`, { details }),
      retryAfterMs(response.headers),
    );
  }
  if (status >= 500) {
    return retryable(
      new HubspokeError('E_UPSTREAM', `${service} failed (HTTP ${status})${said}`, { details }),
      retryAfterMs(response.headers),
    );
  }
  return new HubspokeError('E_UPSTREAM', `${service} refused the request (HTTP ${status})${said}`, { details });
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
