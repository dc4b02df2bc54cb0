import type { CommandSpec } from '../program.js';
import { LINT_FORMATS } from './choices.js';

export const lintCommand: CommandSpec = {
  name: 'lint',
  description: 'check drafts against their template and the brand rules (exit 1 on errors)',
  examples: [
    'hubspoke lint',
    'hubspoke lint drafts/austin-store-opening.json --format compact',
    'hubspoke lint --fix',
    'hubspoke lint --format sarif > lint.sarif',
    'hubspoke lint --write-baseline .hubspoke/baseline.json   # adopt on existing content',
    'hubspoke lint --baseline .hubspoke/baseline.json         # fail only on new violations',
  ],
  define: (c) =>
    c
      .argument('[drafts...]', 'draft files or ids (default: every draft in the drafts folder)')
      .option('-f, --format <name>', `output format: ${LINT_FORMATS.join(', ')}`, 'stylish')
      .option('--fix', 'apply safe fixes to the draft files')
      .option('--baseline <file>', 'leave out the known violations recorded in this file')
      .option('--write-baseline <file>', 'record the current violations as the baseline and exit 0')
      .option('--as <id>', 'mark which findings this principal may override (or HUBSPOKE_AS)'),
  run: (ctx, args, options) => import('../actions/lint.js').then((action) => action.run(ctx, args, options)),
};
