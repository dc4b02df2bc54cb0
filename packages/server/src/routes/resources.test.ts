import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, json, pgUrl, signedInServer, type Client, type TestServer } from '../test-support.js';
import { LOCKED_TEMPLATE } from '../__fixtures__/templates.js';

interface Envelope {
  draft: {
    id: string;
    content: Record<string, { slots: Record<string, Record<string, unknown>> }>;
    modules: { instanceId: string; moduleId: string }[];
  };
  version: number;
  status: string;
}

interface Stage {
  id: string;
  status: string;
  assignees: string[];
}

const REVIEWER: Record<string, string> = { brand: 'bea', legal: 'lee', regional: 'ravi' };

/** Every active stage's reviewer approves, until the submission is decided. */
async function approveAll(people: Record<string, Client>, submissionId: string): Promise<Record<string, unknown>> {
  for (let round = 0; round < 5; round++) {
    const state = await people.hana!.get<{ status: string; stages: Stage[] }>(`/api/submissions/${submissionId}`);
    if (state.status !== 'inReview') return state;
    for (const stage of state.stages.filter((s) => s.status === 'active')) {
      const reviewer = people[REVIEWER[stage.id] ?? 'hana']!;
      const res = await reviewer.fetch(
        `/api/submissions/${submissionId}/decisions`,
        json({ verdict: 'approved', stageId: stage.id }),
      );
      expect(res.status, await res.clone().text()).toBe(200);
    }
  }
  throw new Error('the submission never left review');
}

// The same suite on PGlite and, with HUBSPOKE_TEST_PG_URL, on PostgreSQL.
if (pgUrl === undefined) it.skip('the hub over HTTP (postgres): needs HUBSPOKE_TEST_PG_URL', () => undefined);

const EVERYONE = ['hana', 'bea', 'lee', 'ana', 'lena', 'ravi', 'jo', 'sam'];

