import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  describeValue,
  HubspokeError,
  isHubspokeError,
  METRIC_DIMENSIONS,
  type CampaignMetrics,
  type Diagnostic,
  type OkrSet,
  type Principal,
} from '@hubspoke/core';
import {
  KpiAggregator,
  metricsFormatOf,
  OkrMetricsBinder,
  readMetrics,
  type AddedCheckIn,
  type GroupDimension,
  type KpiTable,
  type MetricsSource,
} from '@hubspoke/okr-metrics';
import { connectorOf } from './connectors.js';
import type { Hub } from './hub.js';
import { fsError } from './io/fs-error.js';
import type { HubStore, MetricBatchSpec } from './store/hub-store.js';

/** One input of an import: a file (its path names the batch) or data under a name. */
export interface MetricsInput {
  /** Names the batch: importing the same name again replaces it. For a file: its path. */
  name: string;
  /** A file to read (relative paths: to the hub's folder); without it, `data` is read. */
  file?: string;
  /** CSV or NDJSON text or bytes (a string, a stream, an async iterable). */
  data?: MetricsSource;
  /** `csv` or `ndjson` (default: by the name's extension). */
  format?: 'csv' | 'ndjson';
}

export interface MetricsOptions {
  /** KPI table dimensions (default `['region']`). */
  groupBy?: readonly string[];
  /** Report bad rows and import the rest (default: the first bad row stops the import). */
  skipInvalid?: boolean;
  signal?: AbortSignal;
}

export interface MetricsResult {
  /** Rows imported by this call. */
  imported: number;
  /** Rows rejected, per input name (with `skipInvalid`). */
  rejected: Record<string, number>;
  /** Rows over all batches the KPIs were computed from. */
  rows: number;
  table: KpiTable;
  /** Check-ins added to key results bound to a KPI (saved with the OKRs). */
  checkIns: AddedCheckIn[];
  /** Rejected rows, and what the KPI table and the binder had to say. */
  diagnostics: Diagnostic[];
}

const CHUNK = 500;

/** `region,campaignId` → checked dimensions. */
export function groupByOf(dims: readonly string[] | undefined): GroupDimension[] {
  const list: readonly unknown[] = dims ?? ['region'];
  if (!Array.isArray(list))
    throw new HubspokeError('E_VALIDATION', 'groupBy: expected a list of dimensions', { path: 'groupBy' });
  for (const d of list)
    if (typeof d !== 'string')
      throw new HubspokeError('E_VALIDATION', 'groupBy: expected dimension names (strings)', { path: 'groupBy' });
    else if (!(METRIC_DIMENSIONS as readonly string[]).includes(d) && !d.startsWith('dimensions.'))
      throw new HubspokeError(
        'E_VALIDATION',
        `groupBy: ${describeValue(d)} is not one of ${METRIC_DIMENSIONS.join(', ')} (or dimensions.<name>)`,
        { path: 'groupBy' },
      );
  return list as GroupDimension[];
}

/** Writes validated rows into a pending batch a chunk at a time; memory stays flat. */
async function fill(
  store: HubStore,
  spec: MetricBatchSpec,
  rows: AsyncIterable<CampaignMetrics>,
  regions: Set<string | undefined>,
): Promise<{ id: string; rows: number }> {
  const id = await store.beginMetricBatch(spec);
  let count = 0;
  let chunk: CampaignMetrics[] = [];
  try {
    for await (const row of rows) {
      regions.add(row.region);
      chunk.push(row);
      if (chunk.length === CHUNK) {
        await store.appendMetricRows(id, count, chunk);
        count += chunk.length;
        chunk = [];
      }
    }
    await store.appendMetricRows(id, count, chunk);
    return { id, rows: count + chunk.length };
  } catch (e) {
    await store.abortMetricBatch(id).catch(() => undefined);
    throw e;
  }
}

/** Refuses, before anything is read, a principal who may import metrics for nothing of their own. */
async function mayImport(hub: Hub, principal: Principal): Promise<void> {
  await hub.authorize(principal, 'metrics.import', {
    region: principal.regions[0],
    team: principal.teams[0],
    ownerId: principal.id,
  });
}

