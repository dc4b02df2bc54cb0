import fc from 'fast-check';
import { isHubspokeError } from '@hubspoke/core';
import { deepArray, hostileExportFailures, hugeString, methodsOf, slowHostileRefusals } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { httpSource, type HttpSourceOptions } from '../src/source/http-source.js';

/** A fetch that counts its calls and, like a closed port on 127.0.0.1, never reaches a server. */
function unreachable(): { count: () => number; fetch: typeof fetch } {
  let calls = 0;
  return {
    count: () => calls,
    fetch: () => {
      calls++;
      return Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED 127.0.0.1:9'));
    },
  };
}

/** An EventSource that opens nothing (so the source has `subscribe`). */
class QuietEventSource {
  constructor(readonly url: string) {}
  listeners = 0;
  closed = false;
  addEventListener(): void {
    this.listeners++;
  }
  close(): void {
    this.closed = true;
  }
}

const ES = QuietEventSource as unknown as typeof EventSource;

const draft = {
  id: 'may-newsletter-0000',
  name: 'May newsletter',
  template: { id: 'newsletter', version: 1 },
  author: 'lena@northwind.example',
  defaultLocale: 'en',
  modules: [],
  content: { en: { slots: {} } },
};

describe('the methods of an httpSource, with hostile input', () => {
  it('return a value or throw (reject with) a HubspokeError', async () => {
    const server = unreachable();
    const source = httpSource({ baseUrl: 'http://127.0.0.1:9', fetch: server.fetch, EventSource: ES });
    const methods = { httpSource, ...methodsOf('source', source) };
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 3, waitMs: 200 });
    expect(covered).toContain('httpSource');
    expect(covered).toContain('source.saveDraft');
    expect(covered).toContain('source.subscribe');
    expect(covered.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    // Each refusal at once, before any work proportional to the value.
    expect(await slowHostileRefusals(methods)).toEqual([]);
  });

  it('refuse a wrong argument with E_VALIDATION naming it before any request, and send valid ones as before', async () => {
    const server = unreachable();
    const source = httpSource({ baseUrl: 'http://127.0.0.1:9', fetch: server.fetch, EventSource: ES });
    const deep = deepArray();
    const cyclic: Record<string, unknown> = { ...draft };
    cyclic.self = cyclic;
    const slot = { draft, instanceId: 'hero', slotId: 'image' };
    const refusals: [string, () => unknown, string][] = [
      ['draft(symbol)', () => source.draft(Symbol('x') as never), 'id'],
      ['draft(deep)', () => source.draft(deep as never), 'id'],
      ['draft(10 MB)', () => source.draft(hugeString()), 'id'],
      ['template version', () => source.template('newsletter', Number.NaN), 'version'],
      ['createDraft(null)', () => source.createDraft(null as never), 'input'],
      ['createDraft name', () => source.createDraft({ templateId: 'newsletter', name: 7 as never }), 'input.name'],
      [
        'createDraft templateId',
        () => source.createDraft({ templateId: hugeString(), name: 'May' }),
        'input.templateId',
      ],
      ['saveDraft(null)', () => source.saveDraft(null as never, '"1"'), 'draft'],
      ['saveDraft id', () => source.saveDraft({ ...draft, id: Symbol('id') } as never, '"1"'), 'draft.id'],
      ['saveDraft cyclic', () => source.saveDraft(cyclic as never, '"1"'), 'draft'],
      ['saveDraft deep', () => source.saveDraft({ ...draft, content: deep } as never, '"1"'), 'draft'],
      ['saveDraft bigint', () => source.saveDraft({ ...draft, revision: 1n } as never, '"1"'), 'draft'],
      ['saveDraft etag', () => source.saveDraft(draft as never, deep as never), 'etag'],
      ['newVersion etag', () => source.newVersion?.('d', 5 as never), 'etag'],
      ['submit', () => source.submit(null as never), 'draftId'],
      ['decide(null)', () => source.decide('s', null as never), 'input'],
      ['decide decision', () => source.decide('s', { decision: Symbol('d') } as never), 'input.decision'],
      ['decide reason', () => source.decide('s', { decision: 'approved', reason: 1 as never }), 'input.reason'],
      ['decide override', () => source.decide('s', { decision: 'approved', override: 'y' as never }), 'input.override'],
      ['comment text', () => source.comment('s', { text: Symbol('t') as never }), 'input.text'],
      [
        'comment anchor',
        () => source.comment('s', { text: 'x', anchor: { instanceId: deep as never } }),
        'input.anchor.instanceId',
      ],
      ['comment parentId', () => source.comment('s', { text: 'x', parentId: {} as never }), 'input.parentId'],
      ['resolveComment', () => source.resolveComment('s', 'c-1', null as never), 'resolved'],
      ['push', () => source.push?.(deep as never), 'draftId'],
      ['skeleton(null)', () => source.skeleton(null as never), 'request'],
      [
        'skeleton draft',
        () => source.skeleton({ draft: cyclic as never, locale: 'en', annotate: true, key: 'k' }),
        'request.draft',
      ],
      [
        'skeleton locale',
        () => source.skeleton({ draft: draft as never, locale: 1 as never, annotate: true, key: 'k' }),
        'request.locale',
      ],
      ['subjectVariants', () => source.subjectVariants?.({ ...draft, content: deep } as never, 'en'), 'draft'],
      ['altText image', () => source.altText?.({ src: null as never }, 'en', slot as never), 'image.src'],
      ['altText slot', () => source.altText?.({ src: 'x' }, 'en', { ...slot, slotId: 3 } as never), 'slot.slotId'],
      ['altText no slot', () => source.altText?.({ src: 'x' }, 'en'), 'slot'],
      ['translate', () => source.translate?.(draft as never, 'en', Symbol('de') as never), 'to'],
    ];
    for (const [what, call, path] of refusals) {
      let thrown: unknown;
      try {
        await call();
      } catch (error) {
        thrown = error;
      }
      expect({ what, thrown }).toMatchObject({ what, thrown: { code: 'E_VALIDATION', path } });
    }
    for (const [scope, path] of [
      [null, 'listener'],
      [{ draftId: 7 }, 'scope.draftId'],
    ] as const)
      expect(() => source.subscribe?.(scope === null ? (null as never) : () => undefined, scope as never)).toThrow(
        expect.objectContaining({ code: 'E_VALIDATION', path }),
      );
    // Nothing refused reached the network.
    expect(server.count()).toBe(0);
    // A valid call is sent as before (and the unreachable server is E_UPSTREAM).
    const offline: unknown = await source.saveDraft(draft as never, '"1"').catch((e: unknown) => e);
    expect(isHubspokeError(offline, 'E_UPSTREAM')).toBe(true);
    expect(server.count()).toBe(1);
  });
});

