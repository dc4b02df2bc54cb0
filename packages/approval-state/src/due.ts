import type { SubmissionState } from './state.js';

export type DueItem =
  | { kind: 'reminder'; stageId: string; at: string; to: string[] }
  | { kind: 'escalation'; stageId: string; at: string; toRole: string }
  | { kind: 'activation'; stageId: string; at: string };

/**
 * The time-driven work that is due at `now` and not yet recorded: reminders to reviewers who
 * have not decided, escalations, and stages that start at a set time. Pure; a scheduler
 * records them with a `tick` command (which emits the notify and task effects).
 */
export function due(state: SubmissionState, now: string | Date): DueItem[] {
  if (state.status !== 'inReview') return [];
  const time = typeof now === 'string' ? Date.parse(now) : now.getTime();
  const items: DueItem[] = [];
  for (const stage of state.stages) {
    if (stage.status === 'pending' && stage.activateAt !== undefined && Date.parse(stage.activateAt) <= time) {
      items.push({ kind: 'activation', stageId: stage.id, at: stage.activateAt });
    }
    if (stage.status !== 'active') continue;
    const waitingOn = stage.assignees.filter((id) => stage.decisions[id] === undefined);
    for (const at of stage.reminders) {
      if (Date.parse(at) <= time && !stage.remindersSent.includes(at) && waitingOn.length > 0)
        items.push({ kind: 'reminder', stageId: stage.id, at, to: waitingOn });
    }
    if (stage.escalation !== undefined && stage.escalated === undefined && Date.parse(stage.escalation.at) <= time) {
      items.push({ kind: 'escalation', stageId: stage.id, at: stage.escalation.at, toRole: stage.escalation.toRole });
    }
  }
  return items;
}
