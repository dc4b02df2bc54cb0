import { createReadStream, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { HubspokeError, METRIC_DIMENSIONS } from '@hubspoke/core';
import { ingestMetrics, metricsFormatOf, renderKpiTable, type GroupDimension } from '@hubspoke/okr-metrics';
import { readJson } from '../config/files.js';
import { connectorFromConfig } from '../connectors.js';
import { fsError } from '../fs-error.js';
import { BatchWriter, importBatchFile, pullBatchFile, pullScope, recompute } from '../metrics-store.js';
import { UsageError } from '../output/errors.js';
import { EXIT, type ExitCode } from '../output/exit-codes.js';
import { writeFileAtomic } from '../output/write-file.js';
import type { Project } from '../project.js';
import type { CommandContext, CommandSpec } from '../program.js';
import { projectOf } from './options.js';
import type { Command } from 'commander';

function groupByOf(value: unknown): GroupDimension[] {
  const dims =
    typeof value === 'string'
      ? value
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean)
      : ['region'];
  for (const d of dims)
    if (!(METRIC_DIMENSIONS as readonly string[]).includes(d) && !d.startsWith('dimensions.'))
      throw new UsageError(`--group-by: "${d}" is not one of ${METRIC_DIMENSIONS.join(', ')} (or dimensions.<name>)`);
  return dims as GroupDimension[];
}

/** After new metrics: recompute KPIs, add check-ins to bound key results, save the OKR file. */
async function afterImport(
  ctx: CommandContext,
  project: Project,
  groupBy: GroupDimension[],
  imported: number,
): Promise<ExitCode> {
  const okrSet = project.config.okrs === undefined ? undefined : await project.okrs();
  const { table, bound, rows } = await recompute(project, okrSet, groupBy);
  if (bound !== undefined && project.config.okrs !== undefined) {
    const file = project.path(project.config.okrs);
    const raw = (await readJson(file, 'okrs')) as Record<string, unknown>;
    const schema = typeof raw.$schema === 'string' ? { $schema: raw.$schema } : {};
    await writeFileAtomic(file, `${JSON.stringify({ ...schema, ...bound.okrSet }, null, 2)}\n`);
  }
  if (ctx.globals.json) {
    ctx.term.printJson({
      ok: true,
      imported,
      rows,
      kpis: JSON.parse(renderKpiTable(table, 'json')) as unknown,
      checkIns: bound?.added ?? [],
      diagnostics: [...table.diagnostics, ...(bound?.diagnostics ?? [])],
    });
    return EXIT.ok;
  }
  ctx.term.out(renderKpiTable(table, 'md').trimEnd());
  if (bound !== undefined)
    ctx.term.err(
      `${bound.added.length} check-ins from metrics on ${new Set(bound.added.map((a) => a.keyResultId)).size} key results, saved to ${project.config.okrs ?? ''}`,
    );
  ctx.term.err(`${imported} rows imported; KPIs over ${rows} rows in all batches`);
  return EXIT.ok;
}

const withGroupBy = (c: Command) =>
  c.option('--group-by <dims>', `dimensions for the KPI table: ${METRIC_DIMENSIONS.join(', ')}`, 'region');

