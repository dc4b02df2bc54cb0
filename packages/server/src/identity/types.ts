import type { Principal } from '@hubspoke/core';
import { z } from '@hono/zod-openapi';

/** What API tokens can be limited to. Sessions and IdP access tokens carry every scope; roles still apply. */
export const SCOPES = [
  'templates:read',
  'templates:write',
  'drafts:read',
  'drafts:write',
  'submissions:read',
  'submissions:write',
  'push:write',
  'metrics:write',
  'okr:read',
  'effects:read',
  'effects:write',
  'audit:read',
] as const;
export const ScopeSchema = z.enum(SCOPES).openapi('Scope');
export type Scope = z.infer<typeof ScopeSchema>;

/** Who vouched for the caller: the OpenID Provider (or `hubspoke-dev`), its `sub`, a display name. */
export interface Identity {
  issuer: string;
  subject: string;
  name?: string | undefined;
}

export const DEV_ISSUER = 'hubspoke-dev';

/** The authenticated caller of one request. */
export interface Auth {
  principal: Principal;
  identity: Identity;
  via: 'bearer' | 'session' | 'api-token';
  /** `all` except for API tokens. */
  scopes: 'all' | ReadonlySet<Scope>;
  /** Present for cookie sessions: unsafe requests must echo it in `x-csrf-token`. */
  csrfToken?: string;
  sessionId?: string;
  tokenId?: string;
}
