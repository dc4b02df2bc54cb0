import { printResult } from '../output/review.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { principalOf, withHub } from './hub-context.js';

export const run: CommandSpec['run'] = (ctx, [ref], options) =>
  withHub(ctx, options, async (hub) => {
    const principal = await principalOf(ctx, hub, options);
    const { result, resubmitted, skipped } = await hub.submit(principal, ref ?? '');
    printResult(
      ctx,
      result,
      `${resubmitted ? 'resubmitted' : 'submitted'} ${result.state.draftId} as ${result.submissionId}${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}`,
    );
    return EXIT.ok;
  });
