import type { SubmissionState } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { printState, STATUS_LABEL } from '../output/review.js';
import { LISTED_STATUSES } from '../commands/status.js';
import type { CommandSpec } from '../program.js';
import { countOption } from '../commands/options.js';
import { principalOf, withHub } from './hub-context.js';

type ListedStatus = Exclude<SubmissionState['status'], 'new'>;
// The help's list, held to the hub's statuses by the type.
const LISTED: readonly ListedStatus[] = LISTED_STATUSES;

export const run: CommandSpec['run'] = (ctx, [ref], options) => {
  const status = options.status as ListedStatus | undefined;
  if (status !== undefined && !LISTED.includes(status))
    throw new UsageError(`--status: expected one of ${LISTED.join(', ')}, got "${status}"`);
  const limit = countOption(options.limit, '--limit', 1);
  const offset = countOption(options.offset, '--offset', 0);
  return withHub(ctx, options, async (hub) => {
    const principal = await principalOf(ctx, hub, options);
    if (ref !== undefined) {
      const state = await hub.status(principal, ref);
      if (ctx.globals.json) ctx.term.printJson(state);
      else printState(ctx.term, state);
      return EXIT.ok;
    }
    const query = {
      ...(options.mine === true ? { assignee: principal.id } : {}),
      ...(status === undefined ? {} : { status }),
    };
    const { items, more } = await hub.listSubmissions(principal, query, { offset, limit });
    if (ctx.globals.json) {
      ctx.term.printJson(items);
      return EXIT.ok;
    }
    if (items.length === 0) ctx.term.out('no submissions');
    for (const x of items) {
      const waiting =
        x.activeStages.length > 0
          ? ` — ${x.activeStages.join(', ')}: waiting for ${x.pendingReviewers.join(', ')}`
          : '';
      ctx.term.out(
        `${x.submissionId.padEnd(24)} ${(STATUS_LABEL[x.status] ?? x.status).padEnd(18)} ${x.title}${waiting}`,
      );
    }
    if (more) ctx.term.err(`more submissions follow: add --offset ${String(offset + limit)}`);
    return EXIT.ok;
  });
};
