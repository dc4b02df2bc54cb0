import { HubspokeError, METRIC_DIMENSIONS, KPI_NAMES, type CampaignMetrics, type Diagnostic, type KpiName, type MetricDimension } from '@hubspoke/core';
import { ADD_VALIDATED, type TrustedSink } from '../internal/trusted.js';
import { isoWeek } from '../internal/time.js';
import { findInconsistency } from './consistency.js';
import { decodeMetricsRow } from './decode-row.js';
import { deliveredOf, resolveDeliveredDefinition, resolveKpiDefinitions, type DeliveredDefinition, type KpiDefinitions, type KpiDefinitionsInput } from './definitions.js';
import type { MetricsSink } from './ingest.js';
import { assertKpiName, computeKpi, kpiGapDiagnostic, type KpiValue } from './kpis.js';
import { addRow, emptySums, mergeSums, type MetricSums } from './sums.js';

/** A core metric dimension, or a custom one from a row's `dimensions`, written `dimensions.<name>`. */
export type GroupDimension = MetricDimension | `dimensions.${string}`;

/** Keep rows whose dimension equals the value (or one of the values). */
export type MetricFilters = Partial<Record<GroupDimension, string | readonly string[]>>;

export interface KpiAggregatorOptions {
  /** Dimensions to group by, in order; none = one group of everything. */
  groupBy?: readonly GroupDimension[];
  /** KPIs to compute (default: all of `KPI_NAMES`). */
  kpis?: readonly KpiName[];
  /** Denominators where vendors differ. */
  definitions?: KpiDefinitionsInput;
  /** Used only for rows given to `add()` without `delivered` (ingest fills it in). */
  delivered?: DeliveredDefinition;
  /** Only rows matching every filter count. */
  filters?: MetricFilters;
  /** Only rows whose `date` is within this inclusive range count (rows without a date are left out). */
  dateRange?: { start: string; end: string };
}

export interface KpiGroup {
  /** The group's value per dimension (`null`: rows without that dimension). */
  key: Partial<Record<GroupDimension, string | null>>;
  /** A readable label, e.g. `region=EMEA, week=2026-W10`. */
  label: string;
  sums: MetricSums;
  kpis: Partial<Record<KpiName, KpiValue>>;
}

export interface KpiTable {
  groupBy: GroupDimension[];
  kpis: KpiName[];
  definitions: KpiDefinitions;
  /** Sorted by key (missing values last). */
  groups: KpiGroup[];
  /** All counted rows together (ratio of sums again, not an average of the groups). */
  total: KpiGroup;
  /** Rows left out by `filters` or `dateRange`. */
  filteredOut: number;
  /** Why a KPI is empty (zero denominators, mixed currencies). */
  diagnostics: Diagnostic[];
}

type Reader = (row: CampaignMetrics) => string | undefined;

const weekCache = new Map<string, string>();
function weekOf(date: string): string {
  let week = weekCache.get(date);
  if (week === undefined) {
    if (weekCache.size > 10_000) weekCache.clear();
    week = isoWeek(date);
    weekCache.set(date, week);
  }
  return week;
}

function readerFor(dimension: unknown, path: string): Reader {
  if (typeof dimension === 'string' && /^dimensions\.[a-z][A-Za-z0-9_]*$/.test(dimension)) {
    const name = dimension.slice('dimensions.'.length);
    return (row) => row.dimensions?.[name];
  }
  if (!(METRIC_DIMENSIONS as readonly unknown[]).includes(dimension)) {
    const shown = typeof dimension === 'string' ? JSON.stringify(dimension.slice(0, 60)) : typeof dimension;
    throw new HubspokeError('E_VALIDATION', `${path}: unknown dimension ${shown}; expected one of ${METRIC_DIMENSIONS.join(', ')} or dimensions.<name>`, { path });
  }
  switch (dimension as MetricDimension) {
    case 'week':
      return (row) => (row.date === undefined ? undefined : weekOf(row.date));
    case 'month':
      return (row) => row.date?.slice(0, 7);
    case 'campaignId':
    case 'region':
    case 'locale':
    case 'team':
    case 'templateId':
    case 'variant':
    case 'platform':
    case 'date': {
      const field = dimension as Exclude<MetricDimension, 'week' | 'month'>;
      return (row) => row[field];
    }
  }
}

function filterValues(value: unknown, path: string): ReadonlySet<string> {
  if (typeof value === 'string') return new Set([value]);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return new Set(value as string[]);
  throw new HubspokeError('E_VALIDATION', `${path}: expected a string or a non-empty array of strings`, { path });
}

