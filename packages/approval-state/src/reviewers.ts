import type { Principal, ReviewerSelector, StageDef } from '@hubspoke/core';
import type { StageState } from './state.js';

/** Does `principal` fit a reviewer selector on this submission? */
export function matchesSelector(
  principal: Principal,
  selector: ReviewerSelector,
  submissionRegion: string | undefined,
): boolean {
  if ('user' in selector) return principal.id === selector.user;
  if ('group' in selector) return principal.groups.includes(selector.group);
  if (!principal.roles.includes(selector.role)) return false;
  if (selector.region === undefined) return true;
  const region = selector.region === 'submission' ? submissionRegion : selector.region;
  return region !== undefined && principal.regions.includes(region);
}

/** Who a submission belongs to and where, for reviewer resolution. */
export interface SubmissionParties {
  author: string;
  submitter: string;
  region?: string | undefined;
}

/** The author and submitter never review their own submission (separation of duties). */
export function isOwnSubmission(state: SubmissionParties, principalId: string): boolean {
  return principalId === state.author || principalId === state.submitter;
}

/**
 * The users asked to review a stage: named users, the primary, and every directory entry that
 * fits a role or group selector, less the author and submitter.
 */
export function resolveReviewers(
  stage: StageDef,
  directory: readonly Principal[],
  submission: SubmissionParties,
): string[] {
  const ids = new Set<string>();
  for (const selector of stage.reviewers) if ('user' in selector) ids.add(selector.user);
  if (stage.completion.rule === 'primary') ids.add(stage.completion.primary);
  for (const principal of directory) {
    if (stage.reviewers.some((s) => matchesSelector(principal, s, submission.region))) ids.add(principal.id);
  }
  return [...ids].filter((id) => !isOwnSubmission(submission, id));
}

/** May `principal` decide in this stage: a fitting reviewer, an assignee, the primary, or an escalation reviewer? */
export function isStageReviewer(
  principal: Principal,
  def: StageDef,
  stage: StageState,
  submissionRegion: string | undefined,
): boolean {
  if (stage.assignees.includes(principal.id)) return true;
  if (def.completion.rule === 'primary' && def.completion.primary === principal.id) return true;
  if (def.reviewers.some((s) => matchesSelector(principal, s, submissionRegion))) return true;
  const escalated = stage.escalated;
  return (
    escalated !== undefined &&
    (escalated.assignees.includes(principal.id) || principal.roles.includes(escalated.toRole))
  );
}
