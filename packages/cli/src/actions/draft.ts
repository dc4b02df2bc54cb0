import { countOption } from '../commands/options.js';
import { principalOf, withHub } from './hub-context.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';

export const run: CommandSpec['run'] = (ctx, [action, ref], options) => {
  if (action !== 'upgrade') throw new UsageError(`draft: unknown action "${action ?? ''}"; use upgrade`);
  const to = options.to === undefined ? undefined : countOption(options.to, '--to', 1);
  return withHub(ctx, options, async (hub) => {
    const outcome = await hub.upgradeDraft(await principalOf(ctx, hub, options), ref ?? '', {
      dryRun: options.dryRun === true,
      ...(to === undefined ? {} : { to }),
    });
    if (ctx.globals.json) {
      ctx.term.printJson({ ok: true, ...outcome });
      return EXIT.ok;
    }
    const { id, template } = outcome.draft;
    if (!outcome.changed) {
      ctx.term.out(`${id} already pins ${template.id}@${outcome.to}`);
      return EXIT.ok;
    }
    const verb = outcome.saved === undefined ? 'would move' : 'moved';
    ctx.term.out(`${id} ${verb} from ${template.id}@${outcome.from} to @${outcome.to}`);
    for (const d of outcome.diagnostics) {
      const where = [d.location.locale, d.location.instanceId, d.location.slotId].filter(Boolean).join('/');
      const { style } = ctx.term;
      const severity = d.severity === 'error' ? style.red(d.severity) : style.yellow(d.severity);
      ctx.term.out(`  ${severity} ${d.ruleId}${where === '' ? '' : ` [${where}]`}: ${d.message}`);
    }
    return outcome.diagnostics.some((d) => d.severity === 'error') ? EXIT.findings : EXIT.ok;
  });
};
