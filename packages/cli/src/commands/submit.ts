import { printResult } from '../output/review.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { principalOf, withActor, withDatabase, withHub } from './options.js';

export const submitCommand: CommandSpec = {
  name: 'submit',
  description: 'submit a draft for review (or resubmit it after changes were requested)',
  examples: [
    'hubspoke submit austin-store-opening --as jo',
    'hubspoke submit drafts/austin-store-opening.json --as jo --json   # resubmit after changes were requested',
  ],
  define: (c) => withDatabase(withActor(c.argument('<draft>', 'draft file or id'))),
  run: (ctx, [ref], options) =>
    withHub(ctx, options, async (hub) => {
      const principal = await principalOf(ctx, hub, options);
      const { result, resubmitted, skipped } = await hub.submit(principal, ref ?? '');
      printResult(
        ctx,
        result,
        `${resubmitted ? 'resubmitted' : 'submitted'} ${result.state.draftId} as ${result.submissionId}${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}`,
      );
      return EXIT.ok;
    }),
};
