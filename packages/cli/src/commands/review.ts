import { HubspokeError, isHubspokeError, type Decision, type Principal, type WorkflowEffect } from '@hubspoke/core';
import { anchorsOf, type Approvals, type CommandResult, type SubmissionState } from '@hubspoke/approval-state';
import { summarizeChanges } from '@hubspoke/template-engine';
import { checkDraft, draftHash, localesOf } from '../checks.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { Terminal } from '../output/terminal.js';
import type { Project } from '../project.js';
import type { CommandContext, CommandSpec } from '../program.js';
import { listSubmissions, nextCommentId, submissionsOf } from '../submissions.js';
import { actorOf, countOption, openDatabase, projectOf, withActor, withDatabase } from './options.js';

interface ReviewSession {
  project: Project;
  approvals: Approvals;
  principal: Principal;
}

/** Opens the project and the approval store for one command, and always closes the store. */
async function withReview<T>(
  ctx: CommandContext,
  options: Record<string, unknown>,
  fn: (s: ReviewSession) => Promise<T>,
): Promise<T> {
  const project = await projectOf(ctx);
  const principal = await project.principal(actorOf(ctx, options));
  const db = await openDatabase(ctx, project, options);
  try {
    return await fn({ project, approvals: db.approvals, principal });
  } finally {
    await db.close();
  }
}

/** The latest submission of a draft (by draft id or file), or a submission by its id. */
async function resolveSubmission(s: ReviewSession, ref: string): Promise<string> {
  const isFile = ref.endsWith('.json');
  const draftId = isFile ? (await s.project.draft(ref)).draft.id : ref;
  const latest = (await submissionsOf(s.approvals, s.principal, draftId))[0];
  if (latest !== undefined) return latest.submissionId;
  if (!isFile) {
    try {
      await s.approvals.status(s.principal, ref);
      return ref;
    } catch (e) {
      if (!isHubspokeError(e, 'E_NOT_FOUND')) throw e;
    }
  }
  throw new HubspokeError('E_NOT_FOUND', `no submission "${ref}" that ${s.principal.id} may view`, {
    hint: 'run `hubspoke status` to list submissions',
  });
}

