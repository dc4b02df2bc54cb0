import type { ApprovalEvent, Decision, SubmissionFacts } from '@hubspoke/core';
import type { Anchor, AnchorIndex, EventData, TypedApprovalEvent } from './events.js';

export type SubmissionStatus = 'new' | 'inReview' | 'returned' | 'approved' | 'rejected' | 'withdrawn';
export type StageStatus = 'pending' | 'active' | 'complete' | 'skipped';

export interface DecisionRecord {
  decision: Decision;
  at: string;
  reason?: string;
  /** Decided as an escalation reviewer. */
  escalated?: boolean;
}

export interface StageState {
  id: string;
  name: string;
  status: StageStatus;
  result?: Decision;
  /** Who was asked to review when the stage started (user ids). */
  assignees: string[];
  decisions: Record<string, DecisionRecord>;
  /** How many rounds this stage has run in. */
  visits: number;
  activateAt?: string;
  activatedAt?: string;
  completedAt?: string;
  dueAt?: string;
  reminders: string[];
  remindersSent: string[];
  escalation?: { at: string; toRole: string };
  escalated?: { at: string; toRole: string; assignees: string[] };
}

export interface CommentState {
  id: string;
  author: string;
  at: string;
  text: string;
  anchor?: Anchor;
  anchorValue?: string;
  /** The thread root this replies to. */
  parentId?: string;
  mentions: string[];
  resolved: boolean;
  /** Its anchor no longer exists in the current version. */
  outdated: boolean;
  round: number;
}

/** A submission folded from its events. Plain JSON, so it can be cached as a snapshot. */
export interface SubmissionState {
  streamId: string;
  /** The number of events folded in (the stream version for optimistic concurrency). */
  seq: number;
  /** Hash of the last event folded in. */
  head: string;
  status: SubmissionStatus;
  workflow: { id: string; version: number; hash: string };
  draftId: string;
  title: string;
  author: string;
  submitter: string;
  region?: string;
  team?: string;
  round: number;
  draftVersion?: number;
  contentHash: string;
  /** The content hash that was approved (pinned for publishing). */
  approvedContentHash?: string;
  facts: SubmissionFacts;
  /** Diagnostics of the current version: counts from the submission plus everything attached since. */
  lint: { errors: number; warnings: number };
  override?: { by: string; at: string; reason: string; errors: number };
  forceApproved?: { by: string; at: string; reason: string };
  anchors?: AnchorIndex;
  stages: StageState[];
  /** Stages that asked for changes in the last round. */
  returnedBy: string[];
  comments: CommentState[];
  createdAt: string;
  updatedAt: string;
}

/** The state before the first event: a submission that does not exist yet. */
export function initialState(streamId: string): SubmissionState {
  return {
    streamId,
    seq: 0,
    head: '',
    status: 'new',
    workflow: { id: '', version: 0, hash: '' },
    draftId: '',
    title: '',
    author: '',
    submitter: '',
    round: 0,
    contentHash: '',
    facts: { locales: [], newLocales: [], tags: [], lint: { errors: 0, warnings: 0 }, change: { touchedLockLevels: [], structural: false, textOnly: false } },
    lint: { errors: 0, warnings: 0 },
    stages: [],
    returnedBy: [],
    comments: [],
    createdAt: '',
    updatedAt: '',
  };
}

function freshStage(planned: { id: string; name: string; activateAt?: string | undefined }, visits: number): StageState {
  const stage: StageState = { id: planned.id, name: planned.name, status: 'pending', assignees: [], decisions: {}, visits, reminders: [], remindersSent: [] };
  if (planned.activateAt !== undefined) stage.activateAt = planned.activateAt;
  return stage;
}

function updateStage(state: SubmissionState, stageId: string, update: (stage: StageState) => StageState): StageState[] {
  return state.stages.map((s) => (s.id === stageId ? update(s) : s));
}