/** Every region the rows name must be one the principal may import metrics for. */
async function authorizeRegions(hub: Hub, principal: Principal, regions: Set<string | undefined>): Promise<void> {
  for (const region of regions) await hub.authorize(principal, 'metrics.import', { region });
}

async function commit(
  hub: Hub,
  principal: Principal,
  batches: { id: string; rows: number }[],
  replaces: string[],
  regions: Set<string | undefined>,
  options: MetricsOptions,
): Promise<void> {
  const { store } = await hub.state();
  try {
    await authorizeRegions(hub, principal, regions);
    if (options.signal?.aborted === true)
      throw new HubspokeError('E_ABORTED', 'interrupted', { hint: 'run it again to finish' });
  } catch (e) {
    for (const b of batches) await store.abortMetricBatch(b.id).catch(() => undefined);
    throw e;
  }
  await store.commitMetricBatches(batches, replaces, principal.id);
}

/**
 * Imports CSV or NDJSON raw counts, streamed and validated, each input into its own batch; the
 * batches become visible together or not at all, and an input imported again replaces its batch.
 * Needs `metrics.import` for every region the rows name. KPIs are then computed over every batch
 * and key results bound to a KPI get check-ins, saved with the hub's OKRs.
 */
export async function importMetrics(
  hub: Hub,
  principal: Principal,
  inputs: readonly MetricsInput[],
  options: MetricsOptions = {},
): Promise<MetricsResult> {
  const groupBy = groupByOf(options.groupBy);
  await mayImport(hub, principal);
  const { store } = await hub.state();
  const batches: { id: string; rows: number }[] = [];
  const regions = new Set<string | undefined>();
  const rejected: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  try {
    // An input named twice is read once.
    for (const input of new Map(inputs.map((i) => [i.name, i])).values()) {
      const source =
        input.file === undefined ? input.data : await openFile(path.resolve(hub.dir, input.file), input.name);
      if (source === undefined)
        throw new HubspokeError('E_VALIDATION', `metrics ${input.name}: give a file or data`, { path: 'data' });
      rejected[input.name] = 0;
      const rows = readMetrics(source, {
        format: input.format ?? metricsFormatOf(input.name),
        sourceName: input.name,
        onInvalidRow: options.skipInvalid === true ? 'skip' : 'throw',
        maxDiagnostics: 10_000,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onDiagnostic: (d) => {
          rejected[input.name] = (rejected[input.name] ?? 0) + 1;
          diagnostics.push(d);
        },
      });
      const key = `import:${input.file === undefined ? input.name : path.relative(hub.dir, path.resolve(hub.dir, input.file))}`;
      batches.push(await fill(store, { key, kind: 'import', source: input.name }, rows, regions));
    }
  } catch (e) {
    for (const b of batches) await store.abortMetricBatch(b.id).catch(() => undefined);
    throw e;
  }
  await commit(hub, principal, batches, [], regions, options);
  const imported = batches.reduce((n, b) => n + b.rows, 0);
  const result = await recompute(hub, principal, groupBy);
  return { ...result, imported, rejected, diagnostics: [...diagnostics, ...result.diagnostics] };
}

export interface PullOptions extends MetricsOptions {
  /** A connector of the hub's settings that can pull metrics. */
  connector?: string;
  since: Date;
  until: Date;
  /** Campaign ids on the platform, where it needs them. */
  campaignIds?: readonly string[];
}

/** What a pull covers besides its dates: the connector instance, and the campaigns when named. */
export function pullScope(instance: string, campaignIds: readonly string[] | undefined): string {
  if (campaignIds === undefined || campaignIds.length === 0) return instance;
  return `${instance}+${createHash('sha256')
    .update([...campaignIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 10)}`;
}

/**
 * Pulls raw counts from a connector for `[since, until]` into a batch. It replaces earlier pulls
 * of the same scope inside its range; one that partly overlaps an earlier pull is `E_CONFLICT`
 * (the days they share would count twice).
 */
