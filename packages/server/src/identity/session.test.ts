import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  exampleHub,
  json,
  ORIGIN,
  pgUrl,
  signIn,
  testServer as createTestServer,
  type Backend,
  type ExampleHub,
  type TestServer,
} from '../test-support.js';
import { HubspokeError, type SqlClient } from '@hubspoke/core';
import { problemResponse } from '../problem.js';
import { isWellFormedApiToken, newApiToken } from './secrets.js';
import { IdentityStore } from './store.js';
import { DEV_ISSUER } from './types.js';

// Starting a hub takes seconds on a loaded machine: once per database, under the hook timeout.
const hubs = new Map<Backend, Promise<ExampleHub>>();
const hubOn = (backend: Backend) => {
  let hub = hubs.get(backend);
  if (hub === undefined) hubs.set(backend, (hub = exampleHub(backend)));
  return hub;
};
// Each server listens for the hub's changes: stop them before the hub closes (PostgreSQL: its connections).
const servers: TestServer[] = [];
afterAll(async () => {
  for (const { server } of servers) await server.close();
  for (const hub of hubs.values()) await (await hub).cleanup();
});
/** The file's helpers over one database: its example hub, and servers over it. */
const over = (backend: Backend) => ({
  sharedHub: () => hubOn(backend),
  testServer: async (options: Parameters<typeof createTestServer>[0] = {}) => {
    const server = await createTestServer({ hub: (await hubOn(backend)).hub, ...options });
    servers.push(server);
    return server;
  },
});

if (pgUrl === undefined) it.skip('sessions and API tokens over postgres: need HUBSPOKE_TEST_PG_URL', () => undefined);

