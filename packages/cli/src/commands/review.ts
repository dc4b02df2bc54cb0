import { HubspokeError, type Decision, type Principal, type WorkflowEffect } from '@hubspoke/core';
import { anchorsOf, type Approvals, type CommandResult, type SubmissionState } from '@hubspoke/approval-state';
import { summarizeChanges } from '@hubspoke/template-engine';
import { openApprovals } from '../approvals-db.js';
import { checkDraft, draftHash, localesOf } from '../checks.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Terminal } from '../output/terminal.js';
import { Project } from '../project.js';
import type { CommandContext, CommandSpec } from '../program.js';
import type { Command } from 'commander';

const withDatabase = (c: Command) => c.option('--database-url <url>', 'PostgreSQL URL (default: embedded PGlite in .hubspoke/approvals)');
const withActor = (c: Command) => c.option('--as <id>', 'who is acting (a principal id from the config; or HUBSPOKE_AS)');

interface ReviewSession {
  project: Project;
  approvals: Approvals;
  principal: Principal;
}

/** Opens the project and the approval store for one command, and always closes the store. */
async function withReview<T>(ctx: CommandContext, options: Record<string, unknown>, fn: (s: ReviewSession) => Promise<T>): Promise<T> {
  const project = new Project(await ctx.config());
  const principal = await project.principal((options.as as string | undefined) ?? ctx.env.HUBSPOKE_AS);
  const db = await openApprovals(project, (options.databaseUrl as string | undefined) ?? ctx.env.HUBSPOKE_DATABASE_URL);
  try {
    return await fn({ project, approvals: db.approvals, principal });
  } finally {
    await db.close();
  }
}

/** A submission id, or the latest submission of a draft (by draft id or file). */
async function resolveSubmission(s: ReviewSession, ref: string): Promise<string> {
  const all = await s.approvals.list(s.principal, { limit: 500 });
  if (all.some((x) => x.submissionId === ref)) return ref;
  let draftId = ref;
  if (ref.endsWith('.json')) draftId = (await s.project.draft(ref)).draft.id;
  const latest = all.filter((x) => x.draftId === draftId).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (latest === undefined) throw new HubspokeError('E_NOT_FOUND', `no submission "${ref}" that ${s.principal.id} may view`, { hint: 'run `hubspoke status` to list submissions' });
  return latest.submissionId;
}

