import type { Diagnostic } from '@hubspoke/core';

/** One rendering of the draft for the preview page. */
export interface PreviewRender {
  subject: string;
  preheader: string;
  /** HTML with `data-hs-slot="<instance>/<slot>"` markers, so a diagnostic can highlight its slot. */
  html: string;
  diagnostics: Diagnostic[];
}

export interface ReviewComment {
  id: string;
  author: string;
  text: string;
  anchor?: { instanceId?: string | undefined; slotId?: string | undefined; locale?: string | undefined };
  resolved: boolean;
  outdated: boolean;
}

/** What an approver sees and can do in the review panel. */
export interface ReviewView {
  submissionId: string;
  status: string;
  /** The principal decisions are made as (from local config). */
  actingAs: string;
  stages: {
    id: string;
    name: string;
    status: string;
    decisions: { reviewer: string; decision: string; reason?: string }[];
  }[];
  comments: ReviewComment[];
  /** Decisions the acting principal may make now. */
  allowedDecisions: string[];
}

/** Everything the preview server shows; the CLI builds it from the libraries. */
export interface PreviewSource {
  title: string;
  locales: string[];
  contacts: { id: string; label: string }[];
  render(locale: string, contactId: string | undefined): Promise<PreviewRender>;
  review?: {
    view(): Promise<ReviewView>;
    /** Records a decision (with its reason) as the configured principal. */
    decide(decision: string, reason: string | undefined): Promise<ReviewView>;
    comment(text: string, anchor: ReviewComment['anchor']): Promise<ReviewView>;
  };
  /** Images from these URLs' hosts load in the preview (the brand's assets and logos); others are blocked. */
  approvedImageUrls?: string[];
  /** Files, or folders of files, whose change triggers a live reload. */
  watch: string[];
}