export async function pullMetrics(hub: Hub, principal: Principal, options: PullOptions): Promise<MetricsResult> {
  const groupBy = groupByOf(options.groupBy);
  const { since, until } = options;
  for (const [key, value] of [
    ['since', since],
    ['until', until],
  ] as const)
    if (!(value instanceof Date)) throw new HubspokeError('E_VALIDATION', `${key}: expected a Date`, { path: key });
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime()) || until < since)
    throw new HubspokeError('E_VALIDATION', 'until: expected a time at or after since', { path: 'until' });
  await mayImport(hub, principal);
  const connector = await connectorOf(hub, options.connector);
  if (connector.pullMetrics === undefined)
    throw new HubspokeError('E_UNSUPPORTED', `${connector.manifest.id} cannot pull metrics`);
  const scope = pullScope(connector.instance, options.campaignIds);
  const { store } = await hub.state();
  const replaces: string[] = [];
  for (const b of await store.metricBatches()) {
    if (b.kind !== 'pull' || b.scope !== scope || b.since === undefined || b.until === undefined) continue;
    if (since <= b.since && b.until <= until) replaces.push(b.id);
    else if (b.since <= until && since <= b.until)
      throw new HubspokeError(
        'E_CONFLICT',
        `metrics pull: ${since.toISOString()} – ${until.toISOString()} overlaps the earlier pull of ${b.since.toISOString()} – ${b.until.toISOString()} from ${scope.split('+')[0] ?? scope}, whose days would count twice`,
        {
          details: { reason: 'overlap' },
          hint: 'pull a range that contains the earlier one (it is replaced) or one that does not overlap it',
        },
      );
  }
  const query = {
    since: since.toISOString(),
    until: until.toISOString(),
    ...(options.campaignIds === undefined ? {} : { campaignIds: [...options.campaignIds] }),
  };
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const rows = readMetrics(connector.pullMetrics(query, signal), {
    format: 'objects',
    sourceName: connector.manifest.id,
    ...signal,
  });
  const regions = new Set<string | undefined>();
  const batch = await fill(
    store,
    {
      key: `pull:${scope}:${since.getTime()}:${until.getTime()}`,
      kind: 'pull',
      source: connector.manifest.id,
      scope,
      since,
      until,
    },
    rows,
    regions,
  );
  await commit(hub, principal, [batch], replaces, regions, options);
  return { ...(await recompute(hub, principal, groupBy)), imported: batch.rows, rejected: {} };
}

/** Streams every batch through the KPI table and the OKR binder; saves the OKRs with their new check-ins. */
async function recompute(
  hub: Hub,
  principal: Principal,
  groupBy: GroupDimension[],
): Promise<Omit<MetricsResult, 'imported' | 'rejected'>> {
  const { store } = await hub.state();
  let okrs: OkrSet | undefined;
  try {
    okrs = await hub.okrs();
  } catch (e) {
    if (!isHubspokeError(e, 'E_NOT_FOUND')) throw e;
  }
  const aggregator = new KpiAggregator({ groupBy });
  const binder = okrs === undefined ? undefined : new OkrMetricsBinder(okrs, { granularity: 'week' });
  let rows = 0;
  for (const batch of await store.metricBatches()) {
    for await (const row of store.metricRows(batch.id)) {
      aggregator.add(row);
      binder?.add(row);
      rows += 1;
    }
  }
  const table = aggregator.result();
  const bound = binder?.apply();
  if (bound !== undefined) await hub.source.saveOkrs(bound.okrSet, principal.id);
  return {
    rows,
    table,
    checkIns: bound?.added ?? [],
    diagnostics: [...table.diagnostics, ...(bound?.diagnostics ?? [])],
  };
}

/** A readable stream of a file, failing early and clearly when it cannot be read. */
async function openFile(file: string, shown: string): Promise<NodeJS.ReadableStream> {
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    throw fsError(e, 'read the metrics file', shown);
  }
  if (!info.isFile())
    throw new HubspokeError('E_VALIDATION', `metrics import: ${shown} is not a file`, { path: shown });
  return createReadStream(file);
}
