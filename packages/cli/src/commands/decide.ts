import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

/** The decisions as people type them (`decide <submission> <decision>`). */
export const DECISIONS = [
  'approve',
  'approve-with-changes',
  'request-changes',
  'not-relevant',
  'reject',
  'revoke',
  'override',
  'force-approve',
  'withdraw',
];

export const decideCommand: CommandSpec = {
  name: 'decide',
  description: 'record a review decision: approve, approve-with-changes, request-changes, not-relevant, reject',
  examples: [
    'hubspoke decide austin-store-opening approve --as sam',
    'hubspoke decide austin-store-opening request-changes --as sam --reason "Add the opening hours"',
    'hubspoke decide austin-store-opening force-approve --as hana --reason "Launch signed off in ticket 123"',
    'hubspoke decide austin-store-opening withdraw --as jo',
  ],
  define: (c) =>
    withDatabase(
      withActor(
        c
          .argument('<submission>', 'submission id, draft id or draft file')
          .argument('<decision>', DECISIONS.join(', ')),
      ),
    )
      .option('--reason <text>', 'why (required for override and force-approve)')
      .option('--stage <id>', 'the stage, when you review in more than one'),
  run: (ctx, args, options) => import('../actions/decide.js').then((action) => action.run(ctx, args, options)),
};
