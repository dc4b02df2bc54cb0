import { HubspokeError, type ApprovalEvent, type Decision, type SubmissionFacts } from '@hubspoke/core';
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
    facts: {
      locales: [],
      newLocales: [],
      tags: [],
      lint: { errors: 0, warnings: 0 },
      change: { touchedLockLevels: [], structural: false, textOnly: false },
    },
    lint: { errors: 0, warnings: 0 },
    stages: [],
    returnedBy: [],
    comments: [],
    createdAt: '',
    updatedAt: '',
  };
}

function freshStage(
  planned: { id: string; name: string; activateAt?: string | undefined },
  visits: number,
): StageState {
  const stage: StageState = {
    id: planned.id,
    name: planned.name,
    status: 'pending',
    assignees: [],
    decisions: {},
    visits,
    reminders: [],
    remindersSent: [],
  };
  if (planned.activateAt !== undefined) stage.activateAt = planned.activateAt;
  return stage;
}

function stageOf(state: SubmissionState, stageId: string): StageState {
  const stage = state.stages.find((s) => s.id === stageId);
  // decide() only emits events for stages it planned; a stray id means a corrupted or foreign history.
  if (stage === undefined)
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid event: stage "${stageId}" is not part of submission ${state.streamId}`,
      { path: 'event.data.stageId' },
    );
  return stage;
}

function commentOf(state: SubmissionState, commentId: string): CommentState {
  const comment = state.comments.find((c) => c.id === commentId);
  if (comment === undefined)
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid event: comment ${commentId} is not part of submission ${state.streamId}`,
      { path: 'event.data.commentId' },
    );
  return comment;
}

function startVersion(
  state: SubmissionState,
  data: EventData<'submission.created'> | EventData<'submission.resubmitted'>,
): void {
  state.status = 'inReview';
  state.round = data.round;
  state.contentHash = data.contentHash;
  state.facts = data.facts;
  state.lint = { ...data.lint };
  state.returnedBy = [];
  if (data.draftVersion !== undefined) state.draftVersion = data.draftVersion;
  if (data.anchors !== undefined) state.anchors = data.anchors;
  delete state.override;
}

/**
 * Folds one event into a state it owns, in place. `reduce` and `fold` wrap it so that callers
 * never see a state change under them; folding in place is what makes a million events cheap.
 */
