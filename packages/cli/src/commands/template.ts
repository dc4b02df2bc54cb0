import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

export const templateCommand: CommandSpec = {
  name: 'template',
  description:
    'import an MJML email as a governed template: modules, typed slots, locks, and a report of every decision',
  examples: [
    'hubspoke template import emails/may-newsletter.mjml --as hana          # writes templates/may-newsletter.mjml',
    'hubspoke template import old/promo.mjml --id spring-promo --dry-run --as hana',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('<action>', 'import').argument('<file>', 'the MJML email')))
      .option('--id <id>', 'the template id (default: from the file name)')
      .option('--name <name>', "the template's name (default: the email's title)")
      .option('--dry-run', 'report what the import would do, write nothing')
      .option('--force', 'replace an existing template file of the same id'),
  run: (ctx, args, options) => import('../actions/template.js').then((action) => action.run(ctx, args, options)),
};
