import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

export const draftCommand: CommandSpec = {
  name: 'draft',
  description: 'upgrade a draft to another version of its template, keeping every compatible value',
  examples: [
    'hubspoke draft upgrade austin-store-opening --as jo             # to the newest version of its template',
    'hubspoke draft upgrade austin-store-opening --to 2 --dry-run --as jo   # what would change, once version 2 exists',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('<action>', 'upgrade').argument('<draft>', 'draft file or id')))
      .option('--to <version>', 'the template version (default: the newest)')
      .option('--dry-run', 'report what would change, write nothing'),
  run: (ctx, args, options) => import('../actions/draft.js').then((action) => action.run(ctx, args, options)),
};