describe.each(BACKENDS)('the hub over HTTP (%s)', (backend) => {
  let server: TestServer;
  let people: Record<string, Client>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ server, people, close } = await signedInServer(backend, EVERYONE));
    const published = await people.bea!.fetch('/api/templates', json({ mjml: LOCKED_TEMPLATE }));
    expect([200, 201]).toContain(published.status);
  });
  afterAll(() => close());

  it('lists templates and serves a version and the brand kit with its ETag', async () => {
    const { items } = await people.lena!.get<{ items: { id: string; version: number }[] }>('/api/templates');
    expect(items.map((t) => t.id)).toEqual(expect.arrayContaining(['announcement', 'seasonal-newsletter', 'notice']));
    const latest = await people.lena!.get<{ id: string; modules: unknown[] }>(
      '/api/templates/seasonal-newsletter/versions/latest',
    );
    expect(latest.id).toBe('seasonal-newsletter');
    const missing = await people.lena!.fetch('/api/templates/seasonal-newsleter/versions/1');
    expect(missing.status).toBe(404);
    const kit = await people.lena!.fetch('/api/brand-kit');
    expect(kit.headers.get('etag')).toMatch(/^"\d+"$/);
    // Spokes may not publish templates.
    expect((await people.lena!.fetch('/api/templates', json({ mjml: LOCKED_TEMPLATE }))).status).toBe(403);
  });

  it('creates, reads and saves a draft with optimistic concurrency (412 on a stale If-Match, 428 without)', async () => {
    const created = await people.lena!.fetch(
      '/api/drafts',
      json({ id: 'berlin-occ', name: 'Frühling', template: { id: 'seasonal-newsletter' } }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe('/api/drafts/berlin-occ');
    const body = (await created.json()) as Envelope;
    expect(body.draft).toMatchObject({ author: 'lena', region: 'EMEA', team: 'berlin' });

    const hero = body.draft.modules.find((m) => m.moduleId === 'hero')!.instanceId;
    const edit = (headline: string) => {
      const draft = structuredClone(body.draft);
      (draft.content['en-US']!.slots[hero] ??= {}).headline = headline;
      return draft;
    };
    const save = (draft: unknown, etag?: string) =>
      people.lena!.fetch('/api/drafts/berlin-occ', {
        method: 'PUT',
        body: JSON.stringify(draft),
        headers: etag === undefined ? {} : { 'if-match': etag },
      });
    const first = await save(edit('Frühling auf dem Trail'), '"1"');
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const stale = await save(edit('Zu spät'), '"1"');
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(await stale.json()).toMatchObject({ code: 'E_CONFLICT', status: 412 });
    expect((await save(edit('Ohne'))).status).toBe(428);
    expect((await save(edit('Kaputt'), 'W/"2"')).status).toBe(412);
    const read = await people.lena!.fetch('/api/drafts/berlin-occ');
    expect(read.headers.get('etag')).toBe('"2"');
    expect(((await read.json()) as Envelope).draft.content['en-US']!.slots[hero]!.headline).toBe(
      'Frühling auf dem Trail',
    );
    // The URL and the body must name the same draft.
    const other = await people.lena!.fetch('/api/drafts/someone-else', {
      method: 'PUT',
      body: JSON.stringify(edit('x')),
      headers: { 'if-match': '"2"' },
    });
    expect(other.status).toBe(400);
  });

  it('two concurrent saves of the same version: one 200, one 412', async () => {
    await people.lena!.fetch('/api/drafts', json({ id: 'berlin-race', name: 'Race', template: { id: 'notice' } }));
    const { draft } = await people.lena!.get<Envelope>('/api/drafts/berlin-race');
    const instance = draft.modules[0]!.instanceId;
    const saves = ['A', 'B'].map((text) => {
      const copy = structuredClone(draft);
      (copy.content['en-US']!.slots[instance] ??= {}).body = `Hello ${text}`;
      return people.lena!.fetch('/api/drafts/berlin-race', {
        method: 'PUT',
        body: JSON.stringify(copy),
        headers: { 'if-match': '"1"' },
      });
    });
    const statuses = (await Promise.all(saves)).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412]);
  });

  it('refuses a write to a locked slot with 403 E_LOCKED naming the slot, and keeps the draft as it was', async () => {
    await people.lena!.fetch('/api/drafts', json({ id: 'berlin-locked', name: 'Locked', template: { id: 'notice' } }));
    const { draft, version } = await people.lena!.get<Envelope>('/api/drafts/berlin-locked');
    const instance = draft.modules[0]!.instanceId;
    const copy = structuredClone(draft);
    (copy.content['en-US']!.slots[instance] ??= {}).legal = 'Nobody Inc.';
    const res = await people.lena!.fetch('/api/drafts/berlin-locked', {
      method: 'PUT',
      body: JSON.stringify(copy),
      headers: { 'if-match': `"${String(version)}"` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'E_LOCKED', path: `content.en-US.slots.${instance}.legal` });
    const after = await people.lena!.get<Envelope>('/api/drafts/berlin-locked');
    expect(after.version).toBe(version);
  });

  it('a spoke sees only its region: lists are filtered, other drafts are 403', async () => {
    await people.jo!.fetch('/api/drafts', json({ id: 'austin-only', name: 'Austin', template: { id: 'notice' } }));
    const jo = await people.jo!.get<{ items: Envelope[] }>('/api/drafts?limit=200');
    expect(jo.items.length).toBeGreaterThan(0);
    expect(jo.items.every((d) => (d.draft as unknown as { region: string }).region === 'NA')).toBe(true);
    const lena = await people.lena!.get<{ items: Envelope[] }>('/api/drafts?limit=200');
    expect(lena.items.map((d) => d.draft.id)).not.toContain('austin-only');
    expect((await people.lena!.fetch('/api/drafts/austin-only')).status).toBe(403);
    expect(
      (
        await people.jo!.fetch(
          '/api/drafts',
          json({ id: 'jo-in-emea', name: 'x', template: { id: 'notice' }, region: 'EMEA' }),
        )
      ).status,
    ).toBe(403);
    // HQ sees both.
    const hana = await people.hana!.get<{ items: Envelope[] }>('/api/drafts?limit=200');
    expect(hana.items.map((d) => d.draft.id)).toEqual(expect.arrayContaining(['austin-only', 'berlin-locked']));
    // Paging.
    const first = await people.hana!.get<{ items: Envelope[]; more: boolean; nextOffset?: number }>(
      '/api/drafts?limit=1',
    );
    expect(first.items).toHaveLength(1);
    expect(first).toMatchObject({ more: true, nextOffset: 1 });
  });

  it('checks and previews a saved draft', async () => {
    const check = await people.lena!.get<{ counts: Record<string, number>; diagnostics: unknown[] }>(
      '/api/drafts/berlin-occ/check',
    );
    expect(check.counts).toEqual(expect.objectContaining({ error: expect.any(Number) as unknown }));
    const preview = await people.lena!.get<{ html: string; locale: string; contentHash: string }>(
      '/api/drafts/berlin-occ/preview',
    );
    expect(preview.locale).toBe('en-US');
    expect(preview.html).toContain('Frühling auf dem Trail');
    // The preview renders one locale only, and it is the very render a full check makes.
    const { draft } = await people.lena!.get<{ draft: unknown }>('/api/drafts/berlin-occ');
    expect(preview.contentHash).toBe((await server.hub.checkDraft(draft)).rendered[0]?.contentHash);
    expect((await people.lena!.fetch('/api/drafts/berlin-occ/preview?locale=fr-FR')).status).toBe(404);
  });

  it('lints rendered email over HTTP', async () => {
    const preview = await people.lena!.get<Record<string, unknown>>('/api/drafts/berlin-occ/preview');
    const res = await people.lena!.fetch(
      '/api/lint',
      json({
        rendered: {
          ...preview,
          html: String(preview.html).replace(
            '</body>',
            '<a href="http://northwind.example/x">x</a><img src="https://cdn.northwind.example/a.png"></body>',
          ),
        },
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: Record<string, number>; diagnostics: { ruleId: string }[] };
    expect(body.diagnostics.length).toBeGreaterThan(0);
  });

  it('runs review through HTTP with separation of duties, anchored comments and a verifiable audit export naming each person', async () => {
    await people.lena!.fetch(
      '/api/drafts',
      json({ id: 'berlin-review', name: 'Review me', template: { id: 'notice' } }),
    );
    const { draft } = await people.lena!.get<Envelope>('/api/drafts/berlin-review');
    const submitted = await people.lena!.fetch('/api/drafts/berlin-review/submissions', { method: 'POST' });
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    const { submissionId } = (await submitted.json()) as { submissionId: string };
    // Separation of duties: the submitter cannot approve their own work, even if asked to.
    const own = await people.lena!.fetch(`/api/submissions/${submissionId}/decisions`, json({ verdict: 'approved' }));
    expect(own.status).toBe(403);
    // Someone from another region cannot see it.
    expect((await people.jo!.fetch(`/api/submissions/${submissionId}`)).status).toBe(403);
    const comment = await people.ravi!.fetch(
      `/api/submissions/${submissionId}/comments`,
      json({ text: 'Please double-check the legal line', anchor: { instanceId: draft.modules[0]!.instanceId } }),
    );
    expect(comment.status, await comment.clone().text()).toBe(201);
    expect(((await comment.json()) as { commentId: string }).commentId).toBe('c-1');
    // The notice template's defaults fail brand lint: only a hub-admin may override, with a reason.
    expect(
      (
        await people.lena!.fetch(
          `/api/submissions/${submissionId}/decisions`,
          json({ verdict: 'override', reason: 'x' }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await people.hana!.fetch(`/api/submissions/${submissionId}/decisions`, json({ verdict: 'override' }))).status,
    ).toBe(400);
    const override = await people.hana!.fetch(
      `/api/submissions/${submissionId}/decisions`,
      json({ verdict: 'override', reason: 'Test fixture: the notice template has no footer' }),
    );
    expect(override.status, await override.clone().text()).toBe(200);
    const final = await approveAll(people, submissionId);
    expect(final.status).toBe('approved');

    // Approved: read-only until a new version is started (a crafted save is refused, not only hidden in the UI).
    const approvedRes = await people.lena!.fetch('/api/drafts/berlin-review');
    const etag = approvedRes.headers.get('etag') ?? '';
    const approved = (await approvedRes.json()) as Envelope;
    expect(approved.status).toBe('approved');
    const put = (body: unknown, ifMatch: string) =>
      people.lena!.fetch('/api/drafts/berlin-review', {
        method: 'PUT',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'if-match': ifMatch },
      });
    const actions = (who: string) => people[who]!.fetch('/api/editor/drafts/berlin-review/actions');
    expect(await (await actions('lena')).json()).toEqual({ push: true, newVersion: true });
    expect(await (await actions('bea')).json()).toEqual({ push: false, newVersion: false });
    expect((await actions('jo')).status).toBe(403);
    const refused = await put({ ...approved.draft, name: 'Changed after approval' }, etag);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'E_CONFLICT', details: { reason: 'approved' } });
    const newVersion = (who: string, ifMatch?: string) =>
      people[who]!.fetch('/api/drafts/berlin-review/versions', {
        method: 'POST',
        ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
      });
    expect((await newVersion('jo')).status).toBe(403);
    expect((await newVersion('lena', '"999"')).status).toBe(412);
    const started = await newVersion('lena', etag);
    expect(started.status, await started.clone().text()).toBe(201);
    const next = (await started.json()) as Envelope & { submissionId?: string };
    expect(next).toMatchObject({ status: 'draft', version: approved.version + 1 });
    expect(next.submissionId).toBeUndefined();
    expect(started.headers.get('etag')).toBe(`"${String(approved.version + 1)}"`);
    expect((await newVersion('lena')).status).toBe(409);
    expect(await (await actions('lena')).json()).toEqual({ push: false, newVersion: false });
    const saved = await put({ ...next.draft, name: 'Second version' }, started.headers.get('etag') ?? '');
    expect(saved.status, await saved.clone().text()).toBe(200);

    const listed = await people.lena!.get<{ items: { submissionId: string }[] }>(
      `/api/submissions?draftId=berlin-review`,
    );
    expect(listed.items.map((s) => s.submissionId)).toContain(submissionId);

    const audit = await people.hana!.get<{
      verification: { ok: boolean };
      events: { actor: { id: string; issuer?: string; subject?: string; name?: string } }[];
      people: { id: string; issuer?: string; name?: string }[];
    }>(`/api/submissions/${submissionId}/audit`);
    expect(audit.verification.ok).toBe(true);
    expect(audit.events[0]?.actor).toMatchObject({
      id: 'lena',
      issuer: 'hubspoke-dev',
      subject: 'lena',
      name: 'Lena Vogel (Berlin)',
    });
    expect(audit.people).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'lena', issuer: 'hubspoke-dev', name: 'Lena Vogel (Berlin)' }),
        expect.objectContaining({ id: 'ravi', name: 'Ravi Shah (EMEA manager)' }),
      ]),
    );
  });
});