describe.each(BACKENDS)('dev sign-in, sessions and CSRF over %s', (backend) => {
  const { sharedHub, testServer } = over(backend);
  beforeAll(sharedHub);

  it('sets a __Host- session cookie: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain', async () => {
    const server = await testServer();
    const res = await server.fetch('/auth/dev/sign-in', json({ person: 'lena' }));
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-hubspoke-session=[0-9A-Za-z]{43};/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it('the dev page lists the directory under a loud banner, with a nonce CSP', async () => {
    const server = await testServer();
    const res = await server.fetch('/auth/dev?returnTo=/drafts');
    const html = await res.text();
    expect(html).toContain('DEVELOPMENT MODE');
    expect(html).toContain('Lena Vogel (Berlin)');
    expect(html).toContain('name="returnTo" value="/drafts"');
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([0-9A-Za-z]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(html).toContain(`<style nonce="${String(nonce)}">`);
    expect(csp).toContain("default-src 'none'");
  });

  it('the form sign-in redirects only to a same-site path', async () => {
    const server = await testServer();
    const form = (returnTo: string) =>
      server.fetch('/auth/dev/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: new URLSearchParams({ person: 'jo', returnTo }).toString(),
      });
    expect((await form('/review')).headers.get('location')).toBe('/review');
    for (const evil of ['//evil.example.com', 'https://evil.example.com', '/\\evil.example.com']) {
      expect((await form(evil)).headers.get('location')).toBe('/');
    }
  });

  it('refuses unknown people, cross-site sign-ins and non-loopback host names', async () => {
    const server = await testServer();
    const unknown = await server.fetch('/auth/dev/sign-in', json({ person: 'mallory' }));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'E_VALIDATION', path: 'body.person' });
    const crossSite = await server.fetch('/auth/dev/sign-in', {
      ...json({ person: 'lena' }),
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const rebound = await server.fetch('http://evil.example.com:8080/api/session');
    expect(rebound.status).toBe(403);
  });

  it('a session sees itself and its CSRF token', async () => {
    const server = await testServer();
    const lena = await signIn(server, 'lena');
    const me = (await (await lena.fetch('/api/session')).json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      principal: { id: 'lena', roles: ['spoke-marketer'], regions: ['EMEA'], issuer: 'hubspoke-dev', subject: 'lena' },
      identity: { issuer: 'hubspoke-dev', subject: 'lena', name: 'Lena Vogel (Berlin)' },
      via: 'session',
      csrfToken: lena.csrf,
      dev: true,
    });
  });

  it('unsafe cookie requests need the CSRF token and the same origin', async () => {
    const server = await testServer();
    const lena = await signIn(server, 'lena');
    const create = (headers: Record<string, string>) =>
      server.fetch('/api/tokens', {
        method: 'POST',
        headers: { cookie: lena.cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'x', scopes: ['drafts:read'] }),
      });
    expect((await create({})).status).toBe(403);
    expect((await create({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await create({ 'x-csrf-token': lena.csrf, origin: 'https://evil.example.com' })).status).toBe(403);
    expect((await create({ 'x-csrf-token': lena.csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await create({ 'x-csrf-token': lena.csrf, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await create({ 'x-csrf-token': lena.csrf, origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).status).toBe(
      201,
    );
    const { tokens } = (await (await lena.fetch('/api/tokens')).json()) as { tokens: unknown[] };
    expect(tokens).toHaveLength(1); // only the accepted request wrote anything
  });

  it('sign-out ends the session everywhere', async () => {
    const server = await testServer();
    const lena = await signIn(server, 'lena');
    expect((await lena.fetch('/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await lena.fetch('/api/session')).status).toBe(401);
  });

  it('sign-out through one server ends the session on another over the same embedded database at once', async () => {
    const [one, two] = [await testServer(), await testServer()];
    const lena = await signIn(one, 'lena');
    const viaTwo = () => two.fetch('/api/session', { headers: { cookie: lena.cookie } });
    expect((await viaTwo()).status).toBe(200);
    expect((await lena.fetch('/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await viaTwo()).status).toBe(401);
  });

  it('reads a session from an embedded (one-process) database once, and from PostgreSQL on every request', async () => {
    const { database, hub } = await sharedHub();
    const selects: string[] = [];
    const counting: SqlClient = {
      query: (text, params) => {
        if (/^SELECT .* FROM hubspoke_server_sessions/.test(text)) selects.push(text);
        return database.sql.query(text, params);
      },
    };
    const principal = await hub.principal('lena');
    const identity = { issuer: 'hubspoke-dev', subject: 'lena', name: 'Lena' };
    for (const [exclusive, reads] of [
      [true, 1],
      [false, 3],
    ] as const) {
      selects.length = 0;
      const store = new IdentityStore(counting, { exclusive });
      const { sessionId } = await store.createSession(principal, identity);
      for (let i = 0; i < 3; i++) expect((await store.findSession(sessionId))?.principal.id).toBe('lena');
      expect(selects).toHaveLength(reads);
      await store.deleteSession(sessionId);
      expect(await store.findSession(sessionId)).toBeUndefined();
    }
  });

  it('sessions end after the idle time and after the absolute time', async () => {
    let now = Date.UTC(2026, 0, 1);
    const server = await testServer({ now: () => now, sessions: { idleMs: 3600_000, absoluteMs: 3 * 3600_000 } });
    const lena = await signIn(server, 'lena');
    now += 50 * 60_000;
    expect((await lena.fetch('/api/session')).status).toBe(200);
    now += 50 * 60_000; // 50 min after the last use: still alive
    expect((await lena.fetch('/api/session')).status).toBe(200);
    now += 61 * 60_000; // over an hour idle
    expect((await lena.fetch('/api/session')).status).toBe(401);

    const sam = await signIn(server, 'jo');
    for (let i = 0; i < 4; i++) {
      now += 50 * 60_000;
      const status = (await sam.fetch('/api/session')).status;
      expect(status).toBe(i < 3 ? 200 : 401); // used every 50 min, but over 3 h since sign-in
    }
  });

  it('a session of someone the hub directory does not know is refused: 403 problem details with the reason', async () => {
    const server = await testServer();
    const lena = await server.hub.principal('lena');
    // Signed in once (here: a session stored directly), then gone from the directory, or never in it.
    const session = await server.server.context.store.createSession(
      { ...lena, id: 'lenna', issuer: DEV_ISSUER, subject: 'lenna' },
      { issuer: DEV_ISSUER, subject: 'lenna' },
    );
    const headers = { cookie: `__Host-hubspoke-session=${session.sessionId}`, 'x-csrf-token': session.csrfToken };
    const refused = { code: 'E_FORBIDDEN', details: { reason: 'unknown-principal', didYouMean: 'lena' } };
    const list = await server.fetch('/api/drafts', { headers });
    expect(list.status).toBe(403);
    expect(list.headers.get('content-type')).toBe('application/problem+json');
    expect(await list.json()).toMatchObject({ ...refused, detail: expect.stringContaining('lenna') as unknown });
    const create = await server.fetch('/api/drafts', {
      ...json({ id: 'lenna-1', name: 'L', template: { id: 'announcement' }, region: 'EMEA', team: 'berlin' }),
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(create.status).toBe(403);
    expect(await create.json()).toMatchObject(refused);
    // Lena herself, signed in from the directory, is served.
    expect((await (await signIn(server, 'lena')).fetch('/api/drafts')).status).toBe(200);
  });

  it('no credential is a 401 with a Bearer challenge', async () => {
    const server = await testServer();
    const res = await server.fetch('/api/session');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const forged = await server.fetch('/api/session', {
      headers: { cookie: '__Host-hubspoke-session=' + 'A'.repeat(43) },
    });
    expect(forged.status).toBe(401);
  });
});

describe.each(BACKENDS)('API tokens over %s', (backend) => {
  const { sharedHub, testServer } = over(backend);
  beforeAll(sharedHub);

  it('look like hsp_ + 36 base62 characters with a checksum that catches typos', () => {
    const token = newApiToken();
    expect(token).toMatch(/^hsp_[0-9A-Za-z]{36}$/);
    expect(isWellFormedApiToken(token)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 39 }), fc.constantFrom(...'0123456789abcXYZ'.split('')), (at, ch) => {
        const typo = token.slice(0, at) + ch + token.slice(at + 1);
        return typo === token || !isWellFormedApiToken(typo);
      }),
    );
  });

  it('are shown once, stored as a hash, scoped, and revocable', async () => {
    const server = await testServer();
    const lena = await signIn(server, 'lena');
    const created = await lena.fetch(
      '/api/tokens',
      json({ name: 'metrics sync', scopes: ['metrics:write', 'drafts:read'] }),
    );
    expect(created.status).toBe(201);
    const { token, record } = (await created.json()) as {
      token: string;
      record: { id: string; hint: string; scopes: string[] };
    };
    expect(record.hint).toBe(`hsp_…${token.slice(-4)}`);
    expect(record.scopes).toEqual(['drafts:read', 'metrics:write']);

    const listed = await (await lena.fetch('/api/tokens')).text();
    expect(listed).not.toContain(token);
    const stored = JSON.stringify(
      (await (await sharedHub()).database.sql.query('SELECT * FROM hubspoke_server_api_tokens')).rows,
    );
    expect(stored).not.toContain(token);

    const withToken = (path: string, init: RequestInit = {}) =>
      server.fetch(path, { ...init, headers: { authorization: `Bearer ${token}` } });
    const me = (await (await withToken('/api/session')).json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      via: 'api-token',
      scopes: ['drafts:read', 'metrics:write'],
      principal: { id: 'lena' },
    });
    // A token cannot mint or list tokens.
    expect((await withToken('/api/tokens')).status).toBe(403);

    expect((await lena.fetch(`/api/tokens/${record.id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await withToken('/api/session');
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { detail: string }).detail).toContain('revoked');
    // Someone else cannot revoke (or learn about) Lena's tokens.
    const sam = await signIn(server, 'jo');
    expect((await sam.fetch(`/api/tokens/${record.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('expire', async () => {
    let now = Date.UTC(2026, 0, 1);
    const server = await testServer({ now: () => now });
    const lena = await signIn(server, 'lena');
    const { token } = (await (
      await lena.fetch('/api/tokens', json({ name: 'short', scopes: ['drafts:read'], expiresInDays: 1 }))
    ).json()) as {
      token: string;
    };
    const call = () => server.fetch('/api/session', { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    now += 86400_000;
    expect((await call()).status).toBe(401);
  });

  it('a made-up or mistyped token is refused', async () => {
    const server = await testServer();
    for (const bad of [newApiToken(), `hsp_${'A'.repeat(36)}`, 'hsp_short']) {
      const res = await server.fetch('/api/session', { headers: { authorization: `Bearer ${bad}` } });
      expect(res.status).toBe(401);
    }
  });
});

describe('when the database fails', () => {
  const failing = (error: Error): SqlClient => ({
    query: () => Promise.reject(error),
  });
  const session = 'A'.repeat(43);

  it('an unreachable or overloaded database is E_UPSTREAM (502, retry), not a server bug', async () => {
    const timeout = new Error('timeout exceeded when trying to connect'); // pg's pool, no SQLSTATE
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const tooMany = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    const shutdown = Object.assign(new Error('terminating connection'), { code: '57P01' });
    for (const cause of [timeout, refused, tooMany, shutdown]) {
      const error = await new IdentityStore(failing(cause)).findSession(session).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubspokeError);
      expect((error as HubspokeError).code).toBe('E_UPSTREAM');
      const problem = problemResponse(error, 'req-1');
      expect(problem.status).toBe(502);
      expect(JSON.stringify(await problem.json())).not.toContain('127.0.0.1'); // the cause stays in the logs
    }
  });

  it('a failing statement is E_INTERNAL', async () => {
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    const error = await new IdentityStore(failing(syntax)).findSession(session).catch((e: unknown) => e);
    expect((error as HubspokeError).code).toBe('E_INTERNAL');
    expect(problemResponse(error, 'req-2').status).toBe(500);
  });
});