/**
 * A fake hub server at http://hub.test that answers every route the source uses with a valid
 * answer (404 elsewhere); like the platform's fetch, it rejects a URL that is not absolute.
 */
function answer(url: string, method: string): Response {
  const { origin, pathname: path } = new URL(url);
  if (origin !== 'http://hub.test') return Response.json({ code: 'E_NOT_FOUND' }, { status: 404 });
  const envelope = { draft, version: 2, status: 'draft' };
  const submission = { id: 's-1', status: 'inReview', allowedDecisions: ['approved'], comments: [], stages: [] };
  if (path === '/api/session') return Response.json({ csrfToken: 'tok' });
  if (path === '/api/editor/context')
    return Response.json({ viewer: { id: 'lena@northwind.example' }, hub: { name: 'Northwind' } });
  if (path === '/api/templates') return Response.json({ items: [{ id: 'newsletter', version: 1, name: 'N' }] });
  if (path === '/api/drafts' && method === 'GET') return Response.json({ items: [envelope] });
  if (path.endsWith('/submissions') && method === 'POST') return Response.json({ submissionId: 's-1' });
  if (path.endsWith('/push'))
    return Response.json({ connector: 'c', report: { items: [{ ok: true, result: { remoteId: 'r' } }] } });
  if (path.startsWith('/api/editor/submissions') || path.startsWith('/api/submissions'))
    return Response.json(submission);
  if (path.includes('/assist/translate')) return Response.json({ content: { slots: {} }, diagnostics: [] });
  if (path.includes('/assist/')) return Response.json({ items: [] });
  if (path === '/api/editor/skeletons') return Response.json({ nodes: [] });
  if (path === '/auth/logout') return new Response(null, { status: 204 });
  if (path.startsWith('/api/drafts')) return Response.json(envelope);
  return Response.json({ code: 'E_NOT_FOUND' }, { status: 404 });
}

/** Rejects (as the platform's fetch does) a URL it cannot parse. */
const fakeFetch: typeof fetch = (input, init) =>
  new Promise((resolve) => {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    resolve(answer(url, init?.method ?? 'GET'));
  });

