import { HubspokeError, checkArgs, guardMethods } from '@hubspoke/core';
import type { Redactor } from './redact.js';

/** Adds credentials to a request and knows how to drop them when the server rejects them. */
export interface AuthProvider {
  /** Headers to send; may fetch or refresh a token first. */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** Forgets the credential that was just rejected (a no-op for static ones). */
  invalidate(rejected: Record<string, string>): void;
  /** Whether a retry after `invalidate` can help. */
  readonly refreshable: boolean;
}

/** A fixed header such as `Authorization: Bearer <key>`. */
export function staticAuth(headers: Record<string, string>): AuthProvider {
  return { headers: () => Promise.resolve(headers), invalidate: () => undefined, refreshable: false };
}

export const bearerAuth = (token: string): AuthProvider => staticAuth({ Authorization: `Bearer ${token}` });

export function basicAuth(user: string, password: string): AuthProvider {
  return staticAuth({ Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` });
}

export interface AccessToken {
  accessToken: string;
  /** Lifetime in seconds from when it was issued. */
  expiresIn: number;
}

export interface TokenCacheOptions {
  /** Refresh this long before the token expires. */
  skewMs?: number;
  now?: () => number;
  /** Registers each new token so it is redacted everywhere. */
  redactor?: Redactor;
  /** How the token is sent; defaults to a bearer header. */
  toHeaders?: (token: string) => Record<string, string>;
}

/**
 * OAuth client-credentials token cache: one token fetch at a time (concurrent callers
 * share it), refresh before expiry, and drop the token when the server rejects it.
 */
export class TokenCache implements AuthProvider {
  readonly refreshable = true;
  #token: { value: string; refreshAt: number } | undefined;
  #pending: Promise<string> | undefined;
  readonly #skewMs: number;
  readonly #now: () => number;
  readonly #toHeaders: (token: string) => Record<string, string>;

  readonly #fetchToken: (signal?: AbortSignal) => Promise<AccessToken>;
  readonly #options: TokenCacheOptions;

  constructor(fetchToken: (signal?: AbortSignal) => Promise<AccessToken>, options: TokenCacheOptions = {}) {
    checkArgs('TokenCache', ['fetchToken:function', 'options:object?'], [fetchToken, options]);
    this.#fetchToken = fetchToken;
    this.#options = options;
    this.#skewMs = options.skewMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#toHeaders = options.toHeaders ?? ((token) => ({ Authorization: `Bearer ${token}` }));
  }

  async get(signal?: AbortSignal): Promise<string> {
    if (this.#token !== undefined && this.#token.refreshAt > this.#now()) return this.#token.value;
    this.#pending ??= this.#refresh(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    return this.#toHeaders(await this.get(signal));
  }

  invalidate(rejected: Record<string, string>): void {
    // Only drop the token that failed: a concurrent call may already have refreshed it.
    if (this.#token !== undefined && JSON.stringify(this.#toHeaders(this.#token.value)) === JSON.stringify(rejected))
      this.#token = undefined;
  }

  async #refresh(signal?: AbortSignal): Promise<string> {
    const issuedAt = this.#now();
    const { accessToken, expiresIn } = await this.#fetchToken(signal);
    if (accessToken.length === 0)
      throw new HubspokeError('E_AUTH', 'The token endpoint returned an empty access token');
    this.#options.redactor?.add(accessToken);
    const lifetimeMs = Math.max(0, expiresIn * 1000);
    // Short-lived tokens get a proportionally shorter skew, so they are still used at all.
    this.#token = { value: accessToken, refreshAt: issuedAt + lifetimeMs - Math.min(this.#skewMs, lifetimeMs / 10) };
    return accessToken;
  }
}

guardMethods(
  'TokenCache',
  TokenCache.prototype,
  { get: ['signal:object?'], headers: ['signal:object?'], invalidate: ['rejected:object'] },
  { sync: ['invalidate'] },
);