const STATUS_LABEL: Record<string, string> = { new: 'new', inReview: 'in review', returned: 'returned to author', approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn' };

function printState(term: Terminal, state: SubmissionState): void {
  const { style } = term;
  const colour = (text: string) => (state.status === 'approved' ? style.green(text) : state.status === 'returned' || state.status === 'rejected' ? style.red(text) : style.yellow(text));
  term.out(`${style.bold(state.title)} (${state.streamId}) — ${colour(STATUS_LABEL[state.status] ?? state.status)}, round ${state.round}, workflow ${state.workflow.id}@${state.workflow.version}`);
  for (const stage of state.stages) {
    const decided = Object.entries(stage.decisions).map(([who, d]) => `${who}: ${d.decision}`).join(', ');
    const waiting = stage.status === 'active' ? stage.assignees.filter((a) => stage.decisions[a] === undefined) : [];
    const due = stage.dueAt === undefined || stage.status !== 'active' ? '' : `, due ${stage.dueAt}`;
    term.out(`  ${stage.name.padEnd(20)} ${stage.status}${stage.result === undefined ? '' : ` (${stage.result})`}${decided === '' ? '' : ` — ${decided}`}${waiting.length > 0 ? ` — waiting for ${waiting.join(', ')}` : ''}${due}`);
  }
  const open = state.comments.filter((c) => !c.resolved);
  if (state.comments.length > 0) term.out(`  comments: ${open.length} open, ${state.comments.length - open.length} resolved`);
  for (const c of open) {
    const where = c.anchor === undefined ? '' : ` [${[c.anchor.instanceId, c.anchor.slotId, c.anchor.locale].filter(Boolean).join('/')}]`;
    term.out(`    ${c.id} ${c.author}${where}${c.outdated ? ' (outdated)' : ''}: ${c.text}`);
  }
}

function printEffects(term: Terminal, effects: WorkflowEffect[]): void {
  for (const e of effects) {
    if (e.type === 'notify') term.err(term.style.dim(`  → notify ${e.to.join(', ')}: ${e.message}`));
    else if (e.type === 'createTask') term.err(term.style.dim(`  → task for ${e.assignee}: ${e.title}`));
    else term.err(term.style.dim(`  → close task ${e.taskKey} (${e.outcome})`));
  }
}

function report(ctx: CommandContext, result: CommandResult, headline: string): void {
  if (ctx.globals.json) {
    ctx.term.printJson({ ok: true, submissionId: result.submissionId, status: result.state.status, stages: result.state.stages.map((s) => ({ id: s.id, status: s.status, result: s.result })), effects: result.effects, replayed: result.replayed });
    return;
  }
  ctx.term.err(ctx.term.style.green(headline));
  printState(ctx.term, result.state);
  printEffects(ctx.term, result.effects);
}

export const submitCommand: CommandSpec = {
  name: 'submit',
  description: 'submit a draft for review (or resubmit it after changes were requested)',
  examples: ['hubspoke submit drafts/berlin-spring.json --as lena', 'hubspoke submit austin-spring --as jo --json'],
  define: (c) => withDatabase(withActor(c.argument('<draft>', 'draft file or id'))),
  run: (ctx, [ref], options) =>
    withReview(ctx, options, async (s) => {
      const { draft, file } = await s.project.draft(ref ?? '');
      const check = await checkDraft(s.project, file, draft, { principal: s.principal });
      const template = check.template;
      const change = summarizeChanges(template, draft);
      const known = new Set([template.defaultLocale]);
      const existing = (await s.approvals.list(s.principal, { limit: 500 })).filter((x) => x.draftId === draft.id);
      for (const x of existing) if (x.status === 'approved') for (const l of localesOf(draft)) known.add(l);
      const facts = {
        ...(draft.region === undefined ? {} : { region: draft.region }),
        locales: localesOf(draft),
        newLocales: localesOf(draft).filter((l) => !known.has(l)),
        tags: draft.tags,
        lint: { errors: check.counts.error, warnings: check.counts.warning },
      };
      const version = { contentHash: draftHash(draft), draftVersion: draft.version, facts, change, diagnostics: check.diagnostics.slice(0, 1000), anchors: anchorsOf(draft) };
      const open = existing.find((x) => x.status === 'inReview' || x.status === 'returned' || x.status === 'new');
      if (open?.status === 'inReview') throw new HubspokeError('E_CONFLICT', `draft ${draft.id} is already in review as ${open.submissionId}`, { hint: 'wait for a decision, or withdraw it first' });
      const result = open?.status === 'returned'
        ? await s.approvals.resubmit(s.principal, open.submissionId, version)
        : await s.approvals.submit(s.principal, { draftId: draft.id, title: draft.name, author: draft.author, ...(draft.team === undefined ? {} : { team: draft.team }), submissionId: existing.length === 0 ? draft.id : `${draft.id}-${existing.length + 1}`, ...version });
      const skipped = result.state.stages.filter((st) => st.status === 'skipped').map((st) => st.name);
      report(ctx, result, `${open === undefined ? 'submitted' : 'resubmitted'} ${draft.id} as ${result.submissionId}${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}`);
      return EXIT.ok;
    }),
};

const DECISION_ALIASES: Record<string, Decision> = { approve: 'approved', approved: 'approved', 'approve-with-changes': 'approvedWithChanges', approvedWithChanges: 'approvedWithChanges', 'request-changes': 'changesRequired', changesRequired: 'changesRequired', 'changes-required': 'changesRequired', 'not-relevant': 'notRelevant', notRelevant: 'notRelevant', reject: 'rejected', rejected: 'rejected' };

export const decideCommand: CommandSpec = {
  name: 'decide',
  description: 'record a review decision: approve, approve-with-changes, request-changes, not-relevant, reject',
  examples: [
    'hubspoke decide berlin-spring approve --as bea',
    'hubspoke decide berlin-spring request-changes --as lee --reason "Add the price footnote"',
    'hubspoke decide berlin-spring override --as hana --reason "Legal approved the claim in ticket 123"',
    'hubspoke decide austin-spring revoke --as sam',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('<submission>', 'submission id, draft id or draft file').argument('<decision>', `${Object.keys(DECISION_ALIASES).filter((k) => k.includes('-') || k === 'approve' || k === 'reject').join(', ')}, revoke, override, force-approve, withdraw`)))
      .option('--reason <text>', 'why (required for override and force-approve)')
      .option('--stage <id>', 'the stage, when you review in more than one'),
  run: (ctx, [ref, verb], options) =>
    withReview(ctx, options, async (s) => {
      const id = await resolveSubmission(s, ref ?? '');
      const reason = options.reason as string | undefined;
      const stage = options.stage as string | undefined;
      const stageField = stage === undefined ? {} : { stageId: stage };
      let result: CommandResult;
      switch (verb ?? '') {
        case 'revoke':
          result = await s.approvals.revoke(s.principal, id, stageField);
          break;
        case 'override':
        case 'force-approve':
          if (reason === undefined) throw new UsageError(`${verb} needs --reason "<why>" (it is audited)`);
          result = verb === 'override' ? await s.approvals.override(s.principal, id, reason) : await s.approvals.forceApprove(s.principal, id, reason);
          break;
        case 'withdraw':
          result = await s.approvals.withdraw(s.principal, id, reason);
          break;
        default: {
          const decision = DECISION_ALIASES[verb ?? ''];
          if (decision === undefined) throw new UsageError(`unknown decision "${verb ?? ''}"; use one of approve, approve-with-changes, request-changes, not-relevant, reject, revoke, override, force-approve, withdraw`);
          result = await s.approvals.decide(s.principal, id, { decision, ...stageField, ...(reason === undefined ? {} : { reason }) });
        }
      }
      report(ctx, result, `${s.principal.id}: ${verb ?? ''} on ${id}`);
      return EXIT.ok;
    }),
};

