import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv, ServerContext } from '../context.js';
import { isUnsafeMethod } from '../guards.js';
import { HttpError } from '../problem.js';
import { principalFromClaims } from './claims.js';
import { API_TOKEN_PREFIX, safeEqual } from './secrets.js';
import type { Auth } from './types.js';

export const SESSION_COOKIE = '__Host-hubspoke-session';
export const CSRF_HEADER = 'x-csrf-token';

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +([\x21-\x7E]{1,8192})$/i.exec(header.trim());
  if (match === null)
    throw new HttpError(401, 'E_AUTH', 'The Authorization header must be "Bearer <token>"', {
      headers: { 'www-authenticate': 'Bearer error="invalid_request"' },
    });
  return match[1];
}

/**
 * Finds who is calling, on every request: an API token (`hsp_…`) or an IdP access token in
 * `Authorization: Bearer`, else the session cookie. A credential that is present but bad is a 401,
 * never a silent fall back to anonymous. Cookie sessions must prove unsafe requests are same-origin
 * (Origin / Sec-Fetch-Site) and carry the session's CSRF token.
 */
export function authenticate(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    let auth: Auth | undefined;
    if (token?.startsWith(API_TOKEN_PREFIX) === true) {
      const found = await ctx.store.findApiToken(token);
      if (found === undefined) {
        throw new HttpError(401, 'E_AUTH', 'The API token is unknown, expired or revoked', {
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        });
      }
      auth = {
        principal: found.principal,
        identity: found.identity,
        via: 'api-token',
        scopes: found.scopes,
        tokenId: found.id,
      };
    } else if (token !== undefined) {
      if (ctx.verifier === undefined || ctx.identityConfig === undefined) {
        throw new HttpError(
          401,
          'E_AUTH',
          'This server accepts no identity-provider tokens (no identity issuer is configured)',
        );
      }
      const claims = await ctx.verifier.verify(token);
      auth = {
        ...principalFromClaims(claims, ctx.identityConfig),
        via: 'bearer',
        scopes: 'all',
      };
    } else {
      const sessionId = getCookie(c, SESSION_COOKIE);
      const session = sessionId === undefined ? undefined : await ctx.store.findSession(sessionId);
      if (session !== undefined) {
        auth = {
          principal: session.principal,
          identity: session.identity,
          via: 'session',
          scopes: 'all',
          csrfToken: session.csrfToken,
          sessionId: session.sessionId,
        };
        if (isUnsafeMethod(c.req.method))
          checkSameOrigin(c.req.raw, ctx.publicOrigin, c.req.header(CSRF_HEADER), session.csrfToken);
      }
    }
    c.set('auth', auth);
    await next();
  };
}

function checkSameOrigin(
  req: Request,
  publicOrigin: string | undefined,
  csrfHeader: string | undefined,
  csrfToken: string,
): void {
  const site = req.headers.get('sec-fetch-site');
  const origin = req.headers.get('origin');
  const own = publicOrigin ?? new URL(req.url).origin;
  if ((site !== null && site !== 'same-origin' && site !== 'none') || (origin !== null && origin !== own)) {
    throw new HttpError(403, 'E_FORBIDDEN', 'Cross-site requests cannot use the session cookie');
  }
  if (csrfHeader === undefined || !safeEqual(csrfHeader, csrfToken)) {
    throw new HttpError(
      403,
      'E_FORBIDDEN',
      `Requests signed in with the session cookie must send the ${CSRF_HEADER} header from GET /api/session`,
    );
  }
}
