import { HubspokeError, IdentityConfigSchema, parse, type IdentityConfigInput } from '@hubspoke/core';
import type { Hub } from '@hubspoke/hub';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { newApp, type AppEnv, type ServerContext } from './context.js';
import { bodyGuard, urlGuard } from './guards.js';
import { authenticate } from './identity/authenticate.js';
import { BrowserSignIn } from './identity/browser.js';
import { checkMappings } from './identity/claims.js';
import { createBearerVerifier } from './identity/oidc.js';
import { randomBase62 } from './identity/secrets.js';
import { IdentityStore, type SessionPolicy } from './identity/store.js';
import { jsonLogger, type Logger } from './log.js';
import { HttpError, problemResponse } from './problem.js';
import { RateLimiter } from './rate-limit.js';
import { LiveFeed } from './live.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerDefinitionRoutes } from './routes/definition.js';
import { registerDraftRoutes } from './routes/drafts.js';
import { registerEditorRoutes } from './routes/editor.js';
import { registerEventRoutes } from './routes/events.js';
import { registerOperationRoutes } from './routes/operations.js';
import { registerReviewRoutes } from './routes/review.js';
import { findWebApp, webApp } from './web-app.js';

export interface ServerLimits {
  /** Largest request body, in bytes (413 beyond). Default 1 MiB. */
  maxBodyBytes: number;
  /** Deepest JSON nesting of a request body (400 beyond). Default 64. */
  maxJsonDepth: number;
  /** Largest metrics import body, in bytes. Default 16 MiB. */
  maxImportBytes: number;
  /** Requests per minute per principal (or per client address before sign-in), per instance (429 beyond). Default 1200. */
  requestsPerMinute: number;
}

export interface ServerOptions {
  /** The hub to serve (usually `openHub`); sessions and API tokens live in its database too. */
  hub: Hub;
  /** The organisation's OpenID Provider and claim mapping (the hub config's `identity`); omit for dev mode or API tokens only. */
  identity?: IdentityConfigInput;
  /** `--dev`: the hub directory's people sign in by name on a local page. Never on a non-loopback address. */
  dev?: boolean;
  /** The URL browsers use (behind a proxy), e.g. `https://hub.example.com`. */
  publicUrl?: string;
  limits?: Partial<ServerLimits>;
  sessions?: Partial<SessionPolicy>;
  log?: Logger;
  now?: () => number;
  /** For IdP discovery and keys (tests). */
  fetch?: typeof fetch;
  /** After a token with an unknown key id, wait this long before fetching the IdP's keys again. Default 30 s. */
  jwksCooldownMs?: number;
  /** The web app's folder; default: `@hubspoke/editor`'s build when installed; `false`: none. */
  webApp?: string | false;
  /** Live streams send a comment line this often, through proxies. Default 15 s. */
  heartbeatMs?: number;
}

export interface HubspokeServerApp {
  app: OpenAPIHono<AppEnv>;
  fetch: (request: Request) => Promise<Response>;
  /** Readiness: false while draining for shutdown. */
  setReady: (ready: boolean) => void;
  /** Ends live streams and stops listening for changes (the hub stays open: its owner closes it). */
  close: () => Promise<void>;
  context: ServerContext;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;
const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  maxImportBytes: 16 * 1024 * 1024,
  maxJsonDepth: 64,
  requestsPerMinute: 1200,
};

const describeCause = (cause: unknown): string | undefined =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined;

function fromHttpException(error: HTTPException): HttpError {
  const code = error.status === 401 ? 'E_AUTH' : error.status === 404 ? 'E_NOT_FOUND' : 'E_VALIDATION';
  const message =
    error.status === 400
      ? 'The request is malformed (for example, its body is not valid JSON)'
      : error.message || 'The request was refused';
  return new HttpError(error.status, code, message);
}

