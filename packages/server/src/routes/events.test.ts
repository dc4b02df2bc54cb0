import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BACKENDS,
  json,
  pgUrl,
  signedInServer,
  signIn,
  sseReader,
  testServer,
  type Client,
  type ExampleHub,
  type TestServer,
} from '../test-support.js';

interface Envelope {
  draft: {
    id: string;
    modules: { instanceId: string }[];
    content: Record<string, { slots: Record<string, Record<string, unknown>> }>;
  };
  version: number;
}

if (pgUrl === undefined) it.skip('live updates (SSE) on postgres: needs HUBSPOKE_TEST_PG_URL', () => undefined);

describe.each(BACKENDS)('live updates (SSE) on %s', (backend) => {
  let example: ExampleHub;
  let server: TestServer;
  let lena: Client;
  let ravi: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    let people: Record<'lena' | 'ravi', Client>;
    ({ example, server, people, close } = await signedInServer(backend, ['lena', 'ravi'], {
      server: { heartbeatMs: 60_000 },
    }));
    ({ lena, ravi } = people);
    expect(
      (await lena.fetch('/api/drafts', json({ id: 'live-1', name: 'Live', template: { id: 'announcement' } }))).status,
    ).toBe(201);
  });
  afterAll(() => close());

  const save = async (client: Client, text: string) => {
    const { draft, version } = await client.get<Envelope>('/api/drafts/live-1');
    const instance = draft.modules.find((m) => m.instanceId.startsWith('message'))!.instanceId;
    (draft.content['en-US']!.slots[instance] ??= {}).headline = text;
    const res = await client.fetch('/api/drafts/live-1', {
      method: 'PUT',
      body: JSON.stringify(draft),
      headers: { 'if-match': `"${String(version)}"` },
    });
    expect(res.status).toBe(200);
  };

  it('streams a save and its lint result, then the review steps, to a watcher of the draft', async () => {
    const res = await ravi.fetch('/api/drafts/live-1/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseReader(res);
    expect((await events.next()).event).toBe('ready');
    await save(lena, 'Live from Berlin');
    // (On PostgreSQL the creation's notification may still arrive: notifications are delivered after commit.)
    const saved = await events.next(
      (m) => m.event === 'draft' && (JSON.parse(m.data) as { version: number }).version === 2,
    );
    expect(JSON.parse(saved.data)).toMatchObject({ draftId: 'live-1', version: 2, actor: 'lena' });
    const lint = await events.next(
      (m) => m.event === 'lint' && (JSON.parse(m.data) as { version: number }).version === 2,
    );
    expect(JSON.parse(lint.data)).toMatchObject({
      draftId: 'live-1',
      version: 2,
      counts: expect.any(Object) as unknown,
    });
    expect(lint.id).toMatch(/^\d+$/);

    const submitted = await lena.fetch('/api/drafts/live-1/submissions', { method: 'POST' });
    expect(submitted.status).toBe(201);
    const status = await events.next((m) => m.event === 'status');
    expect(JSON.parse(status.data)).toMatchObject({ draftId: 'live-1', status: 'inReview', actor: 'lena' });
    await events.close();
  });

  it('a submission stream carries comments and decisions; Last-Event-ID backfills what was missed', async () => {
    const { items } = await lena.get<{ items: { submissionId: string }[] }>('/api/submissions?draftId=live-1');
    const submissionId = items[0]!.submissionId;
    const first = sseReader(await ravi.fetch(`/api/submissions/${submissionId}/events`));
    await first.next((m) => m.event === 'ready');
    expect((await ravi.fetch(`/api/submissions/${submissionId}/comments`, json({ text: 'Looks good' }))).status).toBe(
      201,
    );
    const comment = await first.next((m) => m.event === 'comment');
    expect(JSON.parse(comment.data)).toMatchObject({ submissionId, event: 'commented', actor: 'ravi' });
    await first.close();

    // While nobody watches, a reply and a resolution happen.
    await lena.fetch(`/api/submissions/${submissionId}/comments`, json({ text: 'Thanks', parentId: 'c-1' }));
    await ravi.fetch(`/api/submissions/${submissionId}/comments`, json({ resolve: 'c-1' }));
    const resumed = sseReader(
      await ravi.fetch(`/api/submissions/${submissionId}/events`, { headers: { 'last-event-id': comment.id! } }),
    );
    await resumed.next((m) => m.event === 'ready');
    const missed = [await resumed.next(), await resumed.next()].map((m) => JSON.parse(m.data) as { event: string });
    expect(missed.map((m) => m.event)).toEqual(['commented', 'commentResolved']);
    await resumed.close();
  });

  it('reads a notified change only when a stream may want it; a definition change still invalidates the hub', async () => {
    const { store } = await example.hub.state();
    const before = (await store.changesSince('0', 10_000)).at(-1)?.id ?? '0';
    expect(
      (await lena.fetch('/api/drafts', json({ id: 'live-2', name: 'Watched', template: { id: 'announcement' } })))
        .status,
    ).toBe(201);
    const events = sseReader(await ravi.fetch('/api/drafts/live-2/events'));
    await events.next((m) => m.event === 'ready');
    const read = vi.spyOn(store, 'change');
    const invalidate = vi.spyOn(example.hub, 'invalidate');
    try {
      // Nobody watches live-3 or the brand kit: neither change is read back; the brand kit's
      // notice alone invalidates the hub (written through the store, so only the feed can do it).
      expect(
        (await lena.fetch('/api/drafts', json({ id: 'live-3', name: 'Unwatched', template: { id: 'announcement' } })))
          .status,
      ).toBe(201);
      const kit = (await store.brandKit())!.brandKit;
      await store.putBrandKit(Object.fromEntries(Object.entries(kit).reverse()) as typeof kit, 'hana');
      // Notices are handled in order: once live-2's save is streamed, the two before it were decided.
      const { draft, version } = await lena.get<Envelope>('/api/drafts/live-2');
      expect(
        (
          await lena.fetch('/api/drafts/live-2', {
            method: 'PUT',
            body: JSON.stringify(draft),
            headers: { 'if-match': `"${String(version)}"` },
          })
        ).status,
      ).toBe(200);
      await events.next(
        (m) => m.event === 'draft' && (JSON.parse(m.data) as { version: number }).version === version + 1,
      );
      const readIds = read.mock.calls.map(([id]) => id);
      const changes = await store.changesSince(before);
      const unwatched = changes.filter((c) => (c.kind === 'draft' && c.key === 'live-3') || c.kind === 'brandKit');
      const saved = changes.find((c) => c.kind === 'draft' && c.key === 'live-2' && c.version === version + 1);
      expect(unwatched.map((c) => c.kind)).toEqual(['draft', 'brandKit']);
      expect(readIds).toContain(saved?.id);
      expect(readIds.filter((id) => unwatched.some((c) => c.id === id))).toEqual([]);
      expect(invalidate).toHaveBeenCalled();
    } finally {
      read.mockRestore();
      invalidate.mockRestore();
      await events.close();
    }
  });

  it('refuses a stream of a draft the caller may not see', async () => {
    const jo = await signIn(server, 'jo');
    expect((await jo.fetch('/api/drafts/live-1/events')).status).toBe(403);
    expect((await server.fetch('/api/drafts/live-1/events')).status).toBe(401);
  });

  it('closing the server ends open streams', async () => {
    const other = await testServer({ hub: example.hub, heartbeatMs: 60_000 });
    const watcher = await signIn(other, 'ravi');
    const events = sseReader(await watcher.fetch('/api/drafts/live-1/events'));
    await events.next((m) => m.event === 'ready');
    await other.server.close();
    await expect(events.next()).rejects.toThrow(/ended/);
  });
});