export const commentCommand: CommandSpec = {
  name: 'comment',
  description: 'comment on a submission, anchored to a slot; reply, resolve or reopen',
  examples: [
    'hubspoke comment berlin-spring "Please add the price footnote" --as lee --slot offer-1/price --locale de-DE',
    'hubspoke comment berlin-spring "Done" --as lena --reply-to c-1',
    'hubspoke comment berlin-spring --resolve c-1 --as lee',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('<submission>', 'submission id, draft id or draft file').argument('[text]', 'the comment')))
      .option('--slot <instance/slot>', 'anchor to a module instance and slot, e.g. hero-1/headline')
      .option('--locale <locale>', 'anchor to a locale')
      .option('--reply-to <commentId>', 'reply in a thread')
      .option('--mention <ids...>', 'people to notify')
      .option('--resolve <commentId>', 'mark a comment resolved')
      .option('--reopen <commentId>', 'reopen a resolved comment'),
  run: (ctx, [ref, text], options) =>
    withReview(ctx, options, async (s) => {
      const id = await resolveSubmission(s, ref ?? '');
      let result: CommandResult;
      if (typeof options.resolve === 'string') result = await s.approvals.resolve(s.principal, id, options.resolve);
      else if (typeof options.reopen === 'string') result = await s.approvals.reopen(s.principal, id, options.reopen);
      else {
        if (text === undefined || text.trim() === '') throw new UsageError('comment needs text, or --resolve/--reopen <commentId>');
        const [instanceId, slotId] = typeof options.slot === 'string' ? options.slot.split('/') : [];
        const anchor = instanceId === undefined ? undefined : { instanceId, ...(slotId === undefined ? {} : { slotId }), ...(typeof options.locale === 'string' ? { locale: options.locale } : {}) };
        result = await s.approvals.comment(s.principal, id, {
          text,
          ...(anchor === undefined ? {} : { anchor }),
          ...(typeof options.replyTo === 'string' ? { parentId: options.replyTo } : {}),
          mentions: Array.isArray(options.mention) ? (options.mention as string[]) : [],
        });
      }
      report(ctx, result, `comment recorded on ${id}`);
      return EXIT.ok;
    }),
};