/** The Hubspoke API as a Hono app: call `fetch(request)` directly in tests, or serve it with `startServer`. */
export async function createServerApp(options: ServerOptions): Promise<HubspokeServerApp> {
  const { hub } = options;
  const identityConfig =
    options.identity === undefined ? undefined : parse(IdentityConfigSchema, options.identity, 'identity');
  if (identityConfig !== undefined) {
    checkMappings(identityConfig, await hub.operatingModel());
    // Roles of the provider's people come from its claims (the mapping table), not the directory.
    hub.trustIssuer(identityConfig.issuer);
  }
  const { database } = await hub.state();
  const now = options.now ?? Date.now;
  const log = options.log ?? jsonLogger();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const store = new IdentityStore(database.sql, {
    now,
    // PGlite is this process's alone: sessions can stay in memory. PostgreSQL is shared by instances.
    exclusive: database.target.kind !== 'postgres',
    ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
  });
  await store.migrate();
  if (identityConfig?.client !== undefined && options.publicUrl === undefined) {
    throw new HubspokeError('E_VALIDATION', 'Browser sign-in needs publicUrl (the redirect URI is built from it)', {
      path: 'publicUrl',
    });
  }
  const live = new LiveFeed(hub, log);
  await live.start();
  const streams = new Set<() => void>();
  const publicOrigin = options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin;
  const ctx: ServerContext = {
    hub,
    store,
    identityConfig,
    verifier:
      identityConfig === undefined
        ? undefined
        : createBearerVerifier(identityConfig, {
            now,
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
            ...(options.jwksCooldownMs === undefined ? {} : { cooldownMs: options.jwksCooldownMs }),
          }),
    browser:
      identityConfig?.client === undefined || options.publicUrl === undefined
        ? undefined
        : new BrowserSignIn(identityConfig, store, options.publicUrl),
    devPeople: options.dev === true ? await hub.directory() : undefined,
    publicOrigin,
    log,
    now,
    endStreams: () => {
      for (const end of streams) end();
    },
    closeLive: () => live.close(),
  };
  let ready = true;
  const limiter = new RateLimiter({ perMinute: limits.requestsPerMinute });
  const app = newApp();

  app.onError((error, c) => {
    const requestId = c.get('requestId');
    const err = error instanceof HTTPException ? fromHttpException(error) : error;
    const response = problemResponse(err, requestId);
    if (response.status >= 500) {
      log({
        level: 'error',
        msg: 'request failed',
        requestId,
        error:
          err instanceof Error ? { name: err.name, message: err.message, cause: describeCause(err.cause) } : typeof err,
      });
    }
    return response;
  });
  app.notFound((c) =>
    problemResponse(
      new HttpError(404, 'E_NOT_FOUND', `No such endpoint: ${c.req.method} ${c.req.path}`),
      c.get('requestId'),
    ),
  );

  // Request id and one access log line per request (path without the query: it may hold codes).
  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomBase62(16);
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    // On the response's own headers: c.header() on a finished response copies it into a new one (on
    // Node, @hono/node-server then builds a web Response and streams its body instead of writing the
    // string it holds). A response with immutable headers (Response.redirect) is copied, as c.header() does.
    try {
      c.res.headers.set('x-request-id', requestId);
    } catch {
      c.header('x-request-id', requestId);
    }
    const auth = c.get('auth');
    log({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(auth === undefined ? {} : { principal: auth.principal.id, via: auth.via }),
    });
  });

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
      strictTransportSecurity:
        publicOrigin?.startsWith('https:') === true ? 'max-age=31536000; includeSubDomains' : false,
      overwrite: false,
    }),
  );

  // In dev mode, only loopback host names: a DNS-rebinding page cannot drive the server.
  if (ctx.devPeople !== undefined) {
    app.use('*', async (c, next) => {
      const host = new URL(c.req.url).hostname;
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
        throw new HttpError(403, 'E_FORBIDDEN', 'Development mode answers only loopback host names');
      }
      await next();
    });
  }

  const appDir = options.webApp === false ? undefined : (options.webApp ?? (await findWebApp()));
  if (appDir !== undefined) app.use('*', webApp(appDir));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (!ready) return c.json({ status: 'draining' }, 503);
    try {
      await store.ping();
    } catch {
      return c.json({ status: 'database unavailable' }, 503);
    }
    return c.json({ status: 'ready' });
  });

  app.use('*', urlGuard());
  app.use(
    '*',
    bodyGuard({
      maxBytes: limits.maxBodyBytes,
      maxDepth: limits.maxJsonDepth,
      formPaths: ['/auth/dev/sign-in'],
      largePaths: { '/api/metrics/imports': limits.maxImportBytes },
    }),
  );
  app.use('*', authenticate(ctx));
  app.use('*', async (c, next) => {
    const auth = c.get('auth');
    // The socket's address, not X-Forwarded-For, which any client can write.
    const address = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
      ?.remoteAddress;
    const key = auth === undefined ? `addr:${address ?? 'local'}` : `principal:${auth.principal.id}`;
    const wait = limiter.take(key);
    if (wait > 0) {
      throw new HttpError(429, 'E_RATE_LIMITED', `Too many requests; retry in ${String(wait)} s`, {
        details: { retryAfterSeconds: wait },
        headers: { 'retry-after': String(wait) },
      });
    }
    await next();
  });

  registerAuthRoutes(app, ctx);
  registerDefinitionRoutes(app, ctx);
  registerDraftRoutes(app, ctx);
  registerReviewRoutes(app, ctx);
  registerOperationRoutes(app, ctx);
  registerEditorRoutes(app, ctx);
  registerEventRoutes(app, ctx, live, streams, { heartbeatMs: options.heartbeatMs ?? 15_000 });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: "An access token from the organisation's OpenID Provider (JWT), or a Hubspoke API token (hsp_…)",
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-hubspoke-session',
    description:
      'Browser session after sign-in; unsafe requests also need the x-csrf-token header from GET /api/session',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Hubspoke hub API',
      version: '1',
      description: 'The hub over HTTP. Errors are RFC 9457 problem details with a stable code.',
    },
    security: [{ bearer: [] }, { session: [] }],
  });

  return {
    app,
    fetch: async (request) => app.fetch(request),
    setReady: (value) => {
      ready = value;
    },
    context: ctx,
    close: async () => {
      ctx.endStreams();
      await ctx.closeLive();
    },
  };
}
