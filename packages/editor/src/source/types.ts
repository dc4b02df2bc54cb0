import type {
  BrandKit,
  Decision,
  Diagnostic,
  Dialect,
  Draft,
  FieldMap,
  LocaleContent,
  SampleContact,
  Template,
} from '@hubspoke/core';
import type { Skeleton, SkeletonRequest } from '@hubspoke/template-engine/fill';

/** Who is signed in, as far as the editor needs to know. */
export interface Viewer {
  id: string;
  name: string;
  roles: string[];
  regions: string[];
  /** Shows the reviewer's inbox. */
  reviewer: boolean;
}

/** A contact field the hub lets spokes personalize with. */
export interface PersonalizationField {
  path: string;
  label: string;
}

/** What the hub configures for editing: the brand, personalization, previews and assistance. */
export interface HubInfo {
  name: string;
  brandKit: BrandKit;
  /** A brand-rules config (`LintConfig`), already checked by the hub. */
  lintConfig?: unknown;
  fields: PersonalizationField[];
  sampleContacts: SampleContact[];
  /** Locales a draft may add. */
  locales: string[];
  /** Dialects the drafts are pushed to, for unmapped-field checks. */
  dialects?: Dialect[];
  fieldMap?: FieldMap;
  /** Which assistance the hub has a provider for. */
  assist: { subjects: boolean; altText: boolean; translate: boolean };
}

export interface TemplateSummary {
  id: string;
  version: number;
  name: string;
  description?: string;
  tags: string[];
}

export type DraftStatus = 'draft' | 'inReview' | 'returned' | 'approved' | 'rejected';

/** A draft as stored: its content and the version tag a save must name (optimistic concurrency). */
export interface DraftRecord {
  draft: Draft;
  etag: string;
  status: DraftStatus;
  submissionId?: string;
}

export interface DraftSummary {
  id: string;
  name: string;
  templateName: string;
  status: DraftStatus;
  locales: string[];
  updatedAt?: string;
}

export interface CommentAnchor {
  instanceId: string;
  slotId?: string;
  locale?: string;
}

export interface ReviewComment {
  id: string;
  author: string;
  at: string;
  text: string;
  anchor?: CommentAnchor;
  parentId?: string;
  resolved: boolean;
  /** Its slot no longer exists in the current version. */
  outdated: boolean;
  round: number;
}

export type StageStatus = 'pending' | 'active' | 'complete' | 'skipped';

export interface StageView {
  id: string;
  name: string;
  status: StageStatus;
  result?: Decision;
  assignees: string[];
  decisions: Record<string, { decision: Decision; at: string; reason?: string }>;
  dueAt?: string;
  escalated?: { at: string; toRole: string };
}

export type SubmissionStatus = 'inReview' | 'returned' | 'approved' | 'rejected' | 'withdrawn';

/** One round's content, for the diff between rounds. */
export interface RoundContent {
  round: number;
  draft: Draft;
}

export interface SubmissionView {
  id: string;
  draftId: string;
  title: string;
  submitter: string;
  status: SubmissionStatus;
  round: number;
  stages: StageView[];
  comments: ReviewComment[];
  lint: { errors: number; warnings: number };
  override?: { by: string; at: string; reason: string };
  /** Decisions the viewer may make now (empty when it is not their turn). */
  allowedDecisions: Decision[];
  /** The viewer may approve over error findings, with a reason (audited). */
  canOverride: boolean;
  /** The draft as submitted in each round, oldest first. */
  rounds: RoundContent[];
  createdAt: string;
  updatedAt: string;
}

export interface InboxItem {
  submissionId: string;
  draftId: string;
  title: string;
  submitter: string;
  stage: string;
  round: number;
  dueAt?: string;
  escalated: boolean;
}

/** A suggestion from the hub's assistant, with what the brand check found in it. */
export interface Suggestion {
  text: string;
  diagnostics: Diagnostic[];
  /** The brand check found nothing at error level (absent: judge by `diagnostics`). */
  passed?: boolean;
}

export interface Translation {
  content: LocaleContent;
  diagnostics: Diagnostic[];
}

export interface DecisionInput {
  decision: Decision;
  reason?: string;
  /** Approve over error findings (needs `canOverride` and a reason). */
  override?: boolean;
}

export interface CommentInput {
  text: string;
  anchor?: CommentAnchor;
  parentId?: string;
}

/** What the signed-in person may do with one draft, as the hub's roles decide. */
export interface DraftActions {
  /** Push it (once approved) through the hub's connector. */
  push: boolean;
  /** Start a new version once it is approved. */
  newVersion: boolean;
}

export interface PushResult {
  connector: string;
  remoteId: string;
  url?: string;
}

/** What a subscription is about. */
export interface SubscribeScope {
  draftId?: string;
  submissionId?: string;
}

export type SourceEvent =
  { type: 'draft'; draftId: string } | { type: 'submission'; submissionId: string; draftId: string };

/**
 * Everything the editor and the review panel read and write. The hub server's HTTP API
 * implements it (`httpSource`), and so does an in-memory source for tests and for embedding
 * without a server (`memorySource`). Failures are `HubspokeError`s: `E_CONFLICT` for a stale
 * save, `E_LOCKED` for a change to a locked slot, `E_FORBIDDEN`, `E_NOT_FOUND`, `E_VALIDATION`.
 */
export interface EditorDataSource {
  viewer(): Promise<Viewer>;
  hub(): Promise<HubInfo>;
  /** The templates the viewer's region may use. */
  templates(): Promise<TemplateSummary[]>;
  template(id: string, version: number): Promise<Template>;
  /** The skeleton of a draft's structure (mjml runs where the source is). */
  skeleton(request: SkeletonRequest & { key: string }): Promise<Skeleton>;

  drafts(): Promise<DraftSummary[]>;
  createDraft(input: { templateId: string; name: string }): Promise<DraftRecord>;
  draft(id: string): Promise<DraftRecord>;
  saveDraft(draft: Draft, etag: string): Promise<DraftRecord>;
  /**
   * After approval: a new editable version of the draft (absent: approved drafts stay as they are).
   * `etag` names the approved version (a stale one is `E_CONFLICT`).
   */
  newVersion?(draftId: string, etag?: string): Promise<DraftRecord>;
  /** What the viewer may do with a draft now (absent: every method the source has is offered). */
  actions?(draftId: string): Promise<DraftActions>;

  submit(draftId: string): Promise<SubmissionView>;
  submission(id: string): Promise<SubmissionView>;
  inbox(): Promise<InboxItem[]>;
  decide(submissionId: string, input: DecisionInput): Promise<SubmissionView>;
  comment(submissionId: string, input: CommentInput): Promise<SubmissionView>;
  resolveComment(submissionId: string, commentId: string, resolved: boolean): Promise<SubmissionView>;
  /** Pushes an approved draft through the hub's default connector. */
  push?(draftId: string): Promise<PushResult>;

  subjectVariants?(draft: Draft, locale: string): Promise<Suggestion[]>;
  /** Alt text for an image; `slot` names where it sits in the draft (the hub server needs it). */
  altText?(
    image: { src: string; assetId?: string },
    locale: string,
    slot?: { draft: Draft; instanceId: string; slotId: string },
  ): Promise<Suggestion[]>;
  translate?(draft: Draft, from: string, to: string): Promise<Translation>;

  /**
   * Live updates (another reviewer decided, a comment arrived) about one draft or submission (a
   * server streams per resource; an in-memory source tells everything); returns an unsubscribe function.
   */
  subscribe?(listener: (event: SourceEvent) => void, scope?: SubscribeScope): () => void;
}
