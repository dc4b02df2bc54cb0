import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

export const submitCommand: CommandSpec = {
  name: 'submit',
  description: 'submit a draft for review (or resubmit it after changes were requested)',
  examples: [
    'hubspoke submit austin-store-opening --as jo',
    'hubspoke submit drafts/austin-store-opening.json --as jo --json   # resubmit after changes were requested',
  ],
  define: (c) => withDatabase(withActor(c.argument('<draft>', 'draft file or id'))),
  run: (ctx, args, options) => import('../actions/submit.js').then((action) => action.run(ctx, args, options)),
};
