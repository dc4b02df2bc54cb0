import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  exampleHub,
  json,
  pgUrl,
  signIn,
  testServer as createTestServer,
  type Backend,
  type ExampleHub,
} from './test-support.js';

// Starting a hub takes seconds on a loaded machine: once per database, under the hook timeout.
const hubs = new Map<string, Promise<ExampleHub>>();
const hubOn = (backend: Backend) => {
  let hub = hubs.get(backend);
  if (hub === undefined) hubs.set(backend, (hub = exampleHub(backend)));
  return hub;
};
beforeAll(() => hubOn('pglite'));
// Each server listens for the hub's changes: stop them before the hub closes (PostgreSQL: its connections).
const servers: { server: { close: () => Promise<void> } }[] = [];
afterAll(async () => {
  for (const { server } of servers) await server.close();
  for (const hub of hubs.values()) await (await hub).cleanup();
});

// What does not touch the database runs once, over PGlite.
describe('server skeleton', () => {
  const testServer = async (options: Parameters<typeof serverOn>[1] = {}) => serverOn('pglite', options);
  it('answers /healthz, and /readyz until draining', async () => {
    const server = await testServer();
    expect((await server.fetch('/healthz')).status).toBe(200);
    expect(await (await server.fetch('/readyz')).json()).toEqual({ status: 'ready' });
    server.server.setReady(false);
    const draining = await server.fetch('/readyz');
    expect(draining.status).toBe(503);
  });

  it('unknown paths are 404 problem details with the request id', async () => {
    const server = await testServer();
    const res = await server.fetch('/api/nope', { headers: { 'x-request-id': 'req-42' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('req-42');
    expect(await res.json()).toMatchObject({
      type: 'urn:hubspoke:problem:E_NOT_FOUND',
      title: 'Not Found',
      status: 404,
      code: 'E_NOT_FOUND',
      requestId: 'req-42',
    });
  });

  it('a hostile request id is replaced, not echoed', async () => {
    const server = await testServer();
    const res = await server.fetch('/healthz', { headers: { 'x-request-id': 'a b<script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9A-Za-z]{16}$/);
  });

  it('sends security headers: CSP without framing, nosniff, no referrer', async () => {
    const server = await testServer();
    const res = await server.fetch('/healthz');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves an OpenAPI 3.1 document that a real validator accepts', async () => {
    const server = await testServer();
    const doc = (await (await server.fetch('/openapi.json')).json()) as Record<string, unknown>;
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths as object)).toEqual(expect.arrayContaining(['/api/session', '/api/tokens']));
  });

  it('serves the web app under a strict CSP, index.html for app routes, nothing outside its folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hubspoke-app-'));
    await mkdir(path.join(dir, 'app', 'assets'), { recursive: true });
    await writeFile(path.join(dir, 'app', 'index.html'), '<!doctype html><title>Hub</title>');
    await writeFile(path.join(dir, 'app', 'assets', 'main.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'secret');
    const server = await testServer({ webApp: path.join(dir, 'app') });
    const index = await server.fetch('/drafts/berlin-spring');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Hub</title>');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const js = await server.fetch('/assets/main.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    for (const evil of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00.js']) {
      const res = await server.fetch(evil);
      expect(await res.text()).not.toBe('secret');
    }
    // The API is not shadowed by the app.
    expect((await server.fetch('/api/session')).status).toBe(401);
  });
});

if (pgUrl === undefined) it.skip('server skeleton over postgres: needs HUBSPOKE_TEST_PG_URL', () => undefined);

// What reads or writes the database (sessions, tokens, rate limits by principal) runs on each.
describe.each(BACKENDS)('server skeleton over %s', (backend) => {
  const testServer = async (options: Parameters<typeof serverOn>[1] = {}) => serverOn(backend, options);
  beforeAll(() => hubOn(backend));

  it('refuses non-JSON bodies with 415, large ones with 413, deep ones with 400, broken JSON with 400', async () => {
    const server = await testServer({ limits: { maxBodyBytes: 2000, maxJsonDepth: 8 } });
    const lena = await signIn(server, 'lena');
    const post = (body: string, type = 'application/json') =>
      lena.fetch('/api/tokens', { method: 'POST', headers: { 'content-type': type }, body });
    const form = await post('name=x', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ code: 'E_VALIDATION', status: 415 });
    expect((await post('{"a":"x"}', 'text/plain')).status).toBe(415);
    const big = await post(JSON.stringify({ name: 'x'.repeat(3000) }));
    expect(big.status).toBe(413);
    const deep = await post(`${'['.repeat(9)}${']'.repeat(9)}`);
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { detail: string }).detail).toContain('deeper than 8');
    // Brackets inside strings are not nesting.
    expect((await post(JSON.stringify({ name: '[[[[[[[[[[[[[', scopes: ['drafts:read'] }))).status).toBe(201);
    const broken = await post('{"name":');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'E_VALIDATION' });
  });

  it('counts a chunked body on the stream (no Content-Length)', async () => {
    const server = await testServer({ limits: { maxBodyBytes: 1000 } });
    const lena = await signIn(server, 'lena');
    const chunk = new TextEncoder().encode(`{"name":"${'x'.repeat(2000)}"}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await lena.fetch('/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body,
      duplex: 'half',
    });
    expect(res.status).toBe(413);
  });

  it('validation failures name each bad value with a path and a JSON pointer', async () => {
    const server = await testServer();
    const lena = await signIn(server, 'lena');
    const res = await lena.fetch('/api/tokens', json({ name: '', scopes: ['drafts:read', 'root:all'] }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string; pointer: string }[]; detail: string };
    expect(body.errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/name', '/scopes/1']));
    expect(body.detail).toContain('body.scopes[1]');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // never a stack
  });

  it('limits requests per principal with 429 and Retry-After', async () => {
    const server = await testServer({ limits: { requestsPerMinute: 18 } });
    const lena = await signIn(server, 'lena');
    const sam = await signIn(server, 'jo');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await lena.fetch('/api/session')).status);
    const limited = await lena.fetch('/api/session');
    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ code: 'E_RATE_LIMITED' });
    // Another person has their own budget.
    expect((await sam.fetch('/api/session')).status).toBe(200);
  });

  it('logs one JSON line per request with the request id and principal, never a token or cookie', async () => {
    const server = await testServer();
    const lena = await signIn(server, 'lena');
    const created = (await (await lena.fetch('/api/tokens', json({ name: 'ci', scopes: ['drafts:read'] }))).json()) as {
      token: string;
    };
    await server.fetch('/api/session?code=secret-code', { headers: { authorization: `Bearer ${created.token}` } });
    const text = JSON.stringify(server.logs);
    expect(text).not.toContain(created.token);
    expect(text).not.toContain(lena.cookie.split('=')[1]);
    expect(text).not.toContain(lena.csrf);
    expect(text).not.toContain('secret-code');
    const line = server.logs.find((l) => l.msg === 'request' && l.via === 'api-token');
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      path: '/api/session',
      status: 200,
      principal: 'lena',
    });
    expect(line?.requestId).toEqual(expect.any(String));
  });
});

async function serverOn(backend: Backend, options: Parameters<typeof createTestServer>[0] = {}) {
  const server = await createTestServer({ hub: (await hubOn(backend)).hub, ...options });
  servers.push(server);
  return server;
}
