import { RefSchema, type Principal as PrincipalType } from '@hubspoke/core';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { requireAuth, type AppContext, type AppEnv, type ServerContext } from '../context.js';
import { SESSION_COOKIE } from '../identity/authenticate.js';
import { safeReturnTo } from '../identity/browser.js';
import { randomBase62 } from '../identity/secrets.js';
import { DEV_ISSUER, ScopeSchema, SCOPES, type Identity } from '../identity/types.js';
import { HttpError, problems } from '../problem.js';
import { Principal } from '../schemas.js';
import { devSignInPage } from './dev-page.js';

const SIGN_IN_COOKIE = '__Host-hubspoke-signin';

const cookieOptions = (maxAgeSeconds?: number) => ({
  path: '/',
  secure: true,
  httpOnly: true,
  sameSite: 'Lax' as const,
  ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
});

const IdentitySchema = z
  .object({ issuer: z.string(), subject: z.string(), name: z.string().optional() })
  .openapi('Identity', {
    description: 'Who vouched for the caller: the OpenID issuer (or hubspoke-dev) and its subject',
  });

const SessionInfoSchema = z
  .object({
    principal: Principal,
    identity: IdentitySchema,
    via: z.enum(['bearer', 'session', 'api-token']),
    scopes: z.array(ScopeSchema),
    csrfToken: z
      .string()
      .optional()
      .openapi({ description: 'Send it as x-csrf-token on unsafe requests made with the session cookie' }),
    dev: z.boolean().openapi({ description: 'True when the server runs in --dev mode' }),
  })
  .openapi('SessionInfo');

const ApiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    hint: z.string().openapi({ example: 'hsp_…Ab12' }),
    ownerId: z.string(),
    scopes: z.array(ScopeSchema),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().optional(),
    lastUsedAt: z.string().optional(),
  })
  .openapi('ApiToken');

const NewApiTokenSchema = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(ScopeSchema).min(1).max(SCOPES.length),
    expiresInDays: z.number().int().min(1).max(365).default(90),
  })
  .strict()
  .openapi('NewApiToken');

async function startSession(c: AppContext, ctx: ServerContext, principal: PrincipalType, identity: Identity) {
  const session = await ctx.store.createSession(principal, identity);
  setCookie(c, SESSION_COOKIE, session.sessionId, cookieOptions());
  ctx.log({
    level: 'info',
    msg: 'signed in',
    requestId: c.get('requestId'),
    principal: principal.id,
    issuer: identity.issuer,
  });
  return session;
}

