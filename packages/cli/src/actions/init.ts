import path from 'node:path';
import { exampleBrandKit, exampleDraft, scaffoldHub } from '@hubspoke/hub';
import { EXIT } from '../output/exit-codes.js';
import type { CommandSpec } from '../program.js';

export const run: CommandSpec['run'] = async (ctx, [dir], options) => {
  const root = path.resolve(ctx.cwd, dir ?? '.');
  const files = await scaffoldHub(root, { force: options.force === true });
  if (ctx.globals.json) {
    ctx.term.printJson({ ok: true, dir: root, files });
    return EXIT.ok;
  }
  const relative = path.relative(ctx.cwd, root);
  const where = relative === '' ? '.' : relative.startsWith('..') ? root : relative;
  ctx.term.out(`Created a hub for ${exampleBrandKit.name} in ${where}:`);
  for (const file of files.filter((f) => !f.startsWith('schemas/'))) ctx.term.out(`  ${file}`);
  ctx.term.out("  schemas/  (JSON Schemas: each file's $schema points here, for completion in editors)");
  ctx.term.out('');
  ctx.term.out('Next:');
  if (where !== '.') ctx.term.out(`  cd ${where}`);
  ctx.term.out('  hubspoke lint                                   # check every draft');
  ctx.term.out('  hubspoke render --dialect marketo,sfmc          # render each locale × platform');
  ctx.term.out(`  hubspoke submit ${exampleDraft.id} --as jo     # start the review`);
  ctx.term.out('  hubspoke preview austin-store-opening --as sam  # look at it in a browser');
  return EXIT.ok;
};