const STATUS_LABEL: Record<string, string> = {
  new: 'new',
  inReview: 'in review',
  returned: 'returned to author',
  approved: 'approved',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

function printState(term: Terminal, state: SubmissionState): void {
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

function printEffects(term: Terminal, effects: WorkflowEffect[]): void {
  for (const e of effects) {
    if (e.type === 'notify') term.err(term.style.dim(`  → notify ${e.to.join(', ')}: ${e.message}`));
    else if (e.type === 'createTask') term.err(term.style.dim(`  → task for ${e.assignee}: ${e.title}`));
    else term.err(term.style.dim(`  → close task ${e.taskKey} (${e.outcome})`));
  }
}

function report(ctx: CommandContext, result: CommandResult, headline: string): void {
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

export const submitCommand: CommandSpec = {
  name: 'submit',
  description: 'submit a draft for review (or resubmit it after changes were requested)',
  examples: [
    'hubspoke submit austin-store-opening --as jo',
    'hubspoke submit drafts/austin-store-opening.json --as jo --json   # resubmit after changes were requested',
  ],
  define: (c) => withDatabase(withActor(c.argument('<draft>', 'draft file or id'))),
  run: (ctx, [ref], options) =>
    withReview(ctx, options, async (s) => {
      const { draft, file } = await s.project.draft(ref ?? '');
      const check = await checkDraft(s.project, file, draft, { principal: s.principal });
      const template = check.template;
      const change = summarizeChanges(template, draft);
      // A locale is new unless an approved submission of this draft already had it.
      const known = new Set([template.defaultLocale]);
      const existing = await submissionsOf(s.approvals, s.principal, draft.id);
      for (const x of existing.filter((e) => e.status === 'approved'))
        for (const l of (await s.approvals.status(s.principal, x.submissionId)).facts.locales) known.add(l);
      const facts = {
        ...(draft.region === undefined ? {} : { region: draft.region }),
        locales: localesOf(draft),
        newLocales: localesOf(draft).filter((l) => !known.has(l)),
        tags: draft.tags,
        lint: { errors: check.counts.error, warnings: check.counts.warning },
      };
      const version = {
        contentHash: draftHash(draft, template),
        draftVersion: draft.version,
        facts,
        change,
        diagnostics: check.diagnostics.slice(0, 1000),
        anchors: anchorsOf(draft),
      };
      const open = existing.find((x) => x.status === 'inReview' || x.status === 'returned' || x.status === 'new');
      if (open?.status === 'inReview')
        throw new HubspokeError('E_CONFLICT', `draft ${draft.id} is already in review as ${open.submissionId}`, {
          hint: 'wait for a decision, or withdraw it first',
        });
      const result =
        open?.status === 'returned'
          ? await s.approvals.resubmit(s.principal, open.submissionId, version)
          : await s.approvals.submit(s.principal, {
              draftId: draft.id,
              title: draft.name,
              author: draft.author,
              ...(draft.team === undefined ? {} : { team: draft.team }),
              submissionId: existing.length === 0 ? draft.id : `${draft.id}-${existing.length + 1}`,
              ...version,
            });
      const skipped = result.state.stages.filter((st) => st.status === 'skipped').map((st) => st.name);
      report(
        ctx,
        result,
        `${open?.status === 'returned' ? 'resubmitted' : 'submitted'} ${draft.id} as ${result.submissionId}${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}`,
      );
      return EXIT.ok;
    }),
};

const DECISION_ALIASES: Record<string, Decision> = {
  approve: 'approved',
  approved: 'approved',
  'approve-with-changes': 'approvedWithChanges',
  approvedWithChanges: 'approvedWithChanges',
  'request-changes': 'changesRequired',
  changesRequired: 'changesRequired',
  'changes-required': 'changesRequired',
  'not-relevant': 'notRelevant',
  notRelevant: 'notRelevant',
  reject: 'rejected',
  rejected: 'rejected',
};

export const decideCommand: CommandSpec = {
  name: 'decide',
  description: 'record a review decision: approve, approve-with-changes, request-changes, not-relevant, reject',
  examples: [
    'hubspoke decide austin-store-opening approve --as sam',
    'hubspoke decide austin-store-opening request-changes --as sam --reason "Add the opening hours"',
    'hubspoke decide austin-store-opening force-approve --as hana --reason "Launch signed off in ticket 123"',
    'hubspoke decide austin-store-opening withdraw --as jo',
  ],
  define: (c) =>
    withDatabase(
      withActor(
        c.argument('<submission>', 'submission id, draft id or draft file').argument(
          '<decision>',
          `${Object.keys(DECISION_ALIASES)
            .filter((k) => k.includes('-') || k === 'approve' || k === 'reject')
            .join(', ')}, revoke, override, force-approve, withdraw`,
        ),
      ),
    )
      .option('--reason <text>', 'why (required for override and force-approve)')
      .option('--stage <id>', 'the stage, when you review in more than one'),
  run: (ctx, [ref, verb], options) => {
    const reason = typeof options.reason === 'string' ? options.reason : undefined;
    const stageField = typeof options.stage === 'string' ? { stageId: options.stage } : {};
    // Usage is checked before the database is opened.
    const decision = DECISION_ALIASES[verb ?? ''];
    if (decision === undefined && !['revoke', 'override', 'force-approve', 'withdraw'].includes(verb ?? '')) {
      throw new UsageError(
        `unknown decision "${verb ?? ''}"; use one of approve, approve-with-changes, request-changes, not-relevant, reject, revoke, override, force-approve, withdraw`,
      );
    }
    if ((verb === 'override' || verb === 'force-approve') && reason === undefined)
      throw new UsageError(`${verb} needs --reason "<why>" (it is audited)`);
    return withReview(ctx, options, async (s) => {
      const id = await resolveSubmission(s, ref ?? '');
      let result: CommandResult;
      if (decision !== undefined)
        result = await s.approvals.decide(s.principal, id, {
          decision,
          ...stageField,
          ...(reason === undefined ? {} : { reason }),
        });
      else if (verb === 'revoke') result = await s.approvals.revoke(s.principal, id, stageField);
      else if (verb === 'withdraw') result = await s.approvals.withdraw(s.principal, id, reason);
      else if (verb === 'override') result = await s.approvals.override(s.principal, id, reason ?? '');
      else result = await s.approvals.forceApprove(s.principal, id, reason ?? '');
      report(ctx, result, `${s.principal.id}: ${verb ?? ''} on ${id}`);
      return EXIT.ok;
    });
  },
};

export const commentCommand: CommandSpec = {
  name: 'comment',
  description: 'comment on a submission, anchored to a slot; reply, resolve or reopen',
  examples: [
    'hubspoke comment austin-store-opening "Add the opening hours" --as sam --slot message-1/body --locale en-US',
    'hubspoke comment austin-store-opening "Done" --as jo --reply-to c-1',
    'hubspoke comment austin-store-opening --resolve c-1 --as sam',
  ],
  define: (c) =>
    withDatabase(
      withActor(c.argument('<submission>', 'submission id, draft id or draft file').argument('[text]', 'the comment')),
    )
      .option('--slot <instance/slot>', 'anchor to a module instance and slot, e.g. hero-1/headline')
      .option('--locale <locale>', 'anchor to a locale')
      .option('--reply-to <commentId>', 'reply in a thread')
      .option('--mention <ids...>', 'people to notify')
      .option('--resolve <commentId>', 'mark a comment resolved')
      .option('--reopen <commentId>', 'reopen a resolved comment'),
  run: (ctx, [ref, text], options) => {
    const toggle =
      typeof options.resolve === 'string'
        ? { resolve: true, commentId: options.resolve }
        : typeof options.reopen === 'string'
          ? { resolve: false, commentId: options.reopen }
          : undefined;
    if (toggle === undefined && (text === undefined || text.trim() === ''))
      throw new UsageError('comment needs text, or --resolve/--reopen <commentId>');
    const slot = typeof options.slot === 'string' ? options.slot.split('/') : [];
    if (slot.length > 2 || slot.some((part) => part === ''))
      throw new UsageError(`--slot: expected <instance>/<slot>, e.g. message-1/body, got "${String(options.slot)}"`);
    const [instanceId, slotId] = slot;
    if (typeof options.locale === 'string' && instanceId === undefined)
      throw new UsageError('--locale anchors a comment together with --slot <instance>/<slot>');
    return withReview(ctx, options, async (s) => {
      const id = await resolveSubmission(s, ref ?? '');
      let result: CommandResult;
      let headline: string;
      if (toggle !== undefined) {
        headline = `comment ${toggle.commentId} ${toggle.resolve ? 'resolved' : 'reopened'} on ${id}`;
        result = toggle.resolve
          ? await s.approvals.resolve(s.principal, id, toggle.commentId)
          : await s.approvals.reopen(s.principal, id, toggle.commentId);
      } else {
        const anchor =
          instanceId === undefined
            ? undefined
            : {
                instanceId,
                ...(slotId === undefined ? {} : { slotId }),
                ...(typeof options.locale === 'string' ? { locale: options.locale } : {}),
              };
        const commentId = nextCommentId(await s.approvals.status(s.principal, id));
        headline = `comment ${commentId} recorded on ${id}`;
        result = await s.approvals.comment(s.principal, id, {
          commentId,
          text: text ?? '',
          ...(anchor === undefined ? {} : { anchor }),
          ...(typeof options.replyTo === 'string' ? { parentId: options.replyTo } : {}),
          mentions: Array.isArray(options.mention) ? (options.mention as string[]) : [],
        });
      }
      report(ctx, result, headline);
      return EXIT.ok;
    });
  },
};

type ListedStatus = Exclude<SubmissionState['status'], 'new'>;
const LISTED_STATUSES: ListedStatus[] = ['inReview', 'returned', 'approved', 'rejected', 'withdrawn'];

export const statusCommand: CommandSpec = {
  name: 'status',
  description: 'show a submission (stages, decisions, comments), or list submissions',
  examples: [
    'hubspoke status --as hana',
    'hubspoke status austin-store-opening --as jo',
    'hubspoke status --as sam --mine --json',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('[submission]', 'submission id, draft id or draft file')))
      .option('--mine', 'only submissions waiting for my decision')
      .option('--status <status>', `only this status: ${LISTED_STATUSES.join(', ')}`)
      .option('--limit <n>', 'list at most this many submissions', '100')
      .option('--offset <n>', 'skip this many submissions first (the next page)', '0'),
  run: (ctx, [ref], options) => {
    const status = options.status as string | undefined;
    if (status !== undefined && !LISTED_STATUSES.includes(status as ListedStatus))
      throw new UsageError(`--status: expected one of ${LISTED_STATUSES.join(', ')}, got "${status}"`);
    const limit = countOption(options.limit, '--limit', 1);
    const offset = countOption(options.offset, '--offset', 0);
    return withReview(ctx, options, async (s) => {
      if (ref !== undefined) {
        const state = await s.approvals.status(s.principal, await resolveSubmission(s, ref));
        if (ctx.globals.json) ctx.term.printJson(state);
        else printState(ctx.term, state);
        return EXIT.ok;
      }
      const query = {
        ...(options.mine === true ? { assignee: s.principal.id } : {}),
        ...(status === undefined ? {} : { status: status as ListedStatus }),
      };
      const { items, more } = await listSubmissions(s.approvals, s.principal, query, offset, limit);
      if (ctx.globals.json) {
        ctx.term.printJson(items);
        return EXIT.ok;
      }
      if (items.length === 0) ctx.term.out('no submissions');
      for (const x of items) {
        ctx.term.out(
          `${x.submissionId.padEnd(24)} ${(STATUS_LABEL[x.status] ?? x.status).padEnd(18)} ${x.title}${x.activeStages.length > 0 ? ` — ${x.activeStages.join(', ')}: waiting for ${x.pendingReviewers.join(', ')}` : ''}`,
        );
      }
      if (more) ctx.term.err(`more submissions follow: add --offset ${String(offset + limit)}`);
      return EXIT.ok;
    });
  },
};

export const dueCommand: CommandSpec = {
  name: 'due',
  description: 'record reminders, escalations and timed stage starts that are due (run it from cron)',
  examples: ['hubspoke due', 'hubspoke due --now 2026-05-04T09:00:00Z --json'],
  define: (c) => withDatabase(c.option('--now <time>', 'pretend it is this ISO time (default: now)')),
  async run(ctx, _args, options) {
    const now = typeof options.now === 'string' ? new Date(options.now) : new Date();
    if (Number.isNaN(now.getTime()))
      throw new UsageError(`--now: expected an ISO time like 2026-05-04T09:00:00Z, got "${String(options.now)}"`);
    const project = await projectOf(ctx);
    const db = await openDatabase(ctx, project, options);
    try {
      const run = await db.approvals.due(now);
      if (ctx.globals.json) {
        ctx.term.printJson(run);
        return EXIT.ok;
      }
      const count = run.items.reduce((n, x) => n + x.items.length, 0);
      ctx.term.out(count === 0 ? 'nothing due' : `${count} due item${count === 1 ? '' : 's'} recorded`);
      for (const sub of run.items)
        for (const item of sub.items)
          ctx.term.out(
            `  ${sub.submissionId}: ${item.kind} in ${item.stageId}${'to' in item ? ` → ${item.to.join(', ')}` : ''}${'toRole' in item ? ` → ${item.toRole}` : ''}`,
          );
      printEffects(ctx.term, run.effects);
      return EXIT.ok;
    } finally {
      await db.close();
    }
  },
};
