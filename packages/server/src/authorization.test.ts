import { can, type Action, type OperatingModel, type Principal, type Resource } from '@hubspoke/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKED_TEMPLATE } from './__fixtures__/templates.js';
import { BACKENDS, json, signedInServer, type Client, type ExampleHub, type TestServer } from './test-support.js';

const PEOPLE = ['hana', 'bea', 'lee', 'ana', 'lena', 'ravi', 'jo', 'sam'] as const;
type Person = (typeof PEOPLE)[number];

/** Lena's Berlin draft: what the table's draft and submission endpoints act on. */
const BERLIN: Resource = { region: 'EMEA', team: 'berlin', ownerId: 'lena' };

interface Cell {
  /** What the endpoint needs: every action listed (all of them), on the resource. */
  needs: [Action, Resource?][];
  /** Or: a view, which any one of these actions grants. */
  view?: true;
  request: (person: Person, c: Client) => Promise<Response>;
}

// On PGlite and, with HUBSPOKE_TEST_PG_URL, on PostgreSQL.
describe.each(BACKENDS)('role × endpoint authorization, every cell (%s)', (backend) => {
  let example: ExampleHub;
  let server: TestServer;
  let model: OperatingModel;
  const directory = new Map<string, Principal>();
  let clients: Record<Person, Client>;
  let close: () => Promise<void>;
  let submissionId = '';

  const draftEtag = async () => (await clients.hana.fetch('/api/drafts/berlin-table')).headers.get('etag') ?? '';
  const body = async () =>
    ((await (await clients.hana.fetch('/api/drafts/berlin-table')).json()) as { draft: unknown }).draft;

  const endpoints: Record<string, Cell> = {
    'GET /api/templates': { needs: [], request: (_, c) => c.fetch('/api/templates') },
    'POST /api/templates': {
      needs: [['template.publish']],
      request: (_, c) => c.fetch('/api/templates', json({ mjml: LOCKED_TEMPLATE })),
    },
    'GET /api/brand-kit': { needs: [], request: (_, c) => c.fetch('/api/brand-kit') },
    'PUT /api/brand-kit': {
      needs: [['brandKit.edit']],
      request: async (_, c) => {
        const current = await clients.hana.fetch('/api/brand-kit');
        return c.fetch('/api/brand-kit', {
          method: 'PUT',
          body: await current.text(),
          headers: { 'if-match': current.headers.get('etag') ?? '' },
        });
      },
    },
    'GET /api/drafts': { needs: [], request: (_, c) => c.fetch('/api/drafts') },
    'POST /api/drafts': {
      needs: [['draft.create', BERLIN]],
      request: (p, c) =>
        c.fetch(
          '/api/drafts',
          json({ id: `table-${p}`, name: 'T', template: { id: 'notice' }, region: 'EMEA', team: 'berlin' }),
        ),
    },
    'GET /api/drafts/{id}': { needs: [], view: true, request: (_, c) => c.fetch('/api/drafts/berlin-table') },
    'PUT /api/drafts/{id}': {
      needs: [['draft.edit', BERLIN]],
      request: async (_, c) =>
        c.fetch('/api/drafts/berlin-table', {
          method: 'PUT',
          body: JSON.stringify(await body()),
          headers: { 'if-match': await draftEtag() },
        }),
    },
    'POST /api/drafts/{id}/versions': {
      needs: [['draft.edit', BERLIN]],
      request: (_, c) => c.fetch('/api/drafts/berlin-table/versions', { method: 'POST' }),
    },
    'GET /api/editor/drafts/{id}/actions': {
      needs: [],
      view: true,
      request: (_, c) => c.fetch('/api/editor/drafts/berlin-table/actions'),
    },
    'GET /api/drafts/{id}/check': {
      needs: [],
      view: true,
      request: (_, c) => c.fetch('/api/drafts/berlin-table/check'),
    },
    'GET /api/drafts/{id}/preview': {
      needs: [],
      view: true,
      request: (_, c) => c.fetch('/api/drafts/berlin-table/preview'),
    },
    'POST /api/drafts/{id}/renders': {
      needs: [['email.render', BERLIN]],
      view: true,
      request: (_, c) => c.fetch('/api/drafts/berlin-table/renders', json({ dialects: ['marketo'] })),
    },
    'POST /api/drafts/{id}/push': {
      needs: [['email.push', BERLIN]],
      view: true,
      request: (_, c) => c.fetch('/api/drafts/berlin-table/push', json({ dryRun: true })),
    },
    'GET /api/drafts/{id}/events': {
      needs: [],
      view: true,
      request: async (_, c) => {
        const res = await c.fetch('/api/drafts/berlin-table/events');
        if (res.status !== 200) return res;
        await res.body?.cancel();
        return new Response(null, { status: 200 });
      },
    },
    'POST /api/drafts/{id}/submissions': {
      needs: [['draft.create', BERLIN]],
      view: true,
      request: (_, c) => c.fetch('/api/drafts/berlin-table/submissions', { method: 'POST' }),
    },
    'GET /api/submissions': { needs: [], request: (_, c) => c.fetch('/api/submissions') },
    'GET /api/submissions/{id}': {
      needs: [['submission.view', BERLIN]],
      request: (_, c) => c.fetch(`/api/submissions/${submissionId}`),
    },
    'POST /api/submissions/{id}/comments': {
      needs: [
        ['submission.view', BERLIN],
        ['submission.comment', BERLIN],
      ],
      request: (p, c) => c.fetch(`/api/submissions/${submissionId}/comments`, json({ text: `from ${p}` })),
    },
    'GET /api/submissions/{id}/audit': {
      needs: [['submission.view', BERLIN]],
      request: (_, c) => c.fetch(`/api/submissions/${submissionId}/audit`),
    },
    'POST /api/lint': {
      needs: [],
      request: async (_, c) => {
        const preview = await (await clients.hana.fetch('/api/drafts/berlin-table/preview')).json();
        return c.fetch('/api/lint', json({ rendered: preview }));
      },
    },
    'POST /api/metrics/imports': {
      needs: [['metrics.import']],
      request: (p, c) =>
        c.fetch(
          '/api/metrics/imports',
          json({ inputs: [{ name: `table-${p}.csv`, format: 'csv', data: 'campaignId,date,sent\n' }] }),
        ),
    },
    'GET /api/okr/report': { needs: [], request: (_, c) => c.fetch('/api/okr/report') },
    'GET /api/effects': { needs: [['connector.configure']], request: (_, c) => c.fetch('/api/effects') },
    'GET /api/editor/context': { needs: [], request: (_, c) => c.fetch('/api/editor/context') },
    'POST /api/editor/skeletons': {
      needs: [],
      request: async (_, c) =>
        c.fetch('/api/editor/skeletons', json({ draft: await body(), locale: 'en-US', annotate: true })),
    },
    'GET /api/editor/inbox': { needs: [], request: (_, c) => c.fetch('/api/editor/inbox') },
    'GET /api/editor/submissions/{id}': {
      needs: [['submission.view', BERLIN]],
      request: (_, c) => c.fetch(`/api/editor/submissions/${submissionId}`),
    },
  };

  /** Whether the operating model lets `person` through this endpoint. */
  function allowed(person: Person, cell: Cell): boolean {
    const principal = directory.get(person)!;
    const self = (r: Resource | undefined) =>
      r ?? { region: principal.regions[0], team: principal.teams[0], ownerId: person };
    const viewOk =
      cell.view !== true ||
      (['draft.edit', 'submission.view'] as const).some((a) => can(model, principal, a, BERLIN).allowed);
    return viewOk && cell.needs.every(([action, resource]) => can(model, principal, action, self(resource)).allowed);
  }

  beforeAll(async () => {
    ({ example, server, people: clients, close } = await signedInServer(backend, PEOPLE));
    model = await example.hub.operatingModel();
    for (const p of await example.hub.directory()) directory.set(p.id, p);
    await clients.bea.fetch('/api/templates', json({ mjml: LOCKED_TEMPLATE }));
    expect(
      (await clients.lena.fetch('/api/drafts', json({ id: 'berlin-table', name: 'Table', template: { id: 'notice' } })))
        .status,
    ).toBe(201);
    const submitted = await clients.lena.fetch('/api/drafts/berlin-table/submissions', { method: 'POST' });
    submissionId = ((await submitted.json()) as { submissionId: string }).submissionId;
  });
  afterAll(() => close());

  it.each(Object.keys(endpoints))('%s: anonymous is 401', async (name) => {
    const anonymous: Client = {
      cookie: '',
      csrf: '',
      fetch: (p, init = {}) =>
        server.fetch(
          p,
          init.body === undefined
            ? init
            : { ...init, headers: { ...(init.headers as Record<string, string>), 'content-type': 'application/json' } },
        ),
      get: () => Promise.reject(new Error('unused')),
    };
    const res = await endpoints[name]!.request('hana', anonymous);
    expect(res.status).toBe(401);
  });

  it.each(Object.keys(endpoints).flatMap((name) => PEOPLE.map((person) => [name, person] as const)))(
    '%s as %s',
    async (name, person) => {
      const cell = endpoints[name]!;
      const res = await cell.request(person, clients[person]);
      const problem =
        res.status === 403 ? ((await res.json()) as { code: string; details?: { action?: string } }) : undefined;
      // A role refusal is 403 E_FORBIDDEN naming the action; anything else (2xx, or a 4xx about the input or state) got past the role check.
      const refusedByRole =
        problem?.code === 'E_FORBIDDEN' &&
        (problem.details?.action !== undefined || /may not|has no role|only/.test(JSON.stringify(problem)));
      expect(res.status).not.toBe(401);
      expect(res.status).toBeLessThan(500);
      if (allowed(person, cell)) expect(refusedByRole, `${name} as ${person}: ${JSON.stringify(problem)}`).toBe(false);
      else expect(res.status, `${name} as ${person} should be refused`).toBe(403);
    },
  );

  it('the table holds both grants and refusals (it can fail)', () => {
    const cells = Object.values(endpoints).flatMap((cell) => PEOPLE.map((p) => allowed(p, cell)));
    expect(cells.filter(Boolean).length).toBeGreaterThan(40);
    expect(cells.filter((x) => !x).length).toBeGreaterThan(40);
  });
});
