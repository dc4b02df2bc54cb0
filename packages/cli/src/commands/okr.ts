import type { CommandSpec } from '../program.js';
import { OKR_REPORT_FORMATS } from './choices.js';

export const okrCommand: CommandSpec = {
  name: 'okr',
  description: 'report objectives and key results: scores, pace, forecasts, at-risk flags, per team and region',
  examples: [
    'hubspoke okr report',
    'hubspoke okr report --format svg --out out/okrs.svg',
    'hubspoke okr report --region EMEA --as-of 2026-05-15 --format json',
  ],
  define: (c) =>
    c
      .argument('<action>', 'report')
      .option('-f, --format <format>', OKR_REPORT_FORMATS.join(', '), 'md')
      .option('--team <team>', 'only objectives this team owns')
      .option('--region <region>', 'only objectives this region owns')
      .option('--as-of <date>', 'evaluate as of this date (default: today)')
      .option('-o, --out <file>', 'write to a file instead of stdout'),
  run: (ctx, args, options) => import('../actions/okr.js').then((action) => action.run(ctx, args, options)),
};
