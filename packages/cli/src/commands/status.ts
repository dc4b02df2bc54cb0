import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

/** The statuses `status --status` filters on (a submission is never listed as new). */
export const LISTED_STATUSES = ['inReview', 'returned', 'approved', 'rejected', 'withdrawn'] as const;

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
  run: (ctx, args, options) => import('../actions/status.js').then((action) => action.run(ctx, args, options)),
};
