import { HubspokeError, type IdentityConfig } from '@hubspoke/core';
import * as client from 'openid-client';
import { HttpError } from '../problem.js';
import { principalFromClaims } from './claims.js';
import { isLoopbackUrl } from './oidc.js';
import type { IdentityStore } from './store.js';
import type { Identity } from './types.js';
import type { Principal } from '@hubspoke/core';

/** `${NAME}` reads NAME from the environment; anything else is taken literally. */
export function resolveSecret(value: string, env: NodeJS.ProcessEnv = process.env): string {
  const match = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  if (match === null) return value;
  const name = match[1] ?? '';
  const resolved = env[name];
  if (resolved === undefined || resolved === '') {
    throw new HubspokeError(
      'E_VALIDATION',
      `identity.client.secret names ${name}, which is not set in the environment`,
      {
        path: 'identity.client.secret',
      },
    );
  }
  return resolved;
}

/** Only a same-site path may follow sign-in: never another origin (open redirect). */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return /^[\x21-\x7E]{1,1000}$/.test(value) ? value : '/';
}

/**
 * Browser sign-in with the authorization-code flow and PKCE (openid-client). The state, nonce and
 * code verifier wait in the database (any instance may receive the callback); the state is also
 * bound to the browser by a cookie, so a callback cannot be replayed into another browser.
 */
export class BrowserSignIn {
  readonly #config: IdentityConfig;
  readonly #client: NonNullable<IdentityConfig['client']>;
  readonly #store: IdentityStore;
  readonly #redirectUri: string;
  #discovered: Promise<client.Configuration> | undefined;

  constructor(config: IdentityConfig, store: IdentityStore, publicUrl: string) {
    if (config.client === undefined)
      throw new HubspokeError('E_VALIDATION', 'identity.client is required for browser sign-in');
    this.#config = config;
    this.#client = config.client;
    this.#store = store;
    this.#redirectUri = new URL('/auth/callback', publicUrl).href;
  }

  get redirectUri(): string {
    return this.#redirectUri;
  }

  #configuration(): Promise<client.Configuration> {
    this.#discovered ??= (async () => {
      const secret = this.#client.secret === undefined ? undefined : resolveSecret(this.#client.secret);
      const insecure = isLoopbackUrl(this.#config.issuer);
      return client.discovery(
        new URL(this.#config.issuer),
        this.#client.id,
        secret,
        secret === undefined ? client.None() : client.ClientSecretBasic(secret),
        // Plain http only for an IdP on this machine (tests, local IdPs); openid-client refuses it otherwise.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        insecure ? { execute: [client.allowInsecureRequests] } : {},
      );
    })().catch((cause: unknown) => {
      this.#discovered = undefined;
      throw new HubspokeError('E_UPSTREAM', `The identity provider ${this.#config.issuer} could not be discovered`, {
        cause,
      });
    });
    return this.#discovered;
  }

  /** Where to send the browser, and the state to bind to it. */
  async start(returnTo: string): Promise<{ url: string; state: string }> {
    const config = await this.#configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await this.#store.putSignIn(state, codeVerifier, nonce, safeReturnTo(returnTo));
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.#redirectUri,
      scope: this.#client.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /** Completes the flow from the callback URL; `boundState` is the state cookie of this browser. */
  async finish(
    callbackUrl: URL,
    boundState: string | undefined,
  ): Promise<{ principal: Principal; identity: Identity; returnTo: string }> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    if (boundState === undefined || state === '' || state !== boundState) {
      throw new HttpError(400, 'E_AUTH', 'This sign-in was not started in this browser; start again');
    }
    const pending = await this.#store.takeSignIn(state);
    if (pending === undefined)
      throw new HttpError(400, 'E_AUTH', 'This sign-in has expired or was already used; start again');
    const config = await this.#configuration();
    // The callback URL as the IdP redirected to it (the public URL, not the proxy's internal one).
    const current = new URL(this.#redirectUri);
    current.search = callbackUrl.search;
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims: Record<string, unknown> = tokens.claims() ?? {};
      const sub = typeof idClaims.sub === 'string' ? idClaims.sub : '';
      // Names and groups often come only from userinfo; the ID token's claims win where both have one.
      const userinfo = config.serverMetadata().userinfo_endpoint
        ? await client.fetchUserInfo(config, tokens.access_token, sub).catch(() => ({}))
        : {};
      claims = { ...userinfo, ...idClaims };
    } catch (cause) {
      throw new HttpError(401, 'E_AUTH', 'The identity provider did not confirm this sign-in', { cause });
    }
    return { ...principalFromClaims(claims, this.#config), returnTo: pending.returnTo };
  }
}
