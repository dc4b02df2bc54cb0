import type { CommandSpec } from '../program.js';

export const initCommand: CommandSpec = {
  name: 'init',
  description: 'scaffold a working hub: brand kit, two templates, workflow, OKRs, an example draft and the config',
  examples: ['hubspoke init', 'hubspoke init my-hub', 'hubspoke init --force   # overwrite an existing hub'],
  define: (c) => c.argument('[dir]', 'folder to create the hub in', '.').option('--force', 'overwrite existing files'),
  run: (ctx, args, options) => import('../actions/init.js').then((action) => action.run(ctx, args, options)),
};
