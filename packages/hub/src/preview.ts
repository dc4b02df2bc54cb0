import type { Diagnostic, Principal } from '@hubspoke/core';
import { darkPreview } from '@hubspoke/template-engine';
import { checkDraft, localesOf } from './check.js';
import { unknownReference } from './references.js';
import type { Hub } from './hub.js';
import { renderAll } from './render.js';

/** One rendering of a draft for a preview page, with the findings for its locale. */
export interface PreviewRender {
  subject: string;
  preheader: string;
  /** HTML with `data-hs-slot="<instance>/<slot>"` markers, so a finding can highlight its slot. */
  html: string;
  /**
   * The same HTML as a client that prefers dark shows it (its own `prefers-color-scheme: dark`
   * rules applied), when the brand kit has a dark scheme; a preview shows this, not a simulation.
   */
  darkHtml?: string;
  diagnostics: Diagnostic[];
}

/**
 * Renders a draft for a preview (annotated `preview` dialect, a sample contact's data) and checks
 * it, keeping the findings of that locale.
 */
export async function previewRender(
  hub: Hub,
  draftRef: string,
  locale: string,
  contact?: string,
): Promise<PreviewRender> {
  const { draft } = await hub.draft(draftRef);
  const own = localesOf(draft);
  if (!own.includes(locale))
    throw unknownReference(
      'locale',
      locale,
      new Set(own),
      'locale',
      `draft ${draft.id} has no content in ${JSON.stringify(locale)}`,
    );
  const settings = await hub.settings();
  const known = settings.sampleContacts.some((c) => c.id === contact);
  const [variant] = await renderAll(hub, draft, {
    locales: [locale],
    annotate: true,
    ...(known && contact !== undefined ? { contact } : {}),
  });
  const check = await checkDraft(hub, draft);
  const email = variant?.email;
  const dark = email === undefined ? undefined : darkPreview(email.html);
  return {
    subject: email?.subject ?? '',
    preheader: email?.preheader ?? '',
    html: email?.html ?? '',
    ...(dark === undefined ? {} : { darkHtml: dark }),
    diagnostics: check.diagnostics.filter((d) => d.location.locale === undefined || d.location.locale === locale),
  };
}

/** What a reviewer sees and may do in a review panel. */
export interface ReviewView {
  submissionId: string;
  status: string;
  /** The principal decisions are made as. */
  actingAs: string;
  stages: {
    id: string;
    name: string;
    status: string;
    decisions: { reviewer: string; decision: string; reason?: string }[];
  }[];
  comments: {
    id: string;
    author: string;
    text: string;
    anchor?: { instanceId?: string | undefined; slotId?: string | undefined; locale?: string | undefined };
    resolved: boolean;
    outdated: boolean;
  }[];
  /** Decisions the principal may make now (stages they review that wait for them). */
  allowedDecisions: string[];
}

const DECIDE = ['approved', 'approvedWithChanges', 'changesRequired', 'notRelevant'] as const;

/** A submission as a review panel shows it to a principal, with the decisions they may make now. */
export async function reviewView(hub: Hub, principal: Principal, submissionId: string): Promise<ReviewView> {
  const state = await hub.status(principal, submissionId);
  const workflow = (await hub.workflows()).find(
    (w) => w.id === state.workflow.id && w.version === state.workflow.version,
  );
  const active = state.stages.filter(
    (s) =>
      s.status === 'active' &&
      (s.assignees.includes(principal.id) || (s.escalated?.assignees.includes(principal.id) ?? false)) &&
      s.decisions[principal.id] === undefined,
  );
  const rejectable = active.some((s) => workflow?.stages.find((d) => d.id === s.id)?.allowReject === true);
  return {
    submissionId: state.streamId,
    status: state.status,
    actingAs: principal.id,
    stages: state.stages.map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      decisions: Object.entries(s.decisions).map(([reviewer, d]) => ({
        reviewer,
        decision: d.decision,
        ...(d.reason === undefined ? {} : { reason: d.reason }),
      })),
    })),
    comments: state.comments.map((c) => ({
      id: c.id,
      author: c.author,
      text: c.text,
      resolved: c.resolved,
      outdated: c.outdated,
      ...(c.anchor === undefined ? {} : { anchor: c.anchor }),
    })),
    allowedDecisions: active.length === 0 ? [] : rejectable ? [...DECIDE, 'rejected'] : [...DECIDE],
  };
}
