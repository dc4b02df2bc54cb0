import type { ApprovalEvent, WorkflowEffect } from '@hubspoke/core';
import type { TypedApprovalEvent } from './events.js';
import { reduce, type StageState, type SubmissionState } from './state.js';

/** An effect and the seq of the event that caused it: what a store's outbox keeps. */
export interface EventEffect {
  seq: number;
  effect: WorkflowEffect;
}

/** The task a reviewer gets for one stage in one round: stable, so a retried effect creates one task. */
export function taskKey(submissionId: string, stageId: string, round: number, assignee: string): string {
  return `${submissionId}/${stageId}/${round}/${assignee}`;
}

function openTaskHolders(stage: StageState): string[] {
  const holders = [...stage.assignees, ...(stage.escalated?.assignees ?? [])];
  return [...new Set(holders)].filter((id) => stage.decisions[id] === undefined);
}

function closeTasks(state: SubmissionState, stages: readonly StageState[], outcome: string): WorkflowEffect[] {
  return stages.flatMap((stage) =>
    openTaskHolders(stage).map((assignee) => ({
      type: 'closeTask' as const,
      taskKey: taskKey(state.streamId, stage.id, state.round, assignee),
      submissionId: state.streamId,
      stageId: stage.id,
      outcome,
    })),
  );
}

function notify(
  state: SubmissionState,
  to: readonly string[],
  reason: Extract<WorkflowEffect, { type: 'notify' }>['reason'],
  message: string,
  stageId?: string,
): WorkflowEffect[] {
  const recipients = [...new Set(to)];
  if (recipients.length === 0) return [];
  const effect: WorkflowEffect = {
    type: 'notify',
    submissionId: state.streamId,
    to: recipients,
    reason,
    message: message.slice(0, 2000),
  };
  if (stageId !== undefined) effect.stageId = stageId;
  return [effect];
}

function owners(state: SubmissionState): string[] {
  return [state.author, state.submitter];
}

/**
 * What the outside world should do because of `event`, given the state just before it:
 * notifications and tasks for connectors (Asana, monday.com, email). Pure, so a consumer
 * tailing the event log can derive the same effects again.
 */
export function effectsOf(before: SubmissionState, event: ApprovalEvent): WorkflowEffect[] {
  const e = event as TypedApprovalEvent;
  const title = JSON.stringify(before.title);
  const stageOf = (id: string) => before.stages.find((s) => s.id === id);
  switch (e.type) {
    case 'stage.activated': {
      const stage = stageOf(e.data.stageId);
      const name = stage?.name ?? e.data.stageId;
      const tasks = e.data.assignees.map((assignee) => {
        const task: WorkflowEffect = {
          type: 'createTask',
          taskKey: taskKey(before.streamId, e.data.stageId, before.round, assignee),
          submissionId: before.streamId,
          stageId: e.data.stageId,
          assignee,
          title: `Review ${title} (${name})`.slice(0, 500),
        };
        if (e.data.dueAt !== undefined) task.dueAt = e.data.dueAt;
        return task;
      });
      return [
        ...notify(
          before,
          e.data.assignees,
          'review-requested',
          `Please review ${title}: stage ${name}`,
          e.data.stageId,
        ),
        ...tasks,
      ];
    }
    case 'decision.made': {
      const stage = stageOf(e.data.stageId);
      if (stage === undefined || stage.decisions[e.actor.id] !== undefined) return [];
      const holds = stage.assignees.includes(e.actor.id) || (stage.escalated?.assignees.includes(e.actor.id) ?? false);
      return holds
        ? [
            {
              type: 'closeTask',
              taskKey: taskKey(before.streamId, stage.id, before.round, e.actor.id),
              submissionId: before.streamId,
              stageId: stage.id,
              outcome: e.data.decision,
            },
          ]
        : [];
    }
    case 'stage.completed': {
      const stage = stageOf(e.data.stageId);
      return stage === undefined ? [] : closeTasks(before, [stage], 'stage-complete');
    }
    case 'stage.escalated': {
      const tasks = e.data.assignees.map((assignee): WorkflowEffect => ({
        type: 'createTask',
        taskKey: taskKey(before.streamId, e.data.stageId, before.round, assignee),
        submissionId: before.streamId,
        stageId: e.data.stageId,
        assignee,
        title: `Overdue review of ${title}`.slice(0, 500),
      }));
      return [
        ...notify(
          before,
          e.data.assignees,
          'escalation',
          `Review of ${title} is overdue at stage ${e.data.stageId}; it is escalated to you`,
          e.data.stageId,
        ),
        ...tasks,
      ];
    }
    case 'reminder.sent':
      return notify(
        before,
        e.data.to,
        'reminder',
        `Reminder: ${title} awaits your review (due ${stageOf(e.data.stageId)?.dueAt ?? 'soon'})`,
        e.data.stageId,
      );
    case 'submission.returned':
      return [
        ...notify(before, owners(before), 'returned', `Changes are required on ${title} (${e.data.stages.join(', ')})`),
        ...closeTasks(
          before,
          before.stages.filter((s) => s.status === 'active'),
          'returned',
        ),
      ];
    case 'submission.approved':
    case 'submission.forceApproved':
      return [
        ...notify(before, owners(before), 'approved', `${title} is approved`),
        ...closeTasks(
          before,
          before.stages.filter((s) => s.status === 'active'),
          'approved',
        ),
      ];
    case 'submission.rejected':
      return [
        ...notify(before, owners(before), 'rejected', `${title} was rejected at stage ${e.data.stageId}`),
        ...closeTasks(
          before,
          before.stages.filter((s) => s.status === 'active'),
          'rejected',
        ),
      ];
    case 'submission.withdrawn':
      return closeTasks(
        before,
        before.stages.filter((s) => s.status === 'active'),
        'withdrawn',
      );
    case 'submission.resubmitted':
      return closeTasks(
        before,
        before.stages.filter((s) => s.status === 'active'),
        'superseded',
      );
    case 'comment.added': {
      const mentioned = e.data.mentions.filter((m) => m !== e.actor.id);
      const parent = e.data.parentId === undefined ? undefined : before.comments.find((c) => c.id === e.data.parentId);
      const replyTo =
        parent !== undefined && parent.author !== e.actor.id && !mentioned.includes(parent.author)
          ? [parent.author]
          : [];
      return [
        ...notify(before, mentioned, 'mention', `${e.actor.id} mentioned you on ${title}`),
        ...notify(before, replyTo, 'comment', `${e.actor.id} replied to your comment on ${title}`),
      ];
    }
    case 'submission.created':
    case 'stage.skipped':
    case 'stage.reopened':
    case 'decision.revoked':
    case 'diagnostics.attached':
    case 'override.applied':
    case 'comment.resolved':
    case 'comment.reopened':
      return [];
  }
}

/** The effects of `events` appended after `before`, each with the seq of its event. */
export function eventEffectsOf(before: SubmissionState, events: readonly ApprovalEvent[]): EventEffect[] {
  const out: EventEffect[] = [];
  let state = before;
  for (const event of events) {
    for (const effect of effectsOf(state, event)) out.push({ seq: event.seq, effect });
    state = reduce(state, event);
  }
  return out;
}
