import path from 'node:path';
import { exportHub, importHub, loadHub, openHub } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';
import { hubOf, principalOf } from './hub-context.js';

export const run: CommandSpec['run'] = async (ctx, [action, folder], options) => {
  if (action !== 'import' && action !== 'export')
    throw new UsageError(`hub: unknown action "${action ?? ''}"; use import or export`);
  const dir = path.resolve(ctx.cwd, folder ?? '.');
  const url = typeof options.databaseUrl === 'string' ? options.databaseUrl : ctx.env.HUBSPOKE_DATABASE_URL;
  // The database: --database-url, else the one the (imported) folder's config names.
  const local =
    url === undefined || url === '' ? await hubOf({ ...ctx, cwd: action === 'import' ? dir : ctx.cwd }) : undefined;
  const stored = await openHub({
    database: local === undefined ? (url ?? '') : (await local.state()).database,
    cwd: local?.dir ?? ctx.cwd,
    env: ctx.env,
  });
  try {
    if (action === 'export') {
      const files = await exportHub(stored, dir, { force: options.force === true });
      if (ctx.globals.json) ctx.term.printJson({ ok: true, dir, files });
      else ctx.term.out(`exported ${files.length} files to ${path.relative(ctx.cwd, dir) || '.'}`);
      return EXIT.ok;
    }
    const from = local ?? (await loadHub({ cwd: dir, env: ctx.env }));
    const r = await importHub(from, (await stored.state()).store, await principalOf(ctx, from, options));
    if (ctx.globals.json) ctx.term.printJson({ ok: true, ...r });
    else
      ctx.term.out(
        `imported ${path.relative(ctx.cwd, dir) || '.'}: ${r.templates.created} new and ${r.templates.changed} changed template versions, ${r.drafts.created} new and ${r.drafts.updated} changed drafts (${r.drafts.unchanged} unchanged), ${r.workflows} workflow version${r.workflows === 1 ? '' : 's'}${r.okrs ? ', OKRs' : ''}`,
      );
    return EXIT.ok;
  } finally {
    await stored.close();
    await local?.close();
  }
};