export const statusCommand: CommandSpec = {
  name: 'status',
  description: 'show a submission (stages, decisions, comments), or list submissions',
  examples: ['hubspoke status --as bea', 'hubspoke status berlin-spring --as lena', 'hubspoke status --as ravi --mine --json'],
  define: (c) =>
    withDatabase(withActor(c.argument('[submission]', 'submission id, draft id or draft file')))
      .option('--mine', 'only submissions waiting for my decision')
      .option('--status <status>', 'only this status: inReview, returned, approved, rejected, withdrawn'),
  run: (ctx, [ref], options) =>
    withReview(ctx, options, async (s) => {
      if (ref !== undefined) {
        const state = await s.approvals.status(s.principal, await resolveSubmission(s, ref));
        if (ctx.globals.json) ctx.term.printJson(state);
        else printState(ctx.term, state);
        return EXIT.ok;
      }
      const list = await s.approvals.list(s.principal, {
        limit: 500,
        ...(options.mine === true ? { assignee: s.principal.id } : {}),
        ...(typeof options.status === 'string' ? { status: options.status as Exclude<SubmissionState['status'], 'new'> } : {}),
      });
      if (ctx.globals.json) {
        ctx.term.printJson(list);
        return EXIT.ok;
      }
      if (list.length === 0) ctx.term.out('no submissions');
      for (const x of list) {
        ctx.term.out(`${x.submissionId.padEnd(24)} ${(STATUS_LABEL[x.status] ?? x.status).padEnd(18)} ${x.title}${x.activeStages.length > 0 ? ` — ${x.activeStages.join(', ')}: waiting for ${x.pendingReviewers.join(', ')}` : ''}`);
      }
      return EXIT.ok;
    }),
};

export const dueCommand: CommandSpec = {
  name: 'due',
  description: 'record reminders, escalations and timed stage starts that are due (run it from cron)',
  examples: ['hubspoke due', 'hubspoke due --now 2026-05-04T09:00:00Z --json'],
  define: (c) => withDatabase(c.option('--now <time>', 'pretend it is this ISO time (default: now)').option('--as <id>', 'only to open the store; due work is recorded by the scheduler')),
  async run(ctx, _args, options) {
    const project = new Project(await ctx.config());
    const db = await openApprovals(project, (options.databaseUrl as string | undefined) ?? ctx.env.HUBSPOKE_DATABASE_URL);
    try {
      const now = typeof options.now === 'string' ? new Date(options.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now: expected an ISO time like 2026-05-04T09:00:00Z, got "${String(options.now)}"`);
      const run = await db.approvals.due(now);
      if (ctx.globals.json) {
        ctx.term.printJson(run);
        return EXIT.ok;
      }
      const count = run.items.reduce((n, x) => n + x.items.length, 0);
      ctx.term.out(count === 0 ? 'nothing due' : `${count} due item${count === 1 ? '' : 's'} recorded`);
      for (const sub of run.items) for (const item of sub.items) ctx.term.out(`  ${sub.submissionId}: ${item.kind} in ${item.stageId}${'to' in item ? ` → ${item.to.join(', ')}` : ''}${'toRole' in item ? ` → ${item.toRole}` : ''}`);
      printEffects(ctx.term, run.effects);
      return EXIT.ok;
    } finally {
      await db.close();
    }
  },
};

