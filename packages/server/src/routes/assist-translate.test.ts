import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, signedInServer, type Client, type TestServer } from '../test-support.js';

interface Translation {
  content: { subject?: string; preheader?: string; slots: Record<string, Record<string, unknown>> };
  diagnostics: { ruleId: string; severity: string; location: { locale?: string; field?: string } }[];
  passed: boolean;
}

// POST /api/editor/assist/translate with the offline assistant (pseudo-translation, no network);
// the hub without an assistant is in editor.test.ts.
describe('translating a locale through the hub server', () => {
  let server: TestServer;
  let people: Record<string, Client>;
  let close: () => Promise<void>;
  let draft: { content: Record<string, unknown> } & Record<string, unknown>;

  beforeAll(async () => {
    ({ server, people, close } = await signedInServer('pglite', ['lena', 'jo'], {
      env: { HUBSPOKE_AI_PROVIDER: 'offline' },
    }));
    const created = await people.lena!.fetch(
      '/api/drafts',
      json({ id: 'tr-1', name: 'Translate me', template: { id: 'announcement' } }),
    );
    expect(created.status, await created.clone().text()).toBe(201);
    const stored = (await people.lena!.get<{ draft: typeof draft }>('/api/drafts/tr-1')).draft;
    // The spoke's unsaved edits travel with the request.
    draft = {
      ...stored,
      content: {
        ...stored.content,
        'en-US': {
          // At the template's 60-character limit: the pseudo-translation's brackets make it too long.
          subject: 'Our Austin store is open: packs, boots and free pack fitting',
          preheader: 'Hello {{ contact.firstName | default: "friend" }}, come and see',
          slots: {},
        },
      },
    };
  });
  afterAll(() => close());

  const translate = (who: Client | TestServer, body: unknown) => who.fetch('/api/editor/assist/translate', json(body));

  it('answers the translated locale with its pre-lint, documented in the OpenAPI document', async () => {
    const res = await translate(people.lena!, { draft, from: 'en-US', to: 'de-DE' });
    expect(res.status, await res.clone().text()).toBe(200);
    const result = (await res.json()) as Translation;
    const { content, diagnostics } = result;
    expect(content.preheader).toContain('{{ contact.firstName | default: "friend" }}');
    expect(content.preheader).not.toBe('Hello {{ contact.firstName | default: "friend" }}, come and see');
    // Pre-linted: the translated subject is over the limit, and the brand rules ran on de-DE (the EMEA imprint).
    expect(result.passed).toBe(false);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ ruleId: 'assist/too-long', location: expect.objectContaining({ locale: 'de-DE' }) }),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({ ruleId: 'brand/legal-text', location: expect.objectContaining({ locale: 'de-DE' }) }),
    );
    // Nothing is saved.
    const stored = await people.lena!.get<{ draft: { content: Record<string, unknown> } }>('/api/drafts/tr-1');
    expect(stored.draft.content['de-DE']).toBeUndefined();
    const doc = (await (await server.fetch('/openapi.json')).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/api/editor/assist/translate']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '422']),
    );
  });

  it('refuses without a session (401) and to someone who may not edit the draft (403), as problems', async () => {
    const anonymous = await translate(server, { draft, from: 'en-US', to: 'de-DE' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const other = await translate(people.jo!, { draft, from: 'en-US', to: 'de-DE' });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ status: 403, code: 'E_FORBIDDEN' });
  });

  it('refuses bad input with 400 problems that say where', async () => {
    for (const [body, path] of [
      [{ draft, from: 'en-US', to: 'not a locale!' }, 'to'],
      [{ draft, from: 'en-US' }, 'to'],
      [{ draft: { id: 'tr-1' }, from: 'en-US', to: 'de-DE' }, 'draft'],
      [{ draft, from: 'en-US', to: 'de-DE', overwrite: true }, ''],
      [{ draft, from: 'en-US', to: 'en-US' }, 'to'],
      [{ draft, from: 'fr-FR', to: 'de-DE' }, 'from'],
    ] as const) {
      const res = await translate(people.lena!, body);
      expect(res.status, JSON.stringify(body).slice(-60)).toBe(400);
      const problem = (await res.json()) as { code: string; path?: string; errors?: { path: string }[] };
      expect(problem.code).toBe('E_VALIDATION');
      const where = [problem.path ?? '', ...(problem.errors ?? []).map((e) => e.path)].join(' ');
      expect(where).toContain(path);
    }
  });
});
