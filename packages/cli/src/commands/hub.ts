import type { CommandSpec } from '../program.js';
import { withActor, withDatabase } from './options.js';

export const hubCommand: CommandSpec = {
  name: 'hub',
  description: 'copy a hub folder into the database (what `hubspoke serve` serves), or the database back into a folder',
  examples: [
    'hubspoke hub import . --as hana                       # this folder into its database (.hubspoke/approvals)',
    'hubspoke hub import . --database-url postgres://hub@db.example/hub --as hana',
    'hubspoke hub export exported-hub                      # the database as files, for git',
  ],
  define: (c) =>
    withDatabase(withActor(c.argument('<action>', 'import | export').argument('<folder>', 'the hub folder'))).option(
      '--force',
      'export: overwrite an existing hub folder',
    ),
  run: (ctx, args, options) => import('../actions/hub.js').then((action) => action.run(ctx, args, options)),
};
