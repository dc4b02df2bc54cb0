import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeServer } from '../../testkit/fake-server.js';
import { staticAuth } from './auth.js';
import { createDryRunRecorder } from './dry-run.js';
import { HttpClient, classifyStatus } from './http-client.js';
import { fastTestRuntime } from '../../testkit/fixtures.js';
import { memoryLogger } from './logger.js';
import { Throttle } from './throttle.js';

let fake: FakeServer;
let hits = 0;
beforeEach(async () => {
  hits = 0;
  fake = await new FakeServer()
    .route('GET', '/thing', () => ({ json: { hits: ++hits } }))
    .route('POST', '/thing', () => ({ json: { id: ++hits } }))
    .start();
});
afterEach(async () => {
  await fake.close();
});

/**
 * Genuine answers get all the time a loaded machine needs (the long test timeout), so a slow answer
 * is never read as a fault; an injected `timeout` rejects at once through `fake.fetch`.
 */
const client = (extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({
    connector: 'test',
    vendor: 'Test',
    baseUrl: fake.url,
    fetch: fake.fetch,
    retry: fastTestRuntime.retry,
    ...extra,
  });

describe('HttpClient', () => {
  it('retries idempotent requests through 5xx, resets, timeouts and malformed JSON', async () => {
    for (const kind of ['http500', 'http503', 'reset', 'timeout', 'malformed'] as const)
      fake.inject({ kind, after: true });
    const res = await client({ retry: { ...fastTestRuntime.retry, maxAttempts: 6 } }).send({
      method: 'GET',
      url: '/thing',
      operation: 'getThing',
    });
    expect(res.body).toEqual({ hits: 6 });
    expect(fake.injected).toMatchObject({ http500: 1, http503: 1, reset: 1, timeout: 1, malformed: 1 });
  });

  it('times out on its own timer when the server never answers', async () => {
    // The fake holds this answer until the client gives up, so the short timer always fires, however slow the machine.
    fake.inject({ kind: 'timeout' });
    const error = await client({ fetch: globalThis.fetch, retry: { baseDelayMs: 1, timeoutMs: 50, maxAttempts: 1 } })
      .send({ method: 'GET', url: '/thing', operation: 'getThing' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_TIMEOUT' });
    expect((error as Error).message).toMatch(/no answer within 50 ms/);
    expect(hits).toBe(0);
  });

  it('does not retry a create whose outcome is unknown, and marks the error ambiguous', async () => {
    fake.inject({ kind: 'reset', after: true });
    const error = await client()
      .send({ method: 'POST', url: '/thing', operation: 'createThing' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UPSTREAM', details: { ambiguous: true } });
    expect(hits).toBe(1);
  });

  it('retries a create that was refused before processing (429 with Retry-After)', async () => {
    fake.inject({ kind: 'http429' });
    const logger = memoryLogger();
    const res = await client({ logger }).send({ method: 'POST', url: '/thing', operation: 'createThing' });
    expect(res.body).toEqual({ id: 1 });
    expect(logger.records.some((r) => r.event === 'http.rate-limited')).toBe(true);
  });

  it('retries a refused connection even for creates (nothing reached the server)', async () => {
    const closed = await new FakeServer().start();
    const url = closed.url;
    await closed.close();
    const error = await new HttpClient({
      connector: 't',
      vendor: 'T',
      baseUrl: url,
      retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 },
    })
      .send({ method: 'POST', url: '/x', operation: 'create' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_UPSTREAM', details: { attempt: 2 } });
    expect((error as Error).message).toMatch(/failed after 2 attempts.*ECONNREFUSED/);
  });

  it('gives up after maxAttempts with E_UPSTREAM and after rate-limit waits with E_RATE_LIMITED', async () => {
    for (let i = 0; i < 3; i++) fake.inject({ kind: 'http500' });
    await expect(
      client({ retry: { ...fastTestRuntime.retry, maxAttempts: 3 } }).send({
        method: 'GET',
        url: '/thing',
        operation: 'g',
      }),
    ).rejects.toMatchObject({ code: 'E_UPSTREAM' });
    for (let i = 0; i < 3; i++) fake.inject({ kind: 'http429' });
    await expect(
      client({ retry: { ...fastTestRuntime.retry, maxRateLimitWaits: 2 } }).send({
        method: 'GET',
        url: '/thing',
        operation: 'g',
      }),
    ).rejects.toMatchObject({ code: 'E_RATE_LIMITED' });
  });

  it('maps statuses to stable codes', () => {
    const at = (status: number) =>
      classifyStatus({
        status,
        headers: new Headers(),
        body: undefined,
        request: { method: 'GET', url: '/', operation: 'x' },
      });
    expect(at(200).kind).toBe('ok');
    expect(at(401).kind).toBe('reauth');
    expect(at(403)).toMatchObject({ kind: 'fail', code: 'E_AUTH' });
    expect(at(404)).toMatchObject({ code: 'E_NOT_FOUND' });
    expect(at(409)).toMatchObject({ code: 'E_CONFLICT' });
    expect(at(422)).toMatchObject({ code: 'E_VALIDATION' });
    expect(at(429).kind).toBe('rate-limited');
    expect(at(502).kind).toBe('retry');
    expect(at(418)).toMatchObject({ code: 'E_UPSTREAM' });
  });

  it('fails a static credential the server rejects with E_AUTH (no refresh loop)', async () => {
    const fakeAuth = await new FakeServer()
      .route('GET', '/me', () => ({ status: 401, json: { message: 'bad token' } }))
      .start();
    const c = new HttpClient({
      connector: 't',
      vendor: 'T',
      baseUrl: fakeAuth.url,
      auth: staticAuth({ Authorization: 'Bearer nope' }),
    });
    await expect(c.send({ method: 'GET', url: '/me', operation: 'me' })).rejects.toMatchObject({ code: 'E_AUTH' });
    expect(fakeAuth.requests).toHaveLength(1);
    await fakeAuth.close();
  });

  it('pauses all calls when a response reports the quota spent (X-RateLimit-Remaining: 0)', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    const quota = await new FakeServer()
      .route('GET', '/q', () => ({
        headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) },
        json: {},
      }))
      .start();
    const throttle = new Throttle();
    const c = new HttpClient({ connector: 't', vendor: 'T', baseUrl: quota.url, throttle });
    await c.send({ method: 'GET', url: '/q', operation: 'q' });
    (await throttle.acquire())();
    // Held until the reset the server named (at once if a slow machine is already past it).
    expect(Date.now()).toBeGreaterThanOrEqual(reset * 1000 - 5);
    await quota.close();
  });

  it('cancels waiting and in-flight requests with E_ABORTED', async () => {
    fake.inject({ kind: 'timeout' });
    const controller = new AbortController();
    // The fake never answers and the client's timer is long: only the abort can end this request.
    const pending = client({ fetch: globalThis.fetch }).send(
      { method: 'GET', url: '/thing', operation: 'g' },
      controller.signal,
    );
    setTimeout(() => {
      controller.abort();
    }, 20);
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('records a dry run without sending, redacting credentials', async () => {
    const dryRun = createDryRunRecorder();
    const res = await client({ dryRun, auth: staticAuth({ Authorization: 'Bearer live' }) }).send({
      method: 'POST',
      url: '/thing',
      operation: 'createThing',
      query: { access_token: 'abc' },
      json: { name: 'x' },
      dryRunBody: { id: 'planned' },
    });
    expect(res).toMatchObject({ dryRun: true, body: { id: 'planned' } });
    expect(fake.requests).toHaveLength(0);
    expect(dryRun.records[0]).toMatchObject({
      method: 'POST',
      operation: 'createThing',
      body: { name: 'x' },
      headers: { Authorization: '[REDACTED]' },
    });
    expect(dryRun.records[0]!.target).not.toContain('abc');
  });

  it('sends JSON, form and multipart bodies with the right content types', async () => {
    const c = client();
    await c.send({ method: 'PUT', url: '/echo', operation: 'json', json: { a: 1 } }).catch(() => undefined);
    await c
      .send({ method: 'PUT', url: '/echo', operation: 'form', form: { a: 'b c', skip: undefined } })
      .catch(() => undefined);
    await c
      .send({
        method: 'PUT',
        url: '/echo',
        operation: 'multi',
        multipart: [{ name: 'content', value: '<p>x</p>', filename: 'x.html', contentType: 'text/html' }],
      })
      .catch(() => undefined);
    const [json, form, multi] = fake.requests;
    expect(json!.json).toEqual({ a: 1 });
    expect(form!.body).toBe('a=b+c');
    expect(multi!.files!.get('content')).toMatchObject({
      filename: 'x.html',
      contentType: 'text/html',
      text: '<p>x</p>',
    });
    expect(multi!.files!.get('content')!.bytes.toString('utf8')).toBe('<p>x</p>');
  });
});
