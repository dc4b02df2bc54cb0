import path from 'node:path';
import { METRIC_DIMENSIONS } from '@hubspoke/core';
import { renderKpiTable, type MetricsResult } from '@hubspoke/hub';
import { UsageError } from '../output/errors.js';
import { EXIT } from '../output/exit-codes.js';
import type { CommandContext, CommandSpec } from '../program.js';
import { listOption } from '../commands/options.js';
import { principalOf, withHub } from './hub-context.js';

/** A date (`2026-04-30`, the whole day: its start or its end) or an ISO time. */
function timeOf(flag: string, value: string, edge: 'start' | 'end'): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = new Date(dateOnly ? `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z` : value);
  if (Number.isNaN(time.getTime()))
    throw new UsageError(
      `${flag}: expected an ISO date or time like 2026-04-30 or 2026-04-30T12:00:00Z, got "${value}"`,
    );
  return time;
}

function print(ctx: CommandContext, result: MetricsResult): void {
  if (ctx.globals.json) {
    const { table, ...rest } = result;
    ctx.term.printJson({ ok: true, ...rest, kpis: JSON.parse(renderKpiTable(table, 'json')) as unknown });
    return;
  }
  for (const d of result.diagnostics) ctx.term.err(ctx.term.style.yellow(`warning ${d.ruleId}: ${d.message}`));
  for (const [name, n] of Object.entries(result.rejected)) if (n > 0) ctx.term.err(`${name}: ${n} rows rejected`);
  ctx.term.out(renderKpiTable(result.table, 'md').trimEnd());
  const keyResults = new Set(result.checkIns.map((a) => a.keyResultId)).size;
  if (result.checkIns.length > 0)
    ctx.term.err(`${result.checkIns.length} check-ins from metrics on ${keyResults} key results, saved with the OKRs`);
  ctx.term.err(`${result.imported} rows imported; KPIs over ${result.rows} rows in all batches`);
}

export const run: CommandSpec['run'] = (ctx, [action, ...files], options) => {
  if (action !== 'import' && action !== 'pull')
    throw new UsageError(`metrics: unknown action "${action ?? ''}"; use import or pull`);
  const groupBy = listOption(options.groupBy);
  for (const d of groupBy)
    if (!(METRIC_DIMENSIONS as readonly string[]).includes(d) && !d.startsWith('dimensions.'))
      throw new UsageError(`--group-by: "${d}" is not one of ${METRIC_DIMENSIONS.join(', ')} (or dimensions.<name>)`);
  const common = { groupBy, signal: ctx.signal, skipInvalid: options.skipInvalid === true };
  if (action === 'import') {
    if (files.length === 0) throw new UsageError('metrics import: name at least one CSV or NDJSON file');
    const format = (['csv', 'ndjson'] as const).find((f) => f === options.format);
    if (options.format !== undefined && format === undefined)
      throw new UsageError(`--format: expected csv or ndjson, got ${JSON.stringify(options.format)}`);
    const inputs = files.map((f) => ({
      name: f,
      file: path.resolve(ctx.cwd, f),
      ...(format === undefined ? {} : { format }),
    }));
    return withHub(ctx, options, async (hub) => {
      print(ctx, await hub.importMetrics(await principalOf(ctx, hub, options), inputs, common));
      return EXIT.ok;
    });
  }
  if (typeof options.since !== 'string') throw new UsageError('metrics pull: --since <date> is required');
  const since = timeOf('--since', options.since, 'start');
  const until = typeof options.until === 'string' ? timeOf('--until', options.until, 'end') : new Date();
  if (until < since) throw new UsageError(`--until: ${until.toISOString()} is before --since ${since.toISOString()}`);
  const campaignIds = typeof options.campaigns === 'string' ? listOption(options.campaigns) : undefined;
  return withHub(ctx, options, async (hub) => {
    const result = await hub.pullMetrics(await principalOf(ctx, hub, options), {
      ...common,
      since,
      until,
      ...(typeof options.connector === 'string' ? { connector: options.connector } : {}),
      ...(campaignIds === undefined ? {} : { campaignIds }),
    });
    print(ctx, result);
    return EXIT.ok;
  });
};
