import {
  draftContentHash,
  HubspokeError,
  isHubspokeError,
  type Decision,
  type Principal,
  type SubmissionFacts,
} from '@hubspoke/core';
import {
  anchorsOf,
  type Anchor,
  type Approvals,
  type CommandResult,
  type DueRun,
  type ListQuery,
  type SubmissionState,
  type SubmissionSummary,
} from '@hubspoke/approval-state';
import { summarizeChanges } from '@hubspoke/template-engine';
import { localesOf, type DraftCheck } from './check.js';
import type { Hub, Page } from './hub.js';

const PAGE = 1000;

/**
 * Up to `limit` submissions the principal may view, skipping the first `offset`, paging through
 * the store; `more` says whether any follow.
 */
export async function listSubmissions(
  hub: Hub,
  principal: Principal,
  query: Omit<ListQuery, 'limit' | 'offset'> = {},
  page: { offset?: number; limit?: number } = {},
): Promise<Page<SubmissionSummary>> {
  const approvals = await hub.approvals();
  const limit = page.limit ?? Infinity;
  const items: SubmissionSummary[] = [];
  // One more than asked for, to know whether there is more.
  for (let at = page.offset ?? 0; items.length <= limit; at += PAGE) {
    const found = await approvals.list(principal, { ...query, limit: PAGE, offset: at });
    items.push(...found);
    if (found.length < PAGE) break;
  }
  return { items: items.slice(0, limit), more: items.length > limit };
}

