import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

export const commentCommand: CommandSpec = {
  name: 'comment',
  description: 'comment on a submission, anchored to a slot; reply, resolve or reopen',
  examples: [
    'hubspoke comment austin-store-opening "Add the opening hours" --as sam --slot message-1/body --locale en-US',
    'hubspoke comment austin-store-opening "Done" --as jo --reply-to c-1',
    'hubspoke comment austin-store-opening --resolve c-1 --as sam',
  ],
  define: (c) =>
    withDatabase(
      withActor(c.argument('<submission>', 'submission id, draft id or draft file').argument('[text]', 'the comment')),
    )
      .option('--slot <instance/slot>', 'anchor to a module instance and slot, e.g. hero-1/headline')
      .option('--locale <locale>', 'anchor to a locale')
      .option('--reply-to <commentId>', 'reply in a thread')
      .option('--mention <ids...>', 'people to notify')
      .option('--resolve <commentId>', 'mark a comment resolved')
      .option('--reopen <commentId>', 'reopen a resolved comment'),
  run: (ctx, args, options) => import('../actions/comment.js').then((action) => action.run(ctx, args, options)),
};