function apply(state: SubmissionState, event: ApprovalEvent): void {
  const e = event as TypedApprovalEvent;
  state.seq = e.seq;
  state.head = e.hash;
  state.updatedAt = e.at;
  switch (e.type) {
    case 'submission.created': {
      const d = e.data;
      startVersion(state, d);
      state.workflow = { id: e.workflow.id, version: e.workflow.version, hash: d.workflowHash };
      state.draftId = d.draftId;
      state.title = d.title;
      state.author = d.author;
      state.submitter = d.submitter;
      state.stages = d.stages.map((s) => freshStage(s, 1));
      state.createdAt = e.at;
      if (d.region !== undefined) state.region = d.region;
      if (d.team !== undefined) state.team = d.team;
      return;
    }
    case 'submission.resubmitted': {
      const d = e.data;
      startVersion(state, d);
      const previous = new Map(state.stages.map((s) => [s.id, s]));
      state.stages = d.stages.map((planned) => {
        const before = previous.get(planned.id);
        return before !== undefined && d.kept.includes(planned.id)
          ? before
          : freshStage(planned, (before?.visits ?? 0) + 1);
      });
      const outdated = new Set(d.outdatedComments);
      for (const c of state.comments) c.outdated = outdated.has(c.id);
      return;
    }
    case 'submission.returned':
      state.status = 'returned';
      state.returnedBy = [...e.data.stages];
      return;
    case 'submission.approved':
      state.status = 'approved';
      state.approvedContentHash = e.data.contentHash;
      return;
    case 'submission.forceApproved':
      state.status = 'approved';
      state.approvedContentHash = e.data.contentHash;
      state.forceApproved = { by: e.actor.id, at: e.at, reason: e.data.reason };
      return;
    case 'submission.rejected':
      state.status = 'rejected';
      return;
    case 'submission.withdrawn':
      state.status = 'withdrawn';
      return;
    case 'stage.activated': {
      const d = e.data;
      const stage = stageOf(state, d.stageId);
      stage.status = 'active';
      stage.assignees = [...d.assignees];
      stage.activatedAt = e.at;
      stage.reminders = [...(d.reminders ?? [])];
      if (d.dueAt !== undefined) stage.dueAt = d.dueAt;
      if (d.escalation !== undefined) stage.escalation = { ...d.escalation };
      return;
    }
    case 'stage.skipped':
      stageOf(state, e.data.stageId).status = 'skipped';
      return;
    case 'stage.completed': {
      const stage = stageOf(state, e.data.stageId);
      stage.status = 'complete';
      stage.result = e.data.result;
      stage.completedAt = e.at;
      return;
    }
    case 'stage.reopened': {
      const stage = stageOf(state, e.data.stageId);
      stage.status = 'active';
      delete stage.result;
      delete stage.completedAt;
      return;
    }
    case 'stage.escalated':
      stageOf(state, e.data.stageId).escalated = { at: e.at, toRole: e.data.toRole, assignees: [...e.data.assignees] };
      return;
    case 'decision.made': {
      const d = e.data;
      const stage = stageOf(state, d.stageId);
      const record: DecisionRecord = { decision: d.decision, at: e.at };
      if (d.reason !== undefined) record.reason = d.reason;
      if (
        stage.escalated !== undefined &&
        !stage.assignees.includes(e.actor.id) &&
        stage.escalated.assignees.includes(e.actor.id)
      )
        record.escalated = true;
      stage.decisions[e.actor.id] = record;
      return;
    }
    case 'decision.revoked': {
      const stage = stageOf(state, e.data.stageId);
      stage.decisions = Object.fromEntries(Object.entries(stage.decisions).filter(([id]) => id !== e.actor.id));
      return;
    }
    case 'diagnostics.attached':
      state.lint = {
        errors: state.lint.errors + e.data.lint.errors,
        warnings: state.lint.warnings + e.data.lint.warnings,
      };
      return;
    case 'override.applied':
      state.override = { by: e.actor.id, at: e.at, reason: e.data.reason, errors: e.data.errors };
      return;
    case 'comment.added': {
      const d = e.data;
      const comment: CommentState = {
        id: d.commentId,
        author: e.actor.id,
        at: e.at,
        text: d.text,
        mentions: [...d.mentions],
        resolved: false,
        outdated: false,
        round: state.round,
      };
      if (d.anchor !== undefined) comment.anchor = d.anchor;
      if (d.anchorValue !== undefined) comment.anchorValue = d.anchorValue;
      if (d.parentId !== undefined) comment.parentId = d.parentId;
      state.comments.push(comment);
      return;
    }
    case 'comment.resolved':
      commentOf(state, e.data.commentId).resolved = true;
      return;
    case 'comment.reopened':
      commentOf(state, e.data.commentId).resolved = false;
      return;
    case 'reminder.sent':
      stageOf(state, e.data.stageId).remindersSent.push(e.data.at);
      return;
  }
}

/** A deep copy that a fold may change in place. */
export function cloneState(state: SubmissionState): SubmissionState {
  return structuredClone(state);
}

/**
 * Folds one event into the state. Pure: returns a new state and never changes its input.
 * It records what `decide` already decided, so it needs no workflow definition.
 */
export function reduce(state: SubmissionState, event: ApprovalEvent): SubmissionState {
  const next = cloneState(state);
  apply(next, event);
  return next;
}

/** Folds a stream's events, in order, from the initial state (or from a snapshot, which it does not change). */
export function fold(events: readonly ApprovalEvent[], from?: SubmissionState): SubmissionState {
  const state = from === undefined ? initialState(events[0]?.streamId ?? '') : cloneState(from);
  for (const event of events) apply(state, event);
  return state;
}

/** Folds more events into a state the caller owns and lets change (the engine's fast path). */
export function foldInPlace(state: SubmissionState, events: readonly ApprovalEvent[]): SubmissionState {
  for (const event of events) apply(state, event);
  return state;
}

/** Version of the {@link SubmissionState} shape; snapshots of another format are ignored and refolded. */
export const STATE_FORMAT = 1;
