import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import { printEffects } from '../output/review.js';
import type { CommandSpec } from '../program.js';
import { withHub } from './hub-context.js';

export const run: CommandSpec['run'] = (ctx, _args, options) => {
  const now = typeof options.now === 'string' ? new Date(options.now) : new Date();
  if (Number.isNaN(now.getTime()))
    throw new UsageError(`--now: expected an ISO time like 2026-05-04T09:00:00Z, got "${String(options.now)}"`);
  return withHub(ctx, options, async (hub) => {
    const run = await hub.due(now);
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
  });
};
