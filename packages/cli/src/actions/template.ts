import { importTemplate } from '@hubspoke/hub';
import { principalOf, withHub } from './hub-context.js';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';

export const run: CommandSpec['run'] = (ctx, [action, file], options) => {
  if (action !== 'import') throw new UsageError(`template: unknown action "${action ?? ''}"; use import`);
  return withHub(ctx, options, async (hub) => {
    const outcome = await importTemplate(hub, await principalOf(ctx, hub, options), file ?? '', {
      dryRun: options.dryRun === true,
      force: options.force === true,
      ...(typeof options.id === 'string' && { id: options.id }),
      ...(typeof options.name === 'string' && { name: options.name }),
    });
    const failed = !outcome.ok || outcome.check?.identical === false;
    if (ctx.globals.json) {
      const { template: _t, ...rest } = outcome;
      ctx.term.printJson({ ...rest, ok: !failed, id: outcome.template?.id });
      return failed ? EXIT.findings : EXIT.ok;
    }
    const { style } = ctx.term;
    for (const d of outcome.diagnostics.filter((x) => x.severity === 'error'))
      ctx.term.out(`${style.red('error')} ${d.location.line ?? 1}:${d.location.column ?? 1} ${d.ruleId}: ${d.message}`);
    for (const m of outcome.modules)
      ctx.term.out(
        `${m.id.padEnd(24)} ${m.role.padEnd(8)} ${m.pinned ? 'pinned, locked ' : 'editable       '} ${m.slots.map((s) => `${s.id}:${s.kind}`).join(' ')}`,
      );
    for (const d of outcome.decisions)
      ctx.term.out(style.dim(`  ${d.line === undefined ? '' : `${d.line}:${d.column ?? 1} `}${d.message}`));
    if (outcome.check) {
      const same = outcome.check.identical
        ? style.green('renders identically to mjml2html')
        : style.yellow(
            `renders ${outcome.check.equal ? 'the same HTML (whitespace aside)' : 'differently'}${outcome.check.sameText ? ' with the same text' : ''}`,
          );
      ctx.term.out(`default draft ${same}`);
    }
    if (outcome.written !== undefined) ctx.term.out(`wrote ${outcome.written}`);
    if (outcome.published)
      ctx.term.out(outcome.published.created ? 'published a new template version' : 'already published');
    return failed ? EXIT.findings : EXIT.ok;
  });
};