/** Every submission of a draft the principal may view, newest first. */
export async function submissionsOf(hub: Hub, principal: Principal, draftId: string): Promise<SubmissionSummary[]> {
  const { items } = await listSubmissions(hub, principal, { draftId });
  return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * A submission id from what people type: a draft id or file (its latest submission) or a
 * submission id. `E_NOT_FOUND` when the principal may view none.
 */
export async function resolveSubmission(hub: Hub, principal: Principal, ref: string): Promise<string> {
  const isFile = ref.endsWith('.json');
  const draftId = isFile ? (await hub.draft(ref)).draft.id : ref;
  const latest = (await submissionsOf(hub, principal, draftId))[0];
  if (latest !== undefined) return latest.submissionId;
  if (!isFile) {
    try {
      await (await hub.approvals()).status(principal, ref);
      return ref;
    } catch (e) {
      if (!isHubspokeError(e, 'E_NOT_FOUND')) throw e;
    }
  }
  throw new HubspokeError('E_NOT_FOUND', `no submission "${ref}" that ${principal.id} may view`, {
    path: 'submission',
    hint: 'list the submissions (`hubspoke status`) to find its id',
  });
}

/** Records the review's new state for listings and the change feed. */
async function recorded(hub: Hub, principal: Principal, result: CommandResult, event: string): Promise<CommandResult> {
  const { store } = await hub.state();
  const { status, draftId } = result.state;
  await store.recordReview(draftId, result.submissionId, status, principal.id, { event, seq: result.state.seq });
  return result;
}

export interface SubmitOptions {
  idempotencyKey?: string;
}

export interface SubmitResult {
  result: CommandResult;
  /** The checks the submission carries (counts, diagnostics). */
  check: DraftCheck;
  /** A returned draft was resubmitted (the same submission, a new round). */
  resubmitted: boolean;
  /** Names of the stages routing skipped. */
  skipped: string[];
}

/**
 * Submits a draft for review (or resubmits a returned one): checks it, derives the routing facts
 * (region, locales, locales no approved submission of it had, tags, lint counts, what the change
 * touched), pins its content hash. The submission's region is the draft's. `E_CONFLICT` while an
 * earlier submission of it is in review. Ids: the draft id, then `<draft>-2`, `<draft>-3`, ….
 */
export async function submit(
  hub: Hub,
  principal: Principal,
  ref: string,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  const { draft } = await hub.draft(ref);
  // The submission's region is the draft's: its submitter must be one who may create drafts there.
  await hub.authorize(principal, 'draft.create', { region: draft.region, team: draft.team, ownerId: draft.author });
  const check = await hub.checkDraft(draft, { principal });
  const { template } = check;
  const approvals = await hub.approvals();
  const existing = await submissionsOf(hub, principal, draft.id);
  const open = existing.find((x) => x.status === 'inReview' || x.status === 'returned' || x.status === 'new');
  if (open?.status === 'inReview')
    throw new HubspokeError('E_CONFLICT', `draft ${draft.id} is already in review as ${open.submissionId}`, {
      details: { reason: 'inReview', submissionId: open.submissionId },
      hint: 'wait for a decision, or withdraw it first',
    });
  const facts: Partial<SubmissionFacts> & { locales: string[]; newLocales: string[] } = {
    ...(draft.region === undefined ? {} : { region: draft.region }),
    locales: localesOf(draft),
    newLocales: await newLocales(approvals, principal, existing, template.defaultLocale, localesOf(draft)),
    tags: draft.tags,
    lint: { errors: check.counts.error, warnings: check.counts.warning },
  };
  const version = {
    contentHash: draftContentHash(draft, template),
    draftVersion: draft.version,
    facts,
    change: summarizeChanges(template, draft),
    diagnostics: check.diagnostics.slice(0, 1000),
    anchors: anchorsOf(draft),
    ...(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  };
  const resubmitted = open?.status === 'returned';
  const result = resubmitted
    ? await approvals.resubmit(principal, open.submissionId, version)
    : await approvals.submit(principal, {
        draftId: draft.id,
        title: draft.name,
        author: draft.author,
        ...(draft.team === undefined ? {} : { team: draft.team }),
        submissionId: existing.length === 0 ? draft.id : `${draft.id}-${existing.length + 1}`,
        ...version,
      });
  await recorded(hub, principal, result, resubmitted ? 'resubmitted' : 'submitted');
  const skipped = result.state.stages.filter((s) => s.status === 'skipped').map((s) => s.name);
  return { result, check, resubmitted, skipped };
}

/** A locale is new unless an approved submission of the draft already had it (the template's default never is). */
async function newLocales(
  approvals: Approvals,
  principal: Principal,
  existing: readonly SubmissionSummary[],
  templateLocale: string,
  locales: readonly string[],
): Promise<string[]> {
  const known = new Set([templateLocale]);
  for (const x of existing.filter((e) => e.status === 'approved'))
    for (const l of (await approvals.status(principal, x.submissionId)).facts.locales) known.add(l);
  return locales.filter((l) => !known.has(l));
}

/** A review decision, or one of the other verdicts on a submission. */
export type Verdict = Decision | 'revoke' | 'override' | 'forceApprove' | 'withdraw';
export const VERDICTS: readonly Verdict[] = [
  'approved',
  'approvedWithChanges',
  'changesRequired',
  'notRelevant',
  'rejected',
  'revoke',
  'override',
  'forceApprove',
  'withdraw',
];

export interface DecideInput {
  verdict: Verdict;
  /** Required for `override` and `forceApprove` (audited). */
  reason?: string;
  /** The stage, when the principal reviews in more than one. */
  stageId?: string;
  idempotencyKey?: string;
}

/** Records a decision (or revoke, override, force-approve, withdraw) on a submission, named by id or by its draft. */
export async function decide(hub: Hub, principal: Principal, ref: string, input: DecideInput): Promise<CommandResult> {
  if (!VERDICTS.includes(input.verdict))
    throw new HubspokeError(
      'E_VALIDATION',
      `verdict: expected one of ${VERDICTS.join(', ')}, got ${JSON.stringify(input.verdict)}`,
      {
        path: 'verdict',
      },
    );
  const id = await resolveSubmission(hub, principal, ref);
  const approvals = await hub.approvals();
  const key = input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey };
  const stage = input.stageId === undefined ? {} : { stageId: input.stageId };
  const reason = input.reason ?? '';
  let result: CommandResult;
  switch (input.verdict) {
    case 'revoke':
      result = await approvals.revoke(principal, id, { ...stage, ...key });
      break;
    case 'withdraw':
      result = await approvals.execute(principal, id, {
        type: 'withdraw',
        ...(input.reason === undefined ? {} : { reason }),
        ...key,
      });
      break;
    case 'override':
      result = await approvals.execute(principal, id, { type: 'override', reason, ...key });
      break;
    case 'forceApprove':
      result = await approvals.execute(principal, id, { type: 'forceApprove', reason, ...key });
      break;
    case 'approved':
    case 'approvedWithChanges':
    case 'changesRequired':
    case 'notRelevant':
    case 'rejected':
      result = await approvals.decide(principal, id, {
        decision: input.verdict,
        ...stage,
        ...(input.reason === undefined ? {} : { reason }),
        ...key,
      });
  }
  return recorded(hub, principal, result, input.verdict);
}

/** A new comment (anchored to a slot, a reply), or resolving or reopening one. */
export type CommentInput =
  | { text: string; anchor?: Anchor; parentId?: string; mentions?: string[]; idempotencyKey?: string }
  | { resolve: string; idempotencyKey?: string }
  | { reopen: string; idempotencyKey?: string };

/** The next short comment id of a submission (`c-1`, `c-2`, …), so people can type it. */
export function nextCommentId(state: SubmissionState): string {
  const numbers = state.comments
    .map((c) => /^c-(\d+)$/.exec(c.id)?.[1])
    .filter((n) => n !== undefined)
    .map(Number);
  return `c-${Math.max(0, ...numbers) + 1}`;
}

/** Comments on a submission (named by id or by its draft); returns the comment's id with the result. */
export async function comment(
  hub: Hub,
  principal: Principal,
  ref: string,
  input: CommentInput,
): Promise<{ result: CommandResult; commentId: string }> {
  const id = await resolveSubmission(hub, principal, ref);
  const approvals = await hub.approvals();
  const key = input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey };
  if ('resolve' in input) {
    const result = await approvals.execute(principal, id, { type: 'resolveComment', commentId: input.resolve, ...key });
    return { result: await recorded(hub, principal, result, 'commentResolved'), commentId: input.resolve };
  }
  if ('reopen' in input) {
    const result = await approvals.execute(principal, id, { type: 'reopenComment', commentId: input.reopen, ...key });
    return { result: await recorded(hub, principal, result, 'commentReopened'), commentId: input.reopen };
  }
  const commentId = nextCommentId(await approvals.status(principal, id));
  const result = await approvals.comment(principal, id, {
    commentId,
    text: input.text,
    mentions: input.mentions ?? [],
    ...(input.anchor === undefined ? {} : { anchor: input.anchor }),
    ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
    ...key,
  });
  return { result: await recorded(hub, principal, result, 'commented'), commentId };
}

/** A submission's state (stages, decisions, comments), named by id or by its draft. */
export async function status(hub: Hub, principal: Principal, ref: string): Promise<SubmissionState> {
  const id = await resolveSubmission(hub, principal, ref);
  return (await hub.approvals()).status(principal, id);
}

/** Records the reminders, escalations and timed stage starts that are due at `now`. */
export async function due(hub: Hub, now: Date = new Date()): Promise<DueRun> {
  return (await hub.approvals()).due(now);
}
