import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { HubspokeError, type CampaignMetrics, type OkrSet } from '@hubspoke/core';
import {
  ingestMetrics,
  KpiAggregator,
  OkrMetricsBinder,
  type GroupDimension,
  type KpiTable,
  type MetricsSink,
} from '@hubspoke/okr-metrics';
import { fsError } from './fs-error.js';
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
    this.temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      this.fd = openSync(this.temp, 'w');
    } catch (e) {
      throw fsError(e, 'write the metrics batch', this.temp);
    }
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
    try {
      writeSync(this.fd, this.buffer.join(''));
    } catch (e) {
      throw fsError(e, 'write the metrics batch', this.temp);
    }
    this.buffer = [];
    this.size = 0;
  }

  /** Writes what is left; the batch stays invisible until `commit`. */
  finish(): void {
    this.flush();
    closeSync(this.fd);
  }

  /** Makes the finished batch visible (atomic rename). */
  commit(): void {
    try {
      renameSync(this.temp, this.file);
    } catch (e) {
      throw fsError(e, 'save the metrics batch', this.file);
    }
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed by finish()
    }
    rmSync(this.temp, { force: true });
  }
}

/** The batch of an imported file: named after the file, unique per path within the hub. */
export function importBatchFile(project: Project, file: string): string {
  const relative = path.relative(project.dir, path.resolve(file));
  const hash = createHash('sha256').update(relative).digest('hex').slice(0, 10);
  return path.join(
    metricsDir(project),
    `import-${path.basename(file).replace(/[^A-Za-z0-9._-]+/g, '_')}-${hash}.ndjson`,
  );
}

const PULL_BATCH = /^pull-(.+)-(\d+)-(\d+)\.ndjson$/;

/** What a pull covers besides its dates: the connector instance, and the campaigns when named. */
export function pullScope(instance: string, campaignIds: string[] | undefined): string {
  if (campaignIds === undefined || campaignIds.length === 0) return instance;
  return `${instance}+${createHash('sha256')
    .update([...campaignIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 10)}`;
}

/**
 * The batch of a pull of `[since, until]` in a scope (see `pullScope`), and the earlier pulls of
 * that scope it replaces (those inside its range). A pull that partly overlaps an earlier one
 * would count the days they share twice, so it is refused.
 */
export function pullBatchFile(
  project: Project,
  scope: string,
  since: Date,
  until: Date,
): { file: string; replaces: string[] } {
  const dir = metricsDir(project);
  const replaces: string[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const m = PULL_BATCH.exec(name);
    if (m?.[1] !== scope) continue;
    const [start, end] = [Number(m[2]), Number(m[3])];
    if (since.getTime() <= start && end <= until.getTime()) replaces.push(path.join(dir, name));
    else if (start <= until.getTime() && since.getTime() <= end) {
      throw new HubspokeError(
        'E_CONFLICT',
        `metrics pull: ${since.toISOString()} – ${until.toISOString()} overlaps the earlier pull of ${new Date(start).toISOString()} – ${new Date(end).toISOString()} from ${scope.split('+')[0] ?? scope}, whose days would count twice`,
        {
          hint: 'pull a range that contains the earlier one (it is replaced) or one that does not overlap it',
        },
      );
    }
  }
  return { file: path.join(dir, `pull-${scope}-${since.getTime()}-${until.getTime()}.ndjson`), replaces };
}

/** Streams every batch through KPI aggregation and the OKR binder. */
export async function recompute(
  project: Project,
  okrSet: OkrSet | undefined,
  groupBy: GroupDimension[],
): Promise<{ table: KpiTable; bound?: ReturnType<OkrMetricsBinder['apply']>; rows: number }> {
  const dir = metricsDir(project);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.ndjson'))
        .sort()
    : [];
  const aggregator = new KpiAggregator({ groupBy });
  const binder = okrSet === undefined ? undefined : new OkrMetricsBinder(okrSet, { granularity: 'week' });
  const sinks: MetricsSink[] = binder === undefined ? [aggregator] : [aggregator, binder];
  let rows = 0;
  for (const file of files) {
    const summary = await ingestMetrics(createReadStream(path.join(dir, file)), {
      format: 'ndjson',
      into: sinks,
      sourceName: file,
    });
    rows += summary.accepted;
  }
  return { table: aggregator.result(), rows, ...(binder === undefined ? {} : { bound: binder.apply() }) };
}