function compareKeys(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

interface Leaf {
  values: (string | null)[];
  sums: MetricSums;
}

/**
 * Groups rows by dimensions and sums their raw counts; KPIs are derived from the sums on
 * `result()`. Memory grows with the number of groups, never with the number of rows.
 */
export class KpiAggregator implements MetricsSink, TrustedSink {
  private readonly readers: Reader[];
  private readonly groupBy: GroupDimension[];
  private readonly kpiNames: KpiName[];
  private readonly definitions: KpiDefinitions;
  private readonly delivered: DeliveredDefinition;
  private readonly filters: { read: Reader; accepts: ReadonlySet<string> }[];
  private readonly dateRange: { start: string; end: string } | undefined;
  private readonly root = new Map<string | null, unknown>();
  private readonly leaves: Leaf[] = [];
  private filteredOut = 0;

  constructor(options: KpiAggregatorOptions = {}) {
    const groupBy = options.groupBy ?? [];
    if (!Array.isArray(groupBy)) throw new HubspokeError('E_VALIDATION', 'options.groupBy: expected an array of dimensions', { path: 'options.groupBy' });
    this.groupBy = [...groupBy];
    this.readers = this.groupBy.map((d, i) => readerFor(d, `options.groupBy[${i}]`));
    const kpis = options.kpis ?? KPI_NAMES;
    if (!Array.isArray(kpis)) throw new HubspokeError('E_VALIDATION', 'options.kpis: expected an array of KPI names', { path: 'options.kpis' });
    this.kpiNames = kpis.map((k, i) => assertKpiName(k, `options.kpis[${i}]`));
    this.definitions = resolveKpiDefinitions(options.definitions, 'options.definitions');
    this.delivered = resolveDeliveredDefinition(options.delivered, 'options.delivered');
    this.filters = Object.entries(options.filters ?? {}).map(([dimension, value]) => ({
      read: readerFor(dimension, `options.filters.${dimension}`),
      accepts: filterValues(value, `options.filters.${dimension}`),
    }));
    const range = options.dateRange;
    if (range !== undefined && !(typeof range.start === 'string' && typeof range.end === 'string' && range.start <= range.end)) {
      throw new HubspokeError('E_VALIDATION', 'options.dateRange: expected { start, end } dates with start ≤ end', { path: 'options.dateRange' });
    }
    this.dateRange = range;
  }

  /** Adds a row after validating it like ingest does; throws `E_VALIDATION` for a bad row. */
  add(row: CampaignMetrics): void {
    const decoded = decodeMetricsRow(row);
    if (!decoded.ok) throw decoded.error;
    const delivered = deliveredOf(decoded.value, this.delivered);
    const inconsistent = findInconsistency(decoded.value, delivered);
    if (inconsistent !== undefined) {
      throw new HubspokeError('E_VALIDATION', `row: ${inconsistent.message}`, { path: `row.${inconsistent.field}`, details: { ruleId: inconsistent.ruleId } });
    }
    this[ADD_VALIDATED]({ ...decoded.value, delivered });
  }

  /** @internal The ingest pipeline's entry: rows already validated, `delivered` resolved. */
  [ADD_VALIDATED](row: CampaignMetrics): void {
    for (const filter of this.filters) {
      const value = filter.read(row);
      if (value === undefined || !filter.accepts.has(value)) {
        this.filteredOut++;
        return;
      }
    }
    if (this.dateRange !== undefined && (row.date === undefined || row.date < this.dateRange.start || row.date > this.dateRange.end)) {
      this.filteredOut++;
      return;
    }
    addRow(this.leaf(row), row, row.delivered ?? 0);
  }

  private leaf(row: CampaignMetrics): MetricSums {
    let node = this.root;
    const last = this.readers.length - 1;
    for (let i = 0; i < last; i++) {
      // `null` keys the rows without this dimension; no string can collide with it.
      const key = this.readers[i]?.(row) ?? null;
      let next = node.get(key) as Map<string | null, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    const key = last < 0 ? null : (this.readers[last]?.(row) ?? null);
    let leaf = node.get(key) as Leaf | undefined;
    if (leaf === undefined) {
      leaf = { values: this.readers.map((read) => read(row) ?? null), sums: emptySums() };
      node.set(key, leaf);
      this.leaves.push(leaf);
    }
    return leaf.sums;
  }

  /** KPIs per group and in total, with a diagnostic for every KPI left empty. */
  result(): KpiTable {
    const diagnostics: Diagnostic[] = [];
    const toGroup = (values: readonly (string | null)[] | undefined, sums: MetricSums): KpiGroup => {
      const key: Partial<Record<GroupDimension, string | null>> = {};
      if (values !== undefined) this.groupBy.forEach((d, i) => (key[d] = values[i] ?? null));
      const label = values === undefined || this.groupBy.length === 0 ? 'total' : this.groupBy.map((d, i) => `${d}=${values[i] ?? '(none)'}`).join(', ');
      const kpis: Partial<Record<KpiName, KpiValue>> = {};
      for (const kpi of this.kpiNames) {
        const value = computeKpi(sums, kpi, this.definitions);
        kpis[kpi] = value;
        if (value.gap !== undefined) diagnostics.push(kpiGapDiagnostic(kpi, value.gap, label, { key }));
      }
      return { key, label, sums: { ...sums }, kpis };
    };
    const leaves = [...this.leaves].sort((a, b) => compareKeys(a.values, b.values));
    const groups = leaves.map((leaf) => toGroup(leaf.values, leaf.sums));
    const totalSums = emptySums();
    for (const leaf of leaves) mergeSums(totalSums, leaf.sums);
    const total = toGroup(undefined, totalSums);
    return { groupBy: [...this.groupBy], kpis: [...this.kpiNames], definitions: { ...this.definitions }, groups, total, filteredOut: this.filteredOut, diagnostics };
  }
}
