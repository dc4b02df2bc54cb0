import { IdSchema, isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftIdFor, httpSource } from '../src/source/http-source.js';
import { parseRoute } from '../src/ui/hubspoke-app.js';

// The HTTP source's own decisions (headers, error mapping, ids). Against the real server, the whole
// story runs in @hubspoke/server's editor-story.browser.test.ts.

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

function fakeServer(answer: (call: Call) => Response): { calls: Call[]; fetch: typeof fetch } {
  const calls: Call[] = [];
  const fake = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const call: Call = {
      method: init.method ?? 'GET',
      url: input instanceof Request ? input.url : input instanceof URL ? input.href : input,
      headers,
      ...(typeof init.body === 'string' ? { body: JSON.parse(init.body) as unknown } : {}),
    };
    calls.push(call);
    return Promise.resolve(answer(call));
  };
  return { calls, fetch: fake };
}

const problem = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

const envelope = (version: number) => ({
  draft: {
    id: 'd-1',
    name: 'D',
    template: { id: 't', version: 1 },
    content: { en: { slots: {} } },
    modules: [],
  },
  version,
  status: 'draft',
});

describe('httpSource', () => {
  it('sends the CSRF token from the session on writes (never on reads), and If-Match on saves', async () => {
    const server = fakeServer((call) => {
      if (call.url.endsWith('/api/session')) return Response.json({ csrfToken: 'tok-1' });
      if (call.method === 'PUT') return Response.json(envelope(4), { headers: { etag: '"4"' } });
      return Response.json(envelope(3));
    });
    const source = httpSource({ baseUrl: 'http://hub.test', fetch: server.fetch });
    const read = await source.draft('d-1');
    expect(read.etag).toBe('"3"');
    const saved = await source.saveDraft(read.draft, read.etag);
    expect(saved.etag).toBe('"4"');
    const get = server.calls.find((c) => c.method === 'GET' && c.url.endsWith('/api/drafts/d-1'));
    const put = server.calls.find((c) => c.method === 'PUT');
    expect(get?.headers['x-csrf-token']).toBeUndefined();
    expect(put?.headers).toMatchObject({ 'x-csrf-token': 'tok-1', 'if-match': '"3"' });
    expect(put?.url).toBe('http://hub.test/api/drafts/d-1');
  });

  it('starts a new version with If-Match and CSRF, reads the actions, and asks the assistant (subjects, alt text for a slot, a translation)', async () => {
    const server = fakeServer((call) => {
      if (call.url.endsWith('/api/session')) return Response.json({ csrfToken: 'tok-2' });
      if (call.url.endsWith('/versions')) return Response.json(envelope(6), { status: 201, headers: { etag: '"6"' } });
      if (call.url.endsWith('/actions')) return Response.json({ push: true, newVersion: false });
      if (call.url.endsWith('/assist/translate'))
        return Response.json({ content: { subject: 'Hallo', slots: {} }, diagnostics: [], passed: true });
      if (call.url.includes('/assist/'))
        return Response.json({ items: [{ text: 'Hi', diagnostics: [], passed: true }] });
      return Response.json(envelope(5));
    });
    const source = httpSource({ baseUrl: '', fetch: server.fetch });
    const next = await source.newVersion?.('d-1', '"5"');
    expect(next).toMatchObject({ etag: '"6"', status: 'draft' });
    const post = server.calls.find((c) => c.url.endsWith('/api/drafts/d-1/versions'));
    expect(post).toMatchObject({ method: 'POST', headers: { 'x-csrf-token': 'tok-2', 'if-match': '"5"' } });
    expect(await source.actions?.('d-1')).toEqual({ push: true, newVersion: false });
    const draft = envelope(5).draft as never;
    expect(await source.subjectVariants?.(draft, 'en')).toEqual([{ text: 'Hi', diagnostics: [], passed: true }]);
    await source.altText?.({ src: 'https://cdn.test/a.jpg' }, 'en', { draft, instanceId: 'hero', slotId: 'image' });
    expect(server.calls.find((c) => c.url.endsWith('/api/editor/assist/alt-text'))?.body).toEqual({
      draft: envelope(5).draft,
      locale: 'en',
      instanceId: 'hero',
      slotId: 'image',
      image: { src: 'https://cdn.test/a.jpg' },
    });
    const missing: unknown = await source.altText?.({ src: 'x' }, 'en').catch((e: unknown) => e);
    expect(isHubspokeError(missing, 'E_VALIDATION')).toBe(true);
    expect(await source.translate?.(draft, 'en', 'de')).toEqual({
      content: { subject: 'Hallo', slots: {} },
      diagnostics: [],
    });
    expect(server.calls.find((c) => c.url.endsWith('/api/editor/assist/translate'))).toMatchObject({
      method: 'POST',
      headers: { 'x-csrf-token': 'tok-2' },
      body: { draft: envelope(5).draft, from: 'en', to: 'de' },
    });
  });

  it('turns a stale save (412) into a resolvable E_CONFLICT with the current ETag', async () => {
    const server = fakeServer((call) =>
      call.url.endsWith('/api/session')
        ? Response.json({ csrfToken: 't' })
        : problem(412, { code: 'E_CONFLICT', detail: 'it is at version 5, not 3' }, { etag: '"5"' }),
    );
    const source = httpSource({ baseUrl: '', fetch: server.fetch });
    const error: unknown = await source.saveDraft(envelope(3).draft as never, '"3"').catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_CONFLICT')).toBe(true);
    expect((error as { details: Record<string, unknown> }).details).toMatchObject({ reason: 'stale', etag: '"5"' });
  });

  it("keeps the server's code, path and message (a locked slot is E_LOCKED), and never throws a TypeError", async () => {
    const server = fakeServer((call) =>
      call.url.endsWith('/api/session')
        ? Response.json({ csrfToken: 't' })
        : problem(403, { code: 'E_LOCKED', detail: 'Slot "legal" is locked', path: 'content.en.slots.m.legal' }),
    );
    const error: unknown = await httpSource({ fetch: server.fetch })
      .saveDraft(envelope(1).draft as never, '"1"')
      .catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_LOCKED')).toBe(true);
    expect(error).toMatchObject({ message: 'Slot "legal" is locked', path: 'content.en.slots.m.legal' });

    const proxy = fakeServer(() => new Response('<html>bad gateway</html>', { status: 502 }));
    const upstream: unknown = await httpSource({ fetch: proxy.fetch })
      .draft('x')
      .catch((e: unknown) => e);
    expect(isHubspokeError(upstream, 'E_UPSTREAM')).toBe(true);

    const down = httpSource({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const offline: unknown = await down.templates().catch((e: unknown) => e);
    expect(isHubspokeError(offline, 'E_UPSTREAM')).toBe(true);
  });

  it('a 401 is E_AUTH (the app shows its sign-in screen)', async () => {
    const server = fakeServer(() => problem(401, { code: 'E_AUTH', detail: 'Sign in' }));
    const error: unknown = await httpSource({ fetch: server.fetch })
      .viewer()
      .catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_AUTH')).toBe(true);
  });

  it('an override approves in two audited steps: the override with its reason, then the decision', async () => {
    const server = fakeServer((call) =>
      call.url.endsWith('/api/session')
        ? Response.json({ csrfToken: 't' })
        : call.method === 'POST'
          ? Response.json({ submissionId: 's' })
          : Response.json({ id: 's', allowedDecisions: [] }),
    );
    await httpSource({ fetch: server.fetch }).decide('s', { decision: 'approved', override: true, reason: 'urgent' });
    expect(server.calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { verdict: 'override', reason: 'urgent' },
      { verdict: 'approved', reason: 'urgent' },
    ]);
  });

  it('makes draft ids the server accepts from any name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (name, r) => {
        const id = draftIdFor(name, () => r);
        expect(IdSchema.safeParse(id).success).toBe(true);
        expect(id).toMatch(/^[a-z][a-z0-9-]{0,60}$/);
      }),
    );
    expect(draftIdFor('Frühling in Berlin!', () => 0)).toBe('fruhling-in-berlin-0000');
    expect(draftIdFor('2026 spring', () => 0)).toBe('draft-2026-spring-0000');
  });
});

describe('parseRoute', () => {
  it('routes the hash, and anything unknown goes home', () => {
    expect(parseRoute('#/drafts/may-1')).toEqual({ view: 'draft', id: 'may-1' });
    expect(parseRoute('#/review/s%2F1')).toEqual({ view: 'review', id: 's/1' });
    expect(parseRoute('#/inbox')).toEqual({ view: 'inbox' });
    expect(parseRoute('#/drafts/%E0%A4%A')).toEqual({ view: 'home' });
    fc.assert(
      fc.property(fc.string(), (hash) => {
        expect(['home', 'inbox', 'draft', 'review']).toContain(parseRoute(hash).view);
      }),
    );
  });
});
