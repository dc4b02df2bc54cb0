import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

export const pushCommand: CommandSpec = {
  name: 'push',
  description:
    'publish an approved draft to a platform (every locale; idempotent: pushing again updates the same assets)',
  examples: [
    'hubspoke push austin-store-opening --as jo             # to the default connector (fs export)',
    'hubspoke push austin-store-opening --connector marketo --as jo --dry-run   # needs the MARKETO_* variables',
    'hubspoke push --check --connector marketo              # verify credentials only',
    'hubspoke push austin-store-opening --test-send na-qa --test-connector smtp --as jo   # then a test send; needs SMTP_HOST',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('[draft]', 'draft file or id'), 'who is publishing (or HUBSPOKE_AS)'))
      .option('--connector <name>', 'a connector from config.connectors (default: config.defaultConnector)')
      .option('--dry-run', 'record what would be sent, send nothing')
      .option('--check', "only verify the connector's credentials")
      .option('--test-send <seed-list>', 'after pushing, send each locale to a seed list of config.testSends')
      .option('--test-connector <name>', 'the connector that sends the tests (default: --connector), e.g. an smtp one'),
  run: (ctx, args, options) => import('../actions/push.js').then((action) => action.run(ctx, args, options)),
};
