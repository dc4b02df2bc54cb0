import { createReadStream } from 'node:fs';
import path from 'node:path';
import { HubspokeError, METRIC_DIMENSIONS } from '@hubspoke/core';
import { ingestMetrics, metricsFormatOf, renderKpiTable, type GroupDimension } from '@hubspoke/okr-metrics';
import { readJson } from '../config/files.js';
import { connectorFromConfig } from '../connectors.js';
import { BatchWriter, batchFile, recompute } from '../metrics-store.js';
import { UsageError } from '../output/errors.js';
import { EXIT, type ExitCode } from '../output/exit-codes.js';
import { writeFileAtomic } from '../output/write-file.js';
import { Project } from '../project.js';
import type { CommandContext, CommandSpec } from '../program.js';
import type { Command } from 'commander';

function groupByOf(value: unknown): GroupDimension[] {
  const dims = typeof value === 'string' ? value.split(',').map((d) => d.trim()).filter(Boolean) : ['region'];
  for (const d of dims) if (!(METRIC_DIMENSIONS as readonly string[]).includes(d) && !d.startsWith('dimensions.')) throw new UsageError(`--group-by: "${d}" is not one of ${METRIC_DIMENSIONS.join(', ')} (or dimensions.<name>)`);
  return dims as GroupDimension[];
}

/** After new metrics: recompute KPIs, add check-ins to bound key results, save the OKR file. */
async function afterImport(ctx: CommandContext, project: Project, groupBy: GroupDimension[], imported: number): Promise<ExitCode> {
  const okrSet = project.config.okrs === undefined ? undefined : await project.okrs();
  const { table, bound, rows } = await recompute(project, okrSet, groupBy);
  if (bound !== undefined && project.config.okrs !== undefined) {
    const file = project.path(project.config.okrs);
    const raw = (await readJson(file, 'okrs')) as Record<string, unknown>;
    const schema = typeof raw.$schema === 'string' ? { $schema: raw.$schema } : {};
    await writeFileAtomic(file, `${JSON.stringify({ ...schema, ...bound.okrSet }, null, 2)}\n`);
  }
  if (ctx.globals.json) {
    ctx.term.printJson({ ok: true, imported, rows, kpis: JSON.parse(renderKpiTable(table, 'json')) as unknown, checkIns: bound?.added ?? [], diagnostics: [...table.diagnostics, ...(bound?.diagnostics ?? [])] });
    return EXIT.ok;
  }
  ctx.term.out(renderKpiTable(table, 'md').trimEnd());
  if (bound !== undefined) ctx.term.err(`${bound.added.length} check-ins from metrics on ${new Set(bound.added.map((a) => a.keyResultId)).size} key results, saved to ${project.config.okrs ?? ''}`);
  ctx.term.err(`${imported} rows imported; KPIs over ${rows} rows in all batches`);
  return EXIT.ok;
}

const withGroupBy = (c: Command) => c.option('--group-by <dims>', `dimensions for the KPI table: ${METRIC_DIMENSIONS.join(', ')}`, 'region');

export const metricsCommand: CommandSpec = {
  name: 'metrics',
  description: 'import or pull campaign metrics (raw counts); KPIs and bound key results update',
  examples: [
    'hubspoke metrics import exports/q2-week14.csv',
    'hubspoke metrics import exports/*.ndjson --group-by region,campaignId --skip-invalid',
    'hubspoke metrics pull --connector marketo --since 2026-04-01 --until 2026-04-30',
  ],
  define: (c) =>
    withGroupBy(c.argument('<action>', 'import | pull').argument('[files...]', 'CSV or NDJSON files (import)'))
      .option('--skip-invalid', 'report bad rows and import the rest (default: stop at the first bad row)')
      .option('--connector <name>', 'pull: a connector from config.connectors')
      .option('--since <date>', 'pull: start (ISO date or time)')
      .option('--until <date>', 'pull: end (ISO date or time)'),
  async run(ctx, [action, ...files], options) {
    const project = new Project(await ctx.config());
    const groupBy = groupByOf(options.groupBy);
    if (action === 'import') {
      if (files.length === 0) throw new UsageError('metrics import: name at least one CSV or NDJSON file');
      let imported = 0;
      for (const file of files) {
        const full = path.resolve(ctx.cwd, file);
        const writer = new BatchWriter(batchFile(project, path.basename(file)));
        try {
          const summary = await ingestMetrics(createReadStream(full), { format: metricsFormatOf(file), into: writer, sourceName: file, onInvalidRow: options.skipInvalid === true ? 'skip' : 'throw', signal: ctx.signal });
          writer.commit();
          imported += summary.accepted;
          for (const d of summary.diagnostics) ctx.term.err(ctx.term.style.yellow(`warning ${d.ruleId}: ${d.message}`));
          if (summary.rejected > 0) ctx.term.err(`${file}: ${summary.rejected} rows rejected`);
        } catch (e) {
          writer.abort();
          if (e instanceof HubspokeError && e.code === 'E_UPSTREAM' && (e.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new HubspokeError('E_NOT_FOUND', `metrics import: no such file ${file}`, { cause: e });
          throw e;
        }
      }
      return afterImport(ctx, project, groupBy, imported);
    }
    if (action === 'pull') {
      const since = options.since as string | undefined;
      const until = (options.until as string | undefined) ?? new Date().toISOString();
      if (since === undefined) throw new UsageError('metrics pull: --since <date> is required');
      const toTime = (v: string) => (v.length === 10 ? `${v}T00:00:00Z` : v);
      const connector = connectorFromConfig(project, options.connector as string | undefined, ctx.env, {});
      if (connector.pullMetrics === undefined) throw new HubspokeError('E_UNSUPPORTED', `${connector.manifest.id} cannot pull metrics`);
      const writer = new BatchWriter(batchFile(project, `pull-${connector.manifest.id}-${since}-${until}`));
      try {
        const summary = await ingestMetrics(connector.pullMetrics({ since: toTime(since), until: toTime(until) }, { signal: ctx.signal }), { format: 'objects', into: writer, sourceName: connector.manifest.id, signal: ctx.signal });
        writer.commit();
        return await afterImport(ctx, project, groupBy, summary.accepted);
      } catch (e) {
        writer.abort();
        throw e;
      }
    }
    throw new UsageError(`metrics: unknown action "${action ?? ''}"; use import or pull`);
  },
};
