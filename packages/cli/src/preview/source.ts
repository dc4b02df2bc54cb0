import { DecisionSchema, parse } from '@hubspoke/core';
import { FolderSource, localesOf, type Hub } from '@hubspoke/hub';
import type { PreviewSource, ReviewComment } from './types.js';

/**
 * The preview's view of a draft through the hub: drafts, templates and the brand kit are read
 * again on every request, so edits show at once. The review panel acts only as `actingAs` (named
 * on the command line, never by the page), on a hub opened per request and closed again so other
 * `hubspoke` commands can use the embedded database meanwhile.
 */
export async function previewSource(
  hub: Hub,
  draftRef: string,
  actingAs: string | undefined,
  reviewHub: (() => Promise<Hub>) | undefined,
): Promise<PreviewSource> {
  const { draft, file } = await hub.draft(draftRef);
  const settings = await hub.settings();
  const brandKit = await hub.brandKit();
  const withHub = async <T>(fn: (h: Hub) => Promise<T>): Promise<T> => {
    const h = await (reviewHub ?? (() => Promise.resolve(hub)))();
    try {
      return await fn(h);
    } finally {
      if (h !== hub) await h.close();
    }
  };
  const principal = actingAs === undefined || reviewHub === undefined ? undefined : await hub.principal(actingAs);
  const submissionId =
    principal === undefined
      ? undefined
      : await withHub(async (h) => (await h.listSubmissions(principal, { draftId: draft.id })).items[0]?.submissionId);
  return {
    title: draft.name,
    approvedImageUrls: [...brandKit.assets.map((a) => a.url), ...brandKit.logos.map((l) => l.url)],
    locales: localesOf(draft),
    contacts: settings.sampleContacts.map((c) => ({ id: c.id, label: c.label ?? c.id })),
    // Folders, not files: editors save by renaming a new file over the old one.
    watch: [
      ...(file === undefined ? [] : [file]),
      ...(hub.source instanceof FolderSource ? hub.source.definitionPaths() : []),
    ],
    render(locale, contactId) {
      hub.invalidate();
      return hub.previewRender(file ?? draft.id, locale, contactId);
    },
    ...(principal === undefined || submissionId === undefined
      ? {}
      : {
          review: {
            view: () => withHub((h) => h.reviewView(principal, submissionId)),
            decide: (decision, reason) =>
              withHub(async (h) => {
                // One command: the reason is recorded with the decision, or neither is.
                await h.decide(principal, submissionId, {
                  verdict: parse(DecisionSchema, decision, 'decision'),
                  ...(reason === undefined ? {} : { reason }),
                });
                return h.reviewView(principal, submissionId);
              }),
            comment: (text, anchor: ReviewComment['anchor']) =>
              withHub(async (h) => {
                const clean =
                  anchor?.instanceId === undefined
                    ? undefined
                    : {
                        instanceId: anchor.instanceId,
                        ...(anchor.slotId === undefined ? {} : { slotId: anchor.slotId }),
                        ...(anchor.locale === undefined ? {} : { locale: anchor.locale }),
                      };
                await h.comment(principal, submissionId, { text, ...(clean === undefined ? {} : { anchor: clean }) });
                return h.reviewView(principal, submissionId);
              }),
          },
        }),
  };
}
