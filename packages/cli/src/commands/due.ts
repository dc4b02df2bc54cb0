import type { CommandSpec } from '../program.js';
import { withDatabase } from './options.js';

export const dueCommand: CommandSpec = {
  name: 'due',
  description: 'record reminders, escalations and timed stage starts that are due (run it from cron)',
  examples: ['hubspoke due', 'hubspoke due --now 2026-05-04T09:00:00Z --json'],
  define: (c) => withDatabase(c.option('--now <time>', 'pretend it is this ISO time (default: now)')),
  run: (ctx, args, options) => import('../actions/due.js').then((action) => action.run(ctx, args, options)),
};