/** A source built with `patch` applied to working options, then used as the app uses it. */
async function buildAndUse(patch: (o: HttpSourceOptions) => void): Promise<void> {
  const o: HttpSourceOptions = { baseUrl: 'http://hub.test', fetch: fakeFetch, EventSource: ES, token: 'hsp_abc' };
  patch(o);
  try {
    const source = httpSource(o);
    await Promise.all([source.viewer(), source.hub(), source.templates(), source.drafts()]);
    const { draft: d, etag } = await source.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    await source.saveDraft(d, etag);
    await source.skeleton({ draft: d, locale: 'en', annotate: true, key: 'k' });
    await source.submit(d.id);
    await source.comment('s-1', { text: 'Check the hero', anchor: { instanceId: 'hero' } });
    await source.decide('s-1', { decision: 'approved', override: true, reason: 'checked' });
    await source.push?.(d.id);
    source.subscribe?.(() => undefined, { draftId: d.id })();
    await source.signOut();
  } catch (error) {
    // E_INTERNAL is a raw error the guards caught: an option taken that a later call tripped over.
    if (isHubspokeError(error) && error.code === 'E_INTERNAL') throw new TypeError(error.message);
    throw error;
  }
}

describe('httpSource(options), with hostile options', () => {
  it('refuses them with a HubspokeError, or gives a source whose every use returns or throws a HubspokeError', async () => {
    await expect(buildAndUse(() => undefined)).resolves.toBeUndefined();
    const probes = Object.fromEntries(
      (['baseUrl', 'fetch', 'EventSource', 'token'] as const).map((key) => [
        key,
        (value: unknown) =>
          buildAndUse((o) => {
            (o as Record<string, unknown>)[key] = value;
          }),
      ]),
    );
    const { covered, failures } = await hostileExportFailures(fc, probes, { numRuns: 2, waitMs: 200 });
    expect(covered.length).toBe(4);
    expect(failures).toEqual([]);
    const refusals: [HttpSourceOptions, string][] = [
      [{ fetch: 0 as never }, 'fetch'],
      [{ token: 'hsp_a\r\nx-evil: 1' }, 'token'],
      [{ baseUrl: Symbol('u') as never }, 'baseUrl'],
      [{ EventSource: {} as never }, 'EventSource'],
    ];
    for (const [options, path] of refusals)
      expect(() => httpSource(options)).toThrow(expect.objectContaining({ code: 'E_VALIDATION', path }));
  });
});

describe('an httpSource whose server answers 200 with JSON it did not expect', () => {
  it('rejects each call with E_UPSTREAM (or returns a value), never a raw error or E_INTERNAL', async () => {
    const slot = { draft, instanceId: 'hero', slotId: 'image' };
    const calls: [string, (s: ReturnType<typeof httpSource>) => unknown][] = [
      ['viewer', (s) => s.viewer()],
      ['hub', (s) => s.hub()],
      ['templates', (s) => s.templates()],
      ['template', (s) => s.template('newsletter', 1)],
      ['drafts', (s) => s.drafts()],
      ['draft', (s) => s.draft('may-newsletter-0000')],
      ['createDraft', (s) => s.createDraft({ templateId: 'newsletter', name: 'May' })],
      ['saveDraft', (s) => s.saveDraft(draft as never, '"1"')],
      ['newVersion', (s) => s.newVersion?.('may-newsletter-0000')],
      ['actions', (s) => s.actions?.('may-newsletter-0000')],
      ['submit', (s) => s.submit('may-newsletter-0000')],
      ['submission', (s) => s.submission('s-1')],
      ['inbox', (s) => s.inbox()],
      ['decide', (s) => s.decide('s-1', { decision: 'approved' })],
      ['comment', (s) => s.comment('s-1', { text: 'Shorter?' })],
      ['resolveComment', (s) => s.resolveComment('s-1', 'c-1', true)],
      ['push', (s) => s.push?.('may-newsletter-0000')],
      ['skeleton', (s) => s.skeleton({ draft: draft as never, locale: 'en', annotate: true, key: 'k' })],
      ['subjectVariants', (s) => s.subjectVariants?.(draft as never, 'en')],
      ['altText', (s) => s.altText?.({ src: 'https://cdn.example/a.png' }, 'en', slot as never)],
      ['translate', (s) => s.translate?.(draft as never, 'en', 'de')],
    ];
    // What a proxy, an older server or a broken one might send: wrong types where the editor reads fields.
    const odd = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom<unknown>({}, [], null, 'ok', 7, { items: 7 }, { draft: null, version: 'x' }, { csrfToken: 1 }),
      fc.record({ items: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(odd, fc.nat({ max: calls.length - 1 }), async (body, which) => {
        const answer: typeof fetch = () =>
          Promise.resolve(
            new Response(JSON.stringify(body), {
              status: 200,
              headers: { 'content-type': 'application/json', etag: '"2"' },
            }),
          );
        const source = httpSource({ baseUrl: 'http://127.0.0.1:9', fetch: answer, EventSource: ES });
        const [name, call] = calls[which]!;
        try {
          await call(source);
        } catch (error) {
          expect({ name, body, error }).toMatchObject({ name, body, error: { code: 'E_UPSTREAM' } });
          expect(isHubspokeError(error)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
