import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, signedInServer, type Client, type ExampleHub } from './test-support.js';

/** Every endpoint that takes input, as hana (who may do the most), with the parts an attacker controls. */
const TARGETS: { method: string; path: (segment: string) => string; body: boolean; query?: true }[] = [
  { method: 'POST', path: () => '/api/templates', body: true },
  { method: 'GET', path: (s) => `/api/templates/${s}/versions/${s}`, body: false },
  { method: 'PUT', path: () => '/api/brand-kit', body: true },
  { method: 'GET', path: () => '/api/drafts', body: false, query: true },
  { method: 'POST', path: () => '/api/drafts', body: true },
  { method: 'GET', path: (s) => `/api/drafts/${s}`, body: false },
  { method: 'PUT', path: () => '/api/drafts/hostile-target', body: true },
  { method: 'PUT', path: (s) => `/api/drafts/${s}`, body: true },
  { method: 'GET', path: () => '/api/drafts/hostile-target/preview', body: false, query: true },
  { method: 'POST', path: () => '/api/drafts/hostile-target/renders', body: true },
  { method: 'POST', path: () => '/api/drafts/hostile-target/push', body: true },
  { method: 'POST', path: () => '/api/drafts/hostile-target/upgrade', body: true },
  { method: 'POST', path: () => '/api/drafts/hostile-target/submissions', body: true },
  { method: 'GET', path: () => '/api/submissions', body: false, query: true },
  { method: 'GET', path: (s) => `/api/submissions/${s}`, body: false },
  { method: 'POST', path: () => '/api/submissions/hostile-target/decisions', body: true },
  { method: 'POST', path: () => '/api/submissions/hostile-target/comments', body: true },
  { method: 'POST', path: () => '/api/lint', body: true },
  { method: 'POST', path: () => '/api/editor/skeletons', body: true },
  { method: 'GET', path: (s) => `/api/editor/submissions/${s}`, body: false },
  { method: 'GET', path: (s) => `/api/editor/drafts/${s}/actions`, body: false },
  { method: 'POST', path: () => '/api/editor/assist/subjects', body: true },
  { method: 'POST', path: () => '/api/editor/assist/alt-text', body: true },
  { method: 'POST', path: () => '/api/editor/assist/translate', body: true },
  { method: 'POST', path: (s) => `/api/drafts/${s}/versions`, body: false },
  { method: 'POST', path: () => '/api/metrics/imports', body: true },
  { method: 'GET', path: () => '/api/okr/report', body: false, query: true },
  { method: 'GET', path: () => '/api/effects', body: false, query: true },
  { method: 'POST', path: () => '/api/tokens', body: true },
  { method: 'DELETE', path: (s) => `/api/tokens/${s}`, body: false },
  { method: 'POST', path: () => '/auth/dev/sign-in', body: true },
];

const QUERY_KEYS = [
  'region',
  'team',
  'status',
  'limit',
  'offset',
  'locale',
  'format',
  'asOf',
  'assignee',
  'draftId',
  'author',
];

// On PGlite and, with HUBSPOKE_TEST_PG_URL, on PostgreSQL (which refuses some text PGlite takes, e.g. \u0000 in jsonb).
describe.each(BACKENDS)(
  'hostile input on every endpoint (%s): a problem-details 4xx, never a 500, nothing written',
  (backend) => {
    let example: ExampleHub;
    let hana: Client;
    let close: () => Promise<void>;

    /** The change feed and the audit streams: what a write leaves behind. */
    const written = async () => {
      const { store, database } = await example.hub.state();
      const changes = await store.changesSince('0', 10_000);
      const events = await database.sql.query('SELECT count(*)::int AS n FROM approval_events');
      return `${String(changes.length)}/${JSON.stringify(events.rows)}`;
    };

    beforeAll(async () => {
      let people: Record<'hana' | 'lena', Client>;
      ({ example, people, close } = await signedInServer(backend, ['hana', 'lena'], {
        server: { limits: { requestsPerMinute: 1_000_000 } },
      }));
      hana = people.hana;
      await people.lena.fetch('/api/drafts', {
        method: 'POST',
        body: JSON.stringify({ id: 'hostile-target', name: 'Target', template: { id: 'announcement' } }),
      });
    });
    afterAll(() => close());

    it.each(TARGETS.map((t) => [`${t.method} ${t.path('{x}')}`, t] as const))('%s', async (_name, target) => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc.constantFrom('..', '%2e%2e', 'a'.repeat(300), '💥', '%00', '\u0000', 'hostile-target', '__proto__'),
          ),
          fc.oneof(
            fc.jsonValue({ maxDepth: 4 }),
            fc.record({
              id: fc.string(),
              name: fc.string(),
              template: fc.anything(),
              verdict: fc.string(),
              text: fc.string(),
              rendered: fc.jsonValue(),
              nul: fc.constant('a\u0000b'),
            }),
            fc.constantFrom('{"__proto__":{"polluted":1}}', '{"a":', '[]', 'null', '"x"', '1e999'),
          ),
          fc.dictionary(fc.constantFrom(...QUERY_KEYS), fc.oneof(fc.string(), fc.constant('a\u0000')), { maxKeys: 3 }),
          async (segment, body, query) => {
            const before = await written();
            const search = target.query === true ? `?${new URLSearchParams(query).toString()}` : '';
            const res = await hana.fetch(`${target.path(encodeURIComponent(segment))}${search}`, {
              method: target.method,
              ...(target.body
                ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'if-match': '"1"' } }
                : {}),
            });
            const text = await res.text();
            expect(res.status, text).toBeLessThan(500);
            if (res.status >= 400) {
              expect(res.headers.get('content-type')).toBe('application/problem+json');
              const problem = JSON.parse(text) as { code: string; status: number };
              expect(problem.status).toBe(res.status);
              expect(problem.code).toMatch(/^E_[A-Z_]+$/);
              expect(text).not.toMatch(/\bat .+:\d+:\d+/); // never a stack
              // A token that was refused never leaves a trace; neither does a refused write.
              if (!target.path('').startsWith('/api/tokens') && target.path('') !== '/auth/dev/sign-in')
                expect(await written()).toBe(before);
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        { numRuns: 25 },
      );
    });
  },
);
