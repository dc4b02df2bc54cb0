import type { Principal } from '@hubspoke/core';
import type { Approvals, SubmissionState, SubmissionSummary } from '@hubspoke/approval-state';

const PAGE = 1000;

/** Every submission of a draft the principal may view, newest first (pages through the whole store). */
export async function submissionsOf(approvals: Approvals, principal: Principal, draftId: string): Promise<SubmissionSummary[]> {
  const found: SubmissionSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await approvals.list(principal, { draftId, limit: PAGE, offset });
    found.push(...page);
    if (page.length < PAGE) break;
  }
  return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The next short comment id of a submission (`c-1`, `c-2`, …), so people can type it. */
export function nextCommentId(state: SubmissionState): string {
  const numbers = state.comments.map((c) => /^c-(\d+)$/.exec(c.id)?.[1]).filter((n) => n !== undefined).map(Number);
  return `c-${Math.max(0, ...numbers) + 1}`;
}
