import type { CommandSpec } from '../program.js';
import { OUTBOX_STATUSES } from './choices.js';
import { withDatabase } from './options.js';

export const effectsCommand: CommandSpec = {
  name: 'effects',
  description:
    'list the notifications and review tasks the workflow queued, or deliver them with connectors (run it from cron)',
  examples: [
    'hubspoke effects                                  # what is waiting to be delivered',
    'hubspoke effects --dispatch --connector fs        # append them to out/export/outbox/*.jsonl',
    'hubspoke effects --dispatch --connector slack     # needs SLACK_WEBHOOK_URL',
    'hubspoke effects --status dispatched --limit 5',
  ],
  define: (c) =>
    withDatabase(c)
      .option('--status <status>', `list entries with this status: ${OUTBOX_STATUSES.join(', ')}`, 'pending')
      .option('--limit <n>', 'list at most this many entries', '100')
      .option('--dispatch', 'deliver every due entry with the connectors named by --connector, then exit')
      .option('--connector <names>', 'comma-separated connectors from config.connectors that perform the effects')
      .option('--watch', 'with --dispatch: keep delivering new entries until Ctrl-C')
      .option('--max-attempts <n>', 'with --dispatch: give an entry up (status dead) after this many attempts', '8')
      .option(
        '--drop-unsupported',
        'with --dispatch: mark done what none of the connectors can perform (e.g. tasks when you use only Slack)',
      )
      .option('--requeue <id>', 'put a dead entry back in the queue'),
  run: (ctx, args, options) => import('../actions/effects.js').then((action) => action.run(ctx, args, options)),
};
