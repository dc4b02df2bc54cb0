import {
  WorkflowEffectSchema,
  parse,
  toHubspokeError,
  type CallOptions,
  type Connector,
  type ErrorCode,
  type TaskRef,
  type WorkflowEffect,
} from '@hubspoke/core';

export type EffectOutcome =
  | { status: 'done'; effect: WorkflowEffect; task?: TaskRef }
  | { status: 'skipped'; effect: WorkflowEffect; reason: string }
  | { status: 'failed'; effect: WorkflowEffect; error: { code: ErrorCode; message: string } };

const TITLES: Record<Extract<WorkflowEffect, { type: 'notify' }>['reason'], string> = {
  'review-requested': 'Review requested',
  reminder: 'Reminder: a review is waiting',
  escalation: 'Escalation: a review is overdue',
  decision: 'Decision recorded',
  returned: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
  mention: 'You were mentioned',
  comment: 'New comment',
};

/**
 * Performs one workflow effect (from approval-state) with a connector: `notify` becomes a
 * message, `createTask`/`closeTask` a task keyed by `taskKey` (so a retried effect makes one
 * task). Effects the connector cannot perform are skipped; failures are reported, not thrown.
 * `closeTask` sends an empty `remoteId`: built-in connectors resolve it from the task key.
 */
export async function applyWorkflowEffect(
  connector: Connector,
  effect: WorkflowEffect,
  options: CallOptions & { link?: string } = {},
): Promise<EffectOutcome> {
  const valid = parse(WorkflowEffectSchema, effect, 'effect');
  const call: CallOptions = options.signal === undefined ? {} : { signal: options.signal };
  const skip = (what: string): EffectOutcome => ({
    status: 'skipped',
    effect: valid,
    reason: `${connector.manifest.name} cannot ${what}`,
  });
  try {
    switch (valid.type) {
      case 'notify': {
        if (connector.notify === undefined) return skip('send messages');
        const to = valid.to.length > 0 ? `\nTo: ${valid.to.join(', ')}` : '';
        await connector.notify(
          {
            title: TITLES[valid.reason],
            text: `${valid.message}\nSubmission: ${valid.submissionId}${valid.stageId === undefined ? '' : ` (stage ${valid.stageId})`}${to}`,
            ...(options.link === undefined ? {} : { url: options.link }),
          },
          call,
        );
        return { status: 'done', effect: valid };
      }
      case 'createTask': {
        if (connector.createTask === undefined) return skip('create tasks');
        const task = await connector.createTask(
          {
            taskKey: valid.taskKey,
            title: valid.title,
            assignee: valid.assignee,
            submissionId: valid.submissionId,
            notes: `Hubspoke review: submission ${valid.submissionId}, stage ${valid.stageId}${options.link === undefined ? '' : `\n${options.link}`}`,
            ...(valid.dueAt === undefined ? {} : { dueAt: valid.dueAt }),
          },
          call,
        );
        return { status: 'done', effect: valid, task };
      }
      case 'closeTask':
        if (connector.closeTask === undefined) return skip('close tasks');
        await connector.closeTask({ taskKey: valid.taskKey, remoteId: '' }, valid.outcome, call);
        return { status: 'done', effect: valid };
    }
  } catch (error) {
    const e = toHubspokeError(error);
    if (e.code === 'E_ABORTED') throw e;
    return { status: 'failed', effect: valid, error: { code: e.code, message: e.message } };
  }
}

/** Applies each effect with every connector, in order; one outcome per (effect, connector). */
export async function applyWorkflowEffects(
  connectors: readonly Connector[],
  effects: readonly WorkflowEffect[],
  options: CallOptions & { link?: string } = {},
): Promise<EffectOutcome[]> {
  const outcomes: EffectOutcome[] = [];
  for (const effect of effects)
    for (const connector of connectors) outcomes.push(await applyWorkflowEffect(connector, effect, options));
  return outcomes;
}
