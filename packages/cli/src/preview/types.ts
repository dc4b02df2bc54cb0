import type { PreviewRender, ReviewView } from '@hubspoke/hub';

export type { PreviewRender, ReviewView };
export type ReviewComment = ReviewView['comments'][number];

/** Everything the preview server shows; `previewSource` builds it from the hub. */
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
