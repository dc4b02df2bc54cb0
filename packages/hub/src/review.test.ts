import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editJson, useFolderHub, storeHub } from './__fixtures__/hubs.js';
import type { Hub } from './hub.js';

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('review through the hub (folder hub, PGlite)', () => {
  let hub: Hub;
  let dir: string;
  const as = (id: string) => hub.principal(id);

  useFolderHub((opened) => {
    ({ hub, dir } = opened);
  });

  it('submits with routing facts, pins the content hash, and refuses a second submission while in review', async () => {
    const { result, skipped, resubmitted, check } = await hub.submit(await as('jo'), 'austin-store-opening');
    expect(result.submissionId).toBe('austin-store-opening');
    expect(resubmitted).toBe(false);
    expect(check.counts.error).toBe(0);
    expect(result.state.facts).toMatchObject({ region: 'NA', locales: ['en-US'], newLocales: [] });
    expect(result.state.approvedContentHash).toBeUndefined();
    expect(skipped).toEqual(expect.arrayContaining(['Brand review']));
    expect(await rejection(hub.submit(await as('jo'), 'drafts/austin-store-opening.json'))).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'inReview', submissionId: 'austin-store-opening' },
    });
    expect((await hub.getDraft(await as('jo'), 'austin-store-opening')).status).toBe('inReview');
  });

  it('comments by draft id with short ids, resolves them, and records decisions', async () => {
    const first = await hub.comment(await as('sam'), 'austin-store-opening', {
      text: 'Opening hours?',
      anchor: { instanceId: 'message-1', slotId: 'body', locale: 'en-US' },
    });
    expect(first.commentId).toBe('c-1');
    const reply = await hub.comment(await as('jo'), 'austin-store-opening', { text: 'Added', parentId: 'c-1' });
    expect(reply.commentId).toBe('c-2');
    await hub.comment(await as('sam'), 'austin-store-opening', { resolve: 'c-1' });
    const state = await hub.status(await as('sam'), 'austin-store-opening');
    expect(state.comments.find((c) => c.id === 'c-1')?.resolved).toBe(true);
    expect(await rejection(hub.decide(await as('jo'), 'austin-store-opening', { verdict: 'approved' }))).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    const approved = await hub.decide(await as('sam'), 'austin-store-opening', { verdict: 'approved' });
    expect(approved.state.status).toBe('approved');
    expect(approved.state.approvedContentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await hub.getDraft(await as('jo'), 'austin-store-opening')).status).toBe('approved');
  });

  it('lists submissions by principal with paging and resolves unknown references to E_NOT_FOUND', async () => {
    const page = await hub.listSubmissions(await as('hana'), {}, { limit: 1 });
    expect(page.items.map((s) => s.submissionId)).toEqual(['austin-store-opening']);
    expect(page.more).toBe(false);
    expect((await hub.listSubmissions(await as('sam'), { assignee: 'sam' })).items).toEqual([]);
    expect(await rejection(hub.status(await as('sam'), 'no-such-thing'))).toMatchObject({ code: 'E_NOT_FOUND' });
    expect(
      await rejection(hub.decide(await as('sam'), 'austin-store-opening', { verdict: 'maybe' as 'approved' })),
    ).toMatchObject({ code: 'E_VALIDATION', path: 'verdict' });
  });

  it('resubmits an approved draft as a new submission, with the locales the approval had not seen as new', async () => {
    const file = path.join(dir, 'drafts/austin-store-opening.json');
    await editJson(file, (d) => {
      const content = d.content as Record<string, unknown>;
      content['es-US'] = content['en-US'];
      d.version = 2;
    });
    const { result } = await hub.submit(await as('jo'), 'austin-store-opening');
    expect(result.submissionId).toBe('austin-store-opening-2');
    expect(result.state.facts.newLocales).toEqual(['es-US']);
    const withdrawn = await hub.decide(await as('jo'), 'austin-store-opening', { verdict: 'withdraw' });
    expect(withdrawn.state.status).toBe('withdrawn');
  });

  it("takes the submission's region from the draft: a spoke may not submit into another region", async () => {
    const file = path.join(dir, 'drafts/austin-store-opening.json');
    await editJson(file, (d) => {
      d.region = 'EMEA';
      d.team = 'berlin';
    });
    expect(await rejection(hub.submit(await as('jo'), 'austin-store-opening'))).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    expect((await hub.listSubmissions(await as('hana'))).items).toHaveLength(2);
  });
});

describe('review on a HubStore records a change per command', () => {
  it('appends submission changes to the feed', async () => {
    const { hub, cleanup } = await storeHub('pglite');
    try {
      const { store } = await hub.state();
      const before = (await store.changesSince('0', 10_000)).at(-1)?.id ?? '0';
      await hub.submit(await hub.principal('jo'), 'austin-store-opening');
      await hub.decide(await hub.principal('sam'), 'austin-store-opening', { verdict: 'approved' });
      const changes = await store.changesSince(before);
      expect(changes.map((c) => [c.kind, c.key, (c.data as { status: string }).status])).toEqual([
        ['submission', 'austin-store-opening', 'inReview'],
        ['submission', 'austin-store-opening', 'approved'],
      ]);
      const listed = await hub.listDrafts(await hub.principal('sam'), { status: 'approved' });
      expect(listed.items.map((d) => d.draft.id)).toEqual(['austin-store-opening']);
    } finally {
      await cleanup();
    }
  });
});