function updateComment(state: SubmissionState, commentId: string, update: (c: CommentState) => CommentState): CommentState[] {
  return state.comments.map((c) => (c.id === commentId ? update(c) : c));
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function newVersion(data: EventData<'submission.created'> | EventData<'submission.resubmitted'>): Partial<SubmissionState> {
  const version: Partial<SubmissionState> = {
    status: 'inReview',
    round: data.round,
    contentHash: data.contentHash,
    facts: data.facts,
    lint: data.lint,
    returnedBy: [],
  };
  if (data.draftVersion !== undefined) version.draftVersion = data.draftVersion;
  if (data.anchors !== undefined) version.anchors = data.anchors;
  return version;
}


/**
 * Folds one event into the state. Pure: returns a new state and never changes its input.
 * It records what `decide` already decided, so it needs no workflow definition.
 */
export function reduce(state: SubmissionState, event: ApprovalEvent): SubmissionState {
  const e = event as TypedApprovalEvent;
  const next: SubmissionState = { ...state, seq: e.seq, head: e.hash, updatedAt: e.at };
  switch (e.type) {
    case 'submission.created': {
      const d = e.data;
      Object.assign(next, newVersion(d), {
        workflow: { id: e.workflow.id, version: e.workflow.version, hash: d.workflowHash },
        draftId: d.draftId,
        title: d.title,
        author: d.author,
        submitter: d.submitter,
        stages: d.stages.map((s) => freshStage(s, 1)),
        createdAt: e.at,
      });
      if (d.region !== undefined) next.region = d.region;
      if (d.team !== undefined) next.team = d.team;
      return next;
    }
    case 'submission.resubmitted': {
      const d = e.data;
      Object.assign(next, newVersion(d));
      delete next.override;
      const outdated = new Set(d.outdatedComments);
      next.stages = d.stages.map((planned) => {
        const previous = state.stages.find((s) => s.id === planned.id);
        if (previous !== undefined && d.kept.includes(planned.id)) return previous;
        return freshStage(planned, (previous?.visits ?? 0) + 1);
      });
      next.comments = state.comments.map((c) => (c.outdated === outdated.has(c.id) ? c : { ...c, outdated: outdated.has(c.id) }));
      return next;
    }
    case 'submission.returned':
      next.status = 'returned';
      next.returnedBy = e.data.stages;
      return next;
    case 'submission.approved':
      next.status = 'approved';
      next.approvedContentHash = e.data.contentHash;
      return next;
    case 'submission.forceApproved':
      next.status = 'approved';
      next.approvedContentHash = e.data.contentHash;
      next.forceApproved = { by: e.actor.id, at: e.at, reason: e.data.reason };
      return next;
    case 'submission.rejected':
      next.status = 'rejected';
      return next;
    case 'submission.withdrawn':
      next.status = 'withdrawn';
      return next;
    case 'stage.activated': {
      const d = e.data;
      next.stages = updateStage(state, d.stageId, (s) => {
        const stage: StageState = { ...s, status: 'active', assignees: d.assignees, activatedAt: e.at, reminders: d.reminders ?? [] };
        if (d.dueAt !== undefined) stage.dueAt = d.dueAt;
        if (d.escalation !== undefined) stage.escalation = d.escalation;
        return stage;
      });
      return next;
    }
    case 'stage.skipped':
      next.stages = updateStage(state, e.data.stageId, (s) => ({ ...s, status: 'skipped' }));
      return next;
    case 'stage.completed': {
      const { result } = e.data;
      next.stages = updateStage(state, e.data.stageId, (s) => ({ ...s, status: 'complete', result, completedAt: e.at }));
      return next;
    }
    case 'stage.reopened':
      next.stages = updateStage(state, e.data.stageId, (s) => {
        const { result: _result, completedAt: _completedAt, ...rest } = s;
        return { ...rest, status: 'active' };
      });
      return next;
    case 'stage.escalated': {
      const d = e.data;
      next.stages = updateStage(state, d.stageId, (s) => ({ ...s, escalated: { at: e.at, toRole: d.toRole, assignees: d.assignees } }));
      return next;
    }
    case 'decision.made': {
      const d = e.data;
      next.stages = updateStage(state, d.stageId, (s) => {
        const record: DecisionRecord = { decision: d.decision, at: e.at };
        if (d.reason !== undefined) record.reason = d.reason;
        if (s.escalated !== undefined && !s.assignees.includes(e.actor.id) && s.escalated.assignees.includes(e.actor.id)) record.escalated = true;
        return { ...s, decisions: { ...s.decisions, [e.actor.id]: record } };
      });
      return next;
    }
    case 'decision.revoked':
      next.stages = updateStage(state, e.data.stageId, (s) => ({ ...s, decisions: withoutKey(s.decisions, e.actor.id) }));
      return next;
    case 'diagnostics.attached':
      next.lint = { errors: state.lint.errors + e.data.lint.errors, warnings: state.lint.warnings + e.data.lint.warnings };
      return next;
    case 'override.applied':
      next.override = { by: e.actor.id, at: e.at, reason: e.data.reason, errors: e.data.errors };
      return next;
    case 'comment.added': {
      const d = e.data;
      const comment: CommentState = { id: d.commentId, author: e.actor.id, at: e.at, text: d.text, mentions: d.mentions, resolved: false, outdated: false, round: state.round };
      if (d.anchor !== undefined) comment.anchor = d.anchor;
      if (d.anchorValue !== undefined) comment.anchorValue = d.anchorValue;
      if (d.parentId !== undefined) comment.parentId = d.parentId;
      next.comments = [...state.comments, comment];
      return next;
    }
    case 'comment.resolved':
      next.comments = updateComment(state, e.data.commentId, (c) => ({ ...c, resolved: true }));
      return next;
    case 'comment.reopened':
      next.comments = updateComment(state, e.data.commentId, (c) => ({ ...c, resolved: false }));
      return next;
    case 'reminder.sent': {
      const { at } = e.data;
      next.stages = updateStage(state, e.data.stageId, (s) => ({ ...s, remindersSent: [...s.remindersSent, at] }));
      return next;
    }
  }
}

/** Folds a stream's events, in order, from the initial state (or from a snapshot). */
export function fold(events: readonly ApprovalEvent[], from?: SubmissionState): SubmissionState {
  let state = from ?? initialState(events[0]?.streamId ?? '');
  for (const event of events) state = reduce(state, event);
  return state;
}

/** Version of the {@link SubmissionState} shape; snapshots of another format are ignored and refolded. */
export const STATE_FORMAT = 1;
