import type { SubmissionState } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { printState, STATUS_LABEL } from '../output/review.js';
import type { CommandSpec } from '../program.js';
import { countOption, principalOf, withActor, withDatabase, withHub } from './options.js';

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
    const status = options.status as ListedStatus | undefined;
    if (status !== undefined && !LISTED_STATUSES.includes(status))
      throw new UsageError(`--status: expected one of ${LISTED_STATUSES.join(', ')}, got "${status}"`);
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
  },
};
