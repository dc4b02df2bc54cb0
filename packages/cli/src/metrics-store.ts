import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { CampaignMetrics, OkrSet } from '@hubspoke/core';
import { ingestMetrics, KpiAggregator, OkrMetricsBinder, type GroupDimension, type KpiTable, type MetricsSink } from '@hubspoke/okr-metrics';
import type { Project } from './project.js';

/**
 * Imported metrics are kept as batches of validated NDJSON in `.hubspoke/metrics/`, one per
 * source file or pull; importing the same source again replaces its batch, so KPIs and
 * check-ins are always recomputed from every batch without double counting.
 */
export function metricsDir(project: Project): string {
  return project.path('.hubspoke/metrics');
}

/** A sink that appends rows to a batch file in 1 MB writes: memory stays flat. */
export class BatchWriter implements MetricsSink {
  private buffer: string[] = [];
  private size = 0;
  private readonly fd: number;
  private readonly temp: string;
  rows = 0;

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = `${file}.${process.pid}.tmp`;
    this.fd = openSync(this.temp, 'w');
  }

  add(row: CampaignMetrics): void {
    const line = `${JSON.stringify(row)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    this.rows += 1;
    if (this.size > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  /** Makes the batch visible (atomic rename). */
  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.temp, this.file);
  }

  abort(): void {
    closeSync(this.fd);
    rmSync(this.temp, { force: true });
  }
}

export function batchFile(project: Project, name: string): string {
  return path.join(metricsDir(project), `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.ndjson`);
}

/** Streams every batch through KPI aggregation and the OKR binder. */
export async function recompute(project: Project, okrSet: OkrSet | undefined, groupBy: GroupDimension[]): Promise<{ table: KpiTable; bound?: ReturnType<OkrMetricsBinder['apply']>; rows: number }> {
  const dir = metricsDir(project);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort() : [];
  const aggregator = new KpiAggregator({ groupBy });
  const binder = okrSet === undefined ? undefined : new OkrMetricsBinder(okrSet, { granularity: 'week' });
  const sinks: MetricsSink[] = binder === undefined ? [aggregator] : [aggregator, binder];
  let rows = 0;
  for (const file of files) {
    const summary = await ingestMetrics(createReadStream(path.join(dir, file)), { format: 'ndjson', into: sinks, sourceName: file });
    rows += summary.accepted;
  }
  return { table: aggregator.result(), rows, ...(binder === undefined ? {} : { bound: binder.apply() }) };
}
