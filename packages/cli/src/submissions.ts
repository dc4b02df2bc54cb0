import type { Principal } from '@hubspoke/core';
import type { Approvals, ListQuery, SubmissionState, SubmissionSummary } from '@hubspoke/approval-state';

const PAGE = 1000;

/**
 * Up to `limit` submissions the principal may view, skipping the first `offset`, paging through
 * the store; `more` says whether any follow.
 */
export async function listSubmissions(
  approvals: Approvals,
  principal: Principal,
  query: Omit<ListQuery, 'limit' | 'offset'>,
  offset = 0,
  limit = Infinity,
): Promise<{ items: SubmissionSummary[]; more: boolean }> {
  const items: SubmissionSummary[] = [];
  // One more than asked for, to know whether there is more.
  for (let at = offset; items.length <= limit; at += PAGE) {
    const page = await approvals.list(principal, { ...query, limit: PAGE, offset: at });
    items.push(...page);
    if (page.length < PAGE) break;
  }
  return { items: items.slice(0, limit), more: items.length > limit };
}

/** Every submission of a draft the principal may view, newest first. */
export async function submissionsOf(
  approvals: Approvals,
  principal: Principal,
  draftId: string,
): Promise<SubmissionSummary[]> {
  const { items } = await listSubmissions(approvals, principal, { draftId });
  return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The next short comment id of a submission (`c-1`, `c-2`, …), so people can type it. */
export function nextCommentId(state: SubmissionState): string {
  const numbers = state.comments
    .map((c) => /^c-(\d+)$/.exec(c.id)?.[1])
    .filter((n) => n !== undefined)
    .map(Number);
  return `c-${Math.max(0, ...numbers) + 1}`;
}
