import {
  formatIssues,
  validationError,
  type Action,
  type IdentityConfig,
  type Principal,
  type Resource,
} from '@hubspoke/core';
import type { Hub } from '@hubspoke/hub';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HttpError } from './problem.js';
import type { BrowserSignIn } from './identity/browser.js';
import type { BearerVerifier } from './identity/oidc.js';
import type { IdentityStore } from './identity/store.js';
import type { Auth, Scope } from './identity/types.js';
import type { Logger } from './log.js';

export interface AppEnv {
  Variables: { requestId: string; auth: Auth | undefined };
}
export type AppContext = Context<AppEnv>;

/** Everything route modules share. */
export interface ServerContext {
  hub: Hub;
  store: IdentityStore;
  identityConfig: IdentityConfig | undefined;
  verifier: BearerVerifier | undefined;
  browser: BrowserSignIn | undefined;
  /** The directory's people, in `--dev` mode only. */
  devPeople: readonly Principal[] | undefined;
  /** `https://hub.example.com` when the server sits behind a proxy; else each request's own origin. */
  publicOrigin: string | undefined;
  log: Logger;
  now: () => number;
  /** Ends every open live stream (shutdown). */
  endStreams(): void;
  /** Stops listening for changes (shutdown). */
  closeLive(): Promise<void>;
}

const TARGET_LABELS: Record<string, string> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
};

/** An app whose request validation failures become `E_VALIDATION` problem details naming each bad value. */
export function newApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const label = TARGET_LABELS[result.target] ?? result.target;
      throw validationError(label, formatIssues(label, result.error.issues));
    },
  });
}

/** The caller, or 401; with a scope, API tokens without it get 403. */
export function requireAuth(c: AppContext, scope?: Scope): Auth {
  const auth = c.get('auth');
  if (auth === undefined) {
    throw new HttpError(401, 'E_AUTH', 'Sign in, or send a bearer token or API token', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  if (scope !== undefined && auth.scopes !== 'all' && !auth.scopes.has(scope)) {
    throw new HttpError(403, 'E_FORBIDDEN', `This API token lacks the "${scope}" scope`, {
      details: { scope, required: scope },
      headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    });
  }
  return auth;
}

/** `can()` under the hub's operating model, or 403 naming what is missing. */
export function authorize(ctx: ServerContext, auth: Auth, action: Action, resource: Resource = {}): Promise<void> {
  return ctx.hub.authorize(auth.principal, action, resource);
}
