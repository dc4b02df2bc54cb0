import { isHubspokeError, type Draft } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { newsletter, newsletterDraft } from '../__fixtures__/fixtures.js';
import { remoteSkeletons, type FetchSkeleton } from './remote-skeletons.js';
import { createRenderSession, render, skeletonFor } from './render.js';
import type { Skeleton } from './skeleton.js';

const T = newsletter();

/** A "server" that answers skeleton requests through JSON, as HTTP would. */
function server(): { fetch: FetchSkeleton; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: async (request) => {
      requests.push(request.key);
      const skeleton = await skeletonFor(T, request.draft, { locale: request.locale, annotate: request.annotate });
      return JSON.parse(JSON.stringify(skeleton)) as Skeleton;
    },
  };
}

describe('remoteSkeletons', () => {
  it('renders exactly what the mjml-compiling cache renders, for both locales and with annotations', async () => {
    const draft = newsletterDraft(T);
    const remote = server();
    const cache = remoteSkeletons(remote.fetch);
    for (const locale of Object.keys(draft.content)) {
      for (const annotate of [false, true]) {
        const local = await render(T, draft, { locale, annotate, sampleContact: { id: 'a', fields: {} } });
        const viaServer = await render(T, draft, { locale, annotate, cache, sampleContact: { id: 'a', fields: {} } });
        expect(viaServer.html).toBe(local.html);
        expect(viaServer.text).toBe(local.text);
        expect(viaServer.slotSpans).toEqual(local.slotSpans);
      }
    }
  });

  it('fetches once per structure: text edits fill holes, a structural edit asks again', async () => {
    const remote = server();
    const session = await createRenderSession(T, newsletterDraft(T), { cache: remoteSkeletons(remote.fetch) });
    expect(remote.requests).toHaveLength(1);
    for (let i = 0; i < 20; i++) await session.setSlot('hero', 'headline', `Spring ${i}`);
    expect(remote.requests).toHaveLength(1);
    const edited = await session.setSlot('hero', 'headline', 'Hello <b>world</b>');
    expect(edited.html).toContain('Hello &lt;b&gt;world&lt;/b&gt;');
    const fewer: Draft = { ...session.draft, modules: session.draft.modules.filter((m) => m.moduleId !== 'quote') };
    const restructured = await session.setDraft(fewer);
    expect(remote.requests).toHaveLength(2);
    expect(restructured.html).toBe((await render(T, fewer)).html);
  });

  it('shares one fetch between concurrent renders of one structure', async () => {
    const remote = server();
    const cache = remoteSkeletons(remote.fetch);
    const draft = newsletterDraft(T);
    await Promise.all([render(T, draft, { cache }), render(T, draft, { cache }), render(T, draft, { cache })]);
    expect(remote.requests).toHaveLength(1);
  });

  it('rejects a malformed skeleton with E_UPSTREAM and asks again next time', async () => {
    let calls = 0;
    const good = server();
    const cache = remoteSkeletons(async (request) => {
      calls += 1;
      if (calls === 1)
        return { key: 'x', html: { chunks: ['a'], chunkBytes: [1], holes: [{ kind: 'slot' }] } } as never;
      return good.fetch(request);
    });
    const error = await render(T, newsletterDraft(T), { cache }).catch((e: unknown) => e);
    expect(isHubspokeError(error) && error.code).toBe('E_UPSTREAM');
    await expect(render(T, newsletterDraft(T), { cache })).resolves.toMatchObject({ locale: 'en' });
    expect(calls).toBe(2);
  });

  it('keeps at most `limit` structures', async () => {
    const remote = server();
    const cache = remoteSkeletons(remote.fetch, { limit: 1 });
    const draft = newsletterDraft(T);
    await render(T, draft, { cache, locale: 'en' });
    await render(T, draft, { cache, locale: 'de' });
    await render(T, draft, { cache, locale: 'en' });
    expect(remote.requests).toHaveLength(3);
  });
});