export const metricsCommand: CommandSpec = {
  name: 'metrics',
  description: 'import or pull campaign metrics (raw counts); KPIs and bound key results update',
  examples: [
    'hubspoke metrics import metrics/sample.csv',
    'hubspoke metrics import metrics/*.csv --group-by region,campaignId --skip-invalid',
    'hubspoke metrics pull --connector marketo --since 2026-04-01 --until 2026-04-30   # needs the MARKETO_* variables',
  ],
  define: (c) =>
    withGroupBy(c.argument('<action>', 'import | pull').argument('[files...]', 'CSV or NDJSON files (import)'))
      .option('--format <format>', 'import: csv or ndjson (default: by the file extension)')
      .option('--skip-invalid', 'report bad rows and import the rest (default: stop at the first bad row)')
      .option('--connector <name>', 'pull: a connector from config.connectors')
      .option('--campaigns <ids>', 'pull: comma-separated campaign ids on the platform (some platforms need them)')
      .option('--since <date>', 'pull: start (ISO date or time)')
      .option('--until <date>', 'pull: end, inclusive (ISO date or time; default: now)'),
  async run(ctx, [action, ...files], options) {
    if (action !== 'import' && action !== 'pull')
      throw new UsageError(`metrics: unknown action "${action ?? ''}"; use import or pull`);
    const groupBy = groupByOf(options.groupBy);
    const project = await projectOf(ctx);
    if (action === 'import') {
      if (files.length === 0) throw new UsageError('metrics import: name at least one CSV or NDJSON file');
      const format = options.format as string | undefined;
      if (format !== undefined && format !== 'csv' && format !== 'ndjson')
        throw new UsageError(`--format: expected csv or ndjson, got "${format}"`);
      // Every file is read into its own batch; the batches become visible together, or none does.
      const writers: BatchWriter[] = [];
      let imported = 0;
      try {
        // A file named twice is read once.
        for (const [full, file] of new Map(files.map((f) => [path.resolve(ctx.cwd, f), f]))) {
          await readableFile(full, file);
          const writer = new BatchWriter(importBatchFile(project, full));
          writers.push(writer);
          const summary = await ingestMetrics(createReadStream(full), {
            format: format ?? metricsFormatOf(file),
            into: writer,
            sourceName: file,
            onInvalidRow: options.skipInvalid === true ? 'skip' : 'throw',
            signal: ctx.signal,
          });
          writer.finish();
          imported += summary.accepted;
          for (const d of summary.diagnostics) ctx.term.err(ctx.term.style.yellow(`warning ${d.ruleId}: ${d.message}`));
          if (summary.rejected > 0) ctx.term.err(`${file}: ${summary.rejected} rows rejected`);
        }
        for (const writer of writers) writer.commit();
      } catch (e) {
        for (const writer of writers) writer.abort();
        throw e;
      }
      return afterImport(ctx, project, groupBy, imported);
    }
    if (typeof options.since !== 'string') throw new UsageError('metrics pull: --since <date> is required');
    const since = timeOf('--since', options.since, 'start');
    const until = typeof options.until === 'string' ? timeOf('--until', options.until, 'end') : new Date();
    if (until < since) throw new UsageError(`--until: ${until.toISOString()} is before --since ${since.toISOString()}`);
    const connector = connectorFromConfig(project, options.connector as string | undefined, ctx.env, {});
    if (connector.pullMetrics === undefined)
      throw new HubspokeError('E_UNSUPPORTED', `${connector.manifest.id} cannot pull metrics`);
    const campaignIds =
      typeof options.campaigns === 'string'
        ? options.campaigns
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : undefined;
    const batch = pullBatchFile(project, pullScope(connector.instance, campaignIds), since, until);
    const writer = new BatchWriter(batch.file);
    try {
      const query = {
        since: since.toISOString(),
        until: until.toISOString(),
        ...(campaignIds === undefined ? {} : { campaignIds }),
      };
      const summary = await ingestMetrics(connector.pullMetrics(query, { signal: ctx.signal }), {
        format: 'objects',
        into: writer,
        sourceName: connector.manifest.id,
        signal: ctx.signal,
      });
      writer.finish();
      writer.commit();
      for (const old of batch.replaces) if (old !== batch.file) rmSync(old, { force: true });
      return await afterImport(ctx, project, groupBy, summary.accepted);
    } catch (e) {
      writer.abort();
      throw e;
    }
  },
};

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

/** Fails early, with a clear error, on a file that cannot be read. */
async function readableFile(full: string, shown: string): Promise<void> {
  let info;
  try {
    info = await stat(full);
  } catch (e) {
    throw fsError(e, 'read the metrics file', shown);
  }
  if (!info.isFile())
    throw new HubspokeError('E_VALIDATION', `metrics import: ${shown} is not a file`, { path: shown });
}