/** Sign-in (IdP and dev), the session, and API tokens. */
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  app.get('/auth/login', async (c) => {
    if (ctx.browser === undefined) {
      if (ctx.devPeople !== undefined)
        return c.redirect(`/auth/dev?returnTo=${encodeURIComponent(safeReturnTo(c.req.query('returnTo')))}`, 303);
      throw new HttpError(404, 'E_NOT_FOUND', 'Browser sign-in is not configured (identity.client)');
    }
    const { url, state } = await ctx.browser.start(c.req.query('returnTo') ?? '/');
    setCookie(c, SIGN_IN_COOKIE, state, cookieOptions(600));
    return c.redirect(url, 302);
  });

  app.get('/auth/callback', async (c) => {
    if (ctx.browser === undefined) throw new HttpError(404, 'E_NOT_FOUND', 'Browser sign-in is not configured');
    const bound = getCookie(c, SIGN_IN_COOKIE);
    deleteCookie(c, SIGN_IN_COOKIE, cookieOptions());
    const { principal, identity, returnTo } = await ctx.browser.finish(new URL(c.req.url), bound);
    await startSession(c, ctx, principal, identity);
    return c.redirect(returnTo, 303);
  });

  app.post('/auth/logout', async (c) => {
    const auth = c.get('auth');
    if (auth?.sessionId !== undefined) await ctx.store.deleteSession(auth.sessionId);
    deleteCookie(c, SESSION_COOKIE, cookieOptions());
    return c.body(null, 204);
  });

  if (ctx.devPeople !== undefined) {
    const people = ctx.devPeople;
    app.get('/auth/dev', (c) => {
      const nonce = randomBase62(22);
      c.header(
        'content-security-policy',
        `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      );
      return c.html(devSignInPage(people, safeReturnTo(c.req.query('returnTo')), nonce));
    });
    app.post('/auth/dev/sign-in', async (c) => {
      // Login CSRF: only this origin's page (or a non-browser client) may sign someone in.
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') {
        throw new HttpError(403, 'E_FORBIDDEN', 'Cross-site sign-in is refused');
      }
      const form = c.req.header('content-type')?.startsWith('application/x-www-form-urlencoded') === true;
      const raw: unknown = form ? await c.req.parseBody() : await c.req.json();
      // Any JSON may arrive here (null, arrays, numbers): only an object's fields are read.
      const input: Record<string, unknown> =
        typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
      const personId = RefSchema.safeParse(input.person);
      const person = personId.success ? people.find((p) => p.id === personId.data) : undefined;
      if (person === undefined) {
        throw new HttpError(
          400,
          'E_VALIDATION',
          `No person ${personId.success ? JSON.stringify(personId.data) : '(none given)'} in the directory`,
          { path: 'body.person' },
        );
      }
      const identity: Identity = {
        issuer: DEV_ISSUER,
        subject: person.id,
        ...(person.name === undefined ? {} : { name: person.name }),
      };
      const session = await startSession(c, ctx, { ...person, issuer: DEV_ISSUER, subject: person.id }, identity);
      if (form) return c.redirect(safeReturnTo(typeof input.returnTo === 'string' ? input.returnTo : '/'), 303);
      return c.json({ principal: session.principal, identity, csrfToken: session.csrfToken });
    });
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/session',
      summary: 'Who am I: the principal, who vouched for them, and the CSRF token for cookie sessions',
      tags: ['identity'],
      responses: {
        200: { description: 'The caller', content: { 'application/json': { schema: SessionInfoSchema } } },
        ...problems(401),
      },
    }),
    (c) => {
      const auth = requireAuth(c);
      return c.json(
        {
          principal: auth.principal,
          identity: auth.identity,
          via: auth.via,
          scopes:
            auth.scopes === 'all' ? [...SCOPES] : SCOPES.filter((s) => (auth.scopes as ReadonlySet<string>).has(s)),
          ...(auth.csrfToken === undefined ? {} : { csrfToken: auth.csrfToken }),
          dev: ctx.devPeople !== undefined,
        },
        200,
      );
    },
  );

  const personal = (c: AppContext) => {
    const auth = requireAuth(c);
    if (auth.via === 'api-token')
      throw new HttpError(403, 'E_FORBIDDEN', 'API tokens cannot manage API tokens; sign in');
    return auth;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tokens',
      summary: 'Your API tokens (never the tokens themselves)',
      tags: ['identity'],
      responses: {
        200: {
          description: 'Tokens',
          content: { 'application/json': { schema: z.object({ tokens: z.array(ApiTokenSchema) }) } },
        },
        ...problems(401, 403),
      },
    }),
    async (c) => c.json({ tokens: await ctx.store.listApiTokens(personal(c).principal.id) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tokens',
      summary: 'Create an API token; the token is shown in this response only',
      tags: ['identity'],
      request: { body: { required: true, content: { 'application/json': { schema: NewApiTokenSchema } } } },
      responses: {
        201: {
          description: 'The token (store it now) and its record',
          content: { 'application/json': { schema: z.object({ token: z.string(), record: ApiTokenSchema }) } },
        },
        ...problems(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const auth = personal(c);
      const body = c.req.valid('json');
      const created = await ctx.store.createApiToken({ ...body, principal: auth.principal, identity: auth.identity });
      ctx.log({
        level: 'info',
        msg: 'api token created',
        requestId: c.get('requestId'),
        principal: auth.principal.id,
        tokenId: created.record.id,
      });
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/tokens/{id}',
      summary: 'Revoke one of your API tokens',
      tags: ['identity'],
      request: { params: z.object({ id: z.string().max(100) }) },
      responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const auth = personal(c);
      const { id } = c.req.valid('param');
      if (!(await ctx.store.revokeApiToken(auth.principal.id, id))) {
        throw new HttpError(404, 'E_NOT_FOUND', `You have no API token ${JSON.stringify(id)}`, { details: { id } });
      }
      return c.body(null, 204);
    },
  );
}
