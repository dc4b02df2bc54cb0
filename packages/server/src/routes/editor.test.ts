import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, signedInServer, signIn, type Client, type TestServer } from '../test-support.js';
import { fieldLabel } from './editor.js';

interface EditorSubmission {
  id: string;
  status: string;
  round: number;
  allowedDecisions: string[];
  canOverride: boolean;
  stages: { id: string; status: string; assignees: string[] }[];
  comments: { id: string; text: string; anchor?: { instanceId: string; slotId?: string } }[];
  rounds: { round: number; draft: { id: string; version: number } }[];
}

describe('the editor endpoints (what @hubspoke/editor reads over HTTP)', () => {
  let server: TestServer;
  let people: Record<string, Client>;
  let close: () => Promise<void>;
  let submissionId = '';

  beforeAll(async () => {
    ({ server, people, close } = await signedInServer('pglite', ['lena', 'bea', 'hana', 'jo']));
    expect(
      (
        await people.lena!.fetch(
          '/api/drafts',
          json({ id: 'ed-1', name: 'Editor one', template: { id: 'announcement' } }),
        )
      ).status,
    ).toBe(201);
    const submitted = await people.lena!.fetch('/api/drafts/ed-1/submissions', { method: 'POST' });
    expect(submitted.status, await submitted.clone().text()).toBe(201);
    submissionId = ((await submitted.json()) as { submissionId: string }).submissionId;
  });
  afterAll(() => close());

  it('labels contact fields for people', () => {
    expect(fieldLabel('contact.firstName')).toBe('First name');
    expect(fieldLabel('contact.vip')).toBe('VIP');
    expect(fieldLabel('contact.home_city')).toBe('Home city');
  });

  it("gives the signed-in person and the hub's editing settings", async () => {
    const lena = await people.lena!.get<{
      viewer: { id: string; reviewer: boolean; regions: string[] };
      hub: { name: string; fields: { path: string; label: string }[]; sampleContacts: unknown[]; locales: string[] };
    }>('/api/editor/context');
    expect(lena.viewer).toMatchObject({ id: 'lena', reviewer: false, regions: ['EMEA'] });
    expect(lena.hub.name).toBe('Northwind Trails');
    expect(lena.hub.fields).toContainEqual({ path: 'contact.firstName', label: 'First name' });
    expect(lena.hub.sampleContacts.length).toBe(3);
    expect(lena.hub.locales).toEqual(expect.arrayContaining(['en-US', 'de-DE', 'de-AT']));
    const bea = await people.bea!.get<{ viewer: { reviewer: boolean } }>('/api/editor/context');
    expect(bea.viewer.reviewer).toBe(true);
  });

  it('compiles the skeleton of a draft structure, and refuses a draft its template does not know', async () => {
    const { draft } = await people.lena!.get<{ draft: { modules: unknown[] } }>('/api/drafts/ed-1');
    const res = await people.lena!.fetch('/api/editor/skeletons', json({ draft, locale: 'en-US', annotate: true }));
    expect(res.status, await res.clone().text()).toBe(200);
    const skeleton = (await res.json()) as {
      key: string;
      html: { chunks: string[]; holes: { kind: string; slotId?: string }[] };
    };
    // The HTML around the holes is compiled (no MJML left); each editable slot is a hole the browser fills.
    expect(skeleton.key).not.toBe('');
    expect(skeleton.html.chunks.join('')).toMatch(/^<!doctype html>/i);
    expect(skeleton.html.chunks.join('')).not.toContain('<mj-');
    expect(skeleton.html.holes).toContainEqual(expect.objectContaining({ kind: 'slot', slotId: 'headline' }));
    const unknown = await people.lena!.fetch(
      '/api/editor/skeletons',
      json({ draft: { ...draft, template: { id: 'nope', version: 1 } }, locale: 'en-US', annotate: true }),
    );
    expect(unknown.status).toBe(404);
  });

  it('shows a submission to its reviewer with the decisions they may make, and to the author with none', async () => {
    const asBea = await people.bea!.get<EditorSubmission>(`/api/editor/submissions/${submissionId}`);
    const brand = asBea.stages.find((s) => s.status === 'active');
    expect(asBea.status).toBe('inReview');
    expect(asBea.rounds).toEqual([{ round: 1, draft: expect.objectContaining({ id: 'ed-1' }) as unknown }]);
    if (brand?.assignees.includes('bea') === true) {
      expect(asBea.allowedDecisions).toEqual(expect.arrayContaining(['approved', 'changesRequired']));
    }
    const asLena = await people.lena!.get<EditorSubmission>(`/api/editor/submissions/${submissionId}`);
    expect(asLena.allowedDecisions).toEqual([]);
    expect(asLena.canOverride).toBe(false);
    // Jo (Austin) may not see a Berlin submission.
    expect((await people.jo!.fetch(`/api/editor/submissions/${submissionId}`)).status).toBe(403);
  });

  it('lists what waits for the reviewer, and nothing for the author', async () => {
    const view = await people.hana!.get<EditorSubmission>(`/api/editor/submissions/${submissionId}`);
    const assignee = view.stages.find((s) => s.status === 'active')?.assignees[0] ?? 'hana';
    const client = people[assignee] ?? (people[assignee] = await signIn(server, assignee));
    const inbox = await client.get<{ items: { submissionId: string; title: string; stage: string }[] }>(
      '/api/editor/inbox',
    );
    expect(inbox.items).toContainEqual(expect.objectContaining({ submissionId, title: 'Editor one' }));
    const lena = await people.lena!.get<{ items: unknown[] }>('/api/editor/inbox');
    expect(lena.items).toEqual([]);
  });

  it('refuses to translate where the hub has no assistant (422, with the variable to set)', async () => {
    const { draft } = await people.lena!.get<{ draft: { content: Record<string, unknown> } }>('/api/drafts/ed-1');
    const withText = { ...draft, content: { ...draft.content, 'en-US': { subject: 'Hello', slots: {} } } };
    const context = await people.lena!.get<{ hub: { assist: { translate: boolean } } }>('/api/editor/context');
    expect(context.hub.assist.translate).toBe(false);
    const res = await people.lena!.fetch(
      '/api/editor/assist/translate',
      json({ draft: withText, from: 'en-US', to: 'de-DE' }),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({
      code: 'E_UNSUPPORTED',
      hint: expect.stringContaining('HUBSPOKE_AI_PROVIDER'),
    });
  });
});
