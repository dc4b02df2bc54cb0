import type { WorkflowEffect } from '@hubspoke/core';
import type { CommandResult, SubmissionState } from '@hubspoke/hub';
import type { CommandContext } from '../program.js';
import type { Terminal } from './terminal.js';

export const STATUS_LABEL: Record<string, string> = {
  new: 'new',
  inReview: 'in review',
  returned: 'returned to author',
  approved: 'approved',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

/** A submission's stages, decisions and open comments. */
export function printState(term: Terminal, state: SubmissionState): void {
  const { style } = term;
  const colour = (text: string) =>
    state.status === 'approved'
      ? style.green(text)
      : state.status === 'returned' || state.status === 'rejected'
        ? style.red(text)
        : style.yellow(text);
  term.out(
    `${style.bold(state.title)} (${state.streamId}) — ${colour(STATUS_LABEL[state.status] ?? state.status)}, round ${state.round}, workflow ${state.workflow.id}@${state.workflow.version}`,
  );
  for (const stage of state.stages) {
    const decided = Object.entries(stage.decisions)
      .map(([who, d]) => `${who}: ${d.decision}`)
      .join(', ');
    const waiting = stage.status === 'active' ? stage.assignees.filter((a) => stage.decisions[a] === undefined) : [];
    const due = stage.dueAt === undefined || stage.status !== 'active' ? '' : `, due ${stage.dueAt}`;
    term.out(
      `  ${stage.name.padEnd(20)} ${stage.status}${stage.result === undefined ? '' : ` (${stage.result})`}${decided === '' ? '' : ` — ${decided}`}${waiting.length > 0 ? ` — waiting for ${waiting.join(', ')}` : ''}${due}`,
    );
  }
  const open = state.comments.filter((c) => !c.resolved);
  if (state.comments.length > 0)
    term.out(`  comments: ${open.length} open, ${state.comments.length - open.length} resolved`);
  for (const c of open) {
    const where =
      c.anchor === undefined
        ? ''
        : ` [${[c.anchor.instanceId, c.anchor.slotId, c.anchor.locale].filter(Boolean).join('/')}]`;
    term.out(`    ${c.id} ${c.author}${where}${c.outdated ? ' (outdated)' : ''}: ${c.text}`);
  }
}

/** The notifications and tasks a command queued, dimmed on stderr. */
export function printEffects(term: Terminal, effects: WorkflowEffect[]): void {
  for (const e of effects) {
    if (e.type === 'notify') term.err(term.style.dim(`  → notify ${e.to.join(', ')}: ${e.message}`));
    else if (e.type === 'createTask') term.err(term.style.dim(`  → task for ${e.assignee}: ${e.title}`));
    else term.err(term.style.dim(`  → close task ${e.taskKey} (${e.outcome})`));
  }
}

/** A review command's result: JSON, or a headline, the state and the effects. */
export function printResult(ctx: CommandContext, result: CommandResult, headline: string): void {
  if (ctx.globals.json) {
    ctx.term.printJson({
      ok: true,
      submissionId: result.submissionId,
      status: result.state.status,
      stages: result.state.stages.map((s) => ({ id: s.id, status: s.status, result: s.result })),
      effects: result.effects,
      replayed: result.replayed,
    });
    return;
  }
  ctx.term.err(ctx.term.style.green(headline));
  printState(ctx.term, result.state);
  printEffects(ctx.term, result.effects);
}
