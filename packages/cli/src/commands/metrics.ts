import type { CommandSpec } from '../program.js';
import { METRIC_DIMENSIONS } from './choices.js';
import { withActor, withDatabase } from './options.js';

export const metricsCommand: CommandSpec = {
  name: 'metrics',
  description: 'import or pull campaign metrics (raw counts); KPIs and bound key results update',
  examples: [
    'hubspoke metrics import metrics/sample.csv --as ana',
    'hubspoke metrics import metrics/*.csv --group-by region,campaignId --skip-invalid --as ana',
    'hubspoke metrics pull --connector marketo --since 2026-04-01 --until 2026-04-30 --as ana   # needs the MARKETO_* variables',
  ],
  define: (c) =>
    withDatabase(
      withActor(c.argument('<action>', 'import | pull').argument('[files...]', 'CSV or NDJSON files (import)')),
    )
      .option('--group-by <dims>', `dimensions for the KPI table: ${METRIC_DIMENSIONS.join(', ')}`, 'region')
      .option('--format <format>', 'import: csv or ndjson (default: by the file extension)')
      .option('--skip-invalid', 'report bad rows and import the rest (default: stop at the first bad row)')
      .option('--connector <name>', 'pull: a connector from config.connectors')
      .option('--campaigns <ids>', 'pull: comma-separated campaign ids on the platform (some platforms need them)')
      .option('--since <date>', 'pull: start (ISO date or time)')
      .option('--until <date>', 'pull: end, inclusive (ISO date or time; default: now)'),
  run: (ctx, args, options) => import('../actions/metrics.js').then((action) => action.run(ctx, args, options)),
};
