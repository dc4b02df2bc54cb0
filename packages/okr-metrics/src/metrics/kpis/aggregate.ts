import {
  KPI_NAMES,
  parse,
  PeriodSchema,
  type CampaignMetrics,
  type CampaignMetricsInput,
  type Diagnostic,
  type KpiName,
} from '@hubspoke/core';
import { z } from 'zod';
import { detach } from '../../internal/detach.js';
import { ADD_VALIDATED, type TrustedSink } from '../../internal/trusted.js';
import { compileFilters, readerFor, type GroupDimension, type MetricFilters, type Reader } from './dimensions.js';
import {
  resolveDeliveredDefinition,
  resolveKpiDefinitions,
  type DeliveredDefinition,
  type KpiDefinitions,
  type KpiDefinitionsInput,
} from './definitions.js';
import type { MetricsSink } from '../ingest.js';
import { assertKpiName, computeKpi, kpiGapDiagnostic, type KpiValue } from './kpis.js';
import { addRow, emptySums, mergeSums, type MetricSums } from './sums.js';
import { validateRow } from '../decoding/validate-row.js';

export type { GroupDimension, MetricFilters } from './dimensions.js';

const AggregatorOptionsSchema = z
  .object({
    groupBy: z.array(z.string()).default([]),
    kpis: z.array(z.string()).optional(),
    definitions: z.unknown().optional(),
    delivered: z.unknown().optional(),
    filters: z.unknown().optional(),
    dateRange: PeriodSchema.optional(),
  })
  .strict();

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
  readonly #readers: Reader[];
  readonly #groupBy: GroupDimension[];
  readonly #kpiNames: KpiName[];
  readonly #definitions: KpiDefinitions;
  readonly #delivered: DeliveredDefinition;
  readonly #accepts: ((row: CampaignMetrics) => boolean) | undefined;
  readonly #dateRange: { start: string; end: string } | undefined;
  readonly #root = new Map<string | null, unknown>();
  readonly #leaves: Leaf[] = [];
  #filteredOut = 0;

  constructor(options: KpiAggregatorOptions = {}) {
    const opts = parse(AggregatorOptionsSchema, options, 'options');
    this.#groupBy = opts.groupBy.map((d, i) => {
      readerFor(d, `options.groupBy[${i}]`);
      return d as GroupDimension;
    });
    this.#readers = this.#groupBy.map((d, i) => readerFor(d, `options.groupBy[${i}]`));
    this.#kpiNames = (opts.kpis ?? [...KPI_NAMES]).map((k, i) => assertKpiName(k, `options.kpis[${i}]`));
    this.#definitions = resolveKpiDefinitions(opts.definitions, 'options.definitions');
    this.#delivered = resolveDeliveredDefinition(opts.delivered, 'options.delivered');
    this.#accepts = compileFilters(opts.filters, 'options.filters');
    this.#dateRange = opts.dateRange;
  }

  /** Adds a row after validating it like ingest does; throws `E_VALIDATION` for a bad row. */
  add(row: CampaignMetricsInput): void {
    this[ADD_VALIDATED](validateRow(row, this.#delivered));
  }

  /** @internal The ingest pipeline's entry: rows already validated, `delivered` resolved. */
  [ADD_VALIDATED](row: CampaignMetrics): void {
    if (this.#accepts?.(row) === false) {
      this.#filteredOut++;
      return;
    }
    if (
      this.#dateRange !== undefined &&
      (row.date === undefined || row.date < this.#dateRange.start || row.date > this.#dateRange.end)
    ) {
      this.#filteredOut++;
      return;
    }
    addRow(this.#leaf(row), row, row.delivered ?? 0);
  }

  #leaf(row: CampaignMetrics): MetricSums {
    let node = this.#root;
    const last = this.#readers.length - 1;
    for (let i = 0; i < last; i++) {
      // `null` keys the rows without this dimension; no string can collide with it.
      const key = this.#readers[i]?.(row) ?? null;
      let next = node.get(key) as Map<string | null, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(key === null ? null : detach(key), next);
      }
      node = next;
    }
    const key = last < 0 ? null : (this.#readers[last]?.(row) ?? null);
    let leaf = node.get(key) as Leaf | undefined;
    if (leaf === undefined) {
      const values = this.#readers.map((read) => {
        const value = read(row);
        return value === undefined ? null : detach(value);
      });
      leaf = { values, sums: emptySums() };
      node.set(key === null ? null : detach(key), leaf);
      this.#leaves.push(leaf);
    }
    return leaf.sums;
  }

  /** KPIs per group and in total, with a diagnostic for every KPI left empty. */
  result(): KpiTable {
    const diagnostics: Diagnostic[] = [];
    const toGroup = (values: readonly (string | null)[] | undefined, sums: MetricSums): KpiGroup => {
      const key: Partial<Record<GroupDimension, string | null>> = {};
      if (values !== undefined) this.#groupBy.forEach((d, i) => (key[d] = values[i] ?? null));
      const label =
        values === undefined || this.#groupBy.length === 0
          ? 'total'
          : this.#groupBy.map((d, i) => `${d}=${values[i] ?? '(none)'}`).join(', ');
      const kpis: Partial<Record<KpiName, KpiValue>> = {};
      for (const kpi of this.#kpiNames) {
        const value = computeKpi(sums, kpi, this.#definitions);
        kpis[kpi] = value;
        if (value.gap !== undefined) diagnostics.push(kpiGapDiagnostic(kpi, value.gap, label, { key }));
      }
      return { key, label, sums: { ...sums }, kpis };
    };
    const leaves = [...this.#leaves].sort((a, b) => compareKeys(a.values, b.values));
    const groups = leaves.map((leaf) => toGroup(leaf.values, leaf.sums));
    const totalSums = emptySums();
    for (const leaf of leaves) mergeSums(totalSums, leaf.sums);
    const total = toGroup(undefined, totalSums);
    return {
      groupBy: [...this.#groupBy],
      kpis: [...this.#kpiNames],
      definitions: { ...this.#definitions },
      groups,
      total,
      filteredOut: this.#filteredOut,
      diagnostics,
    };
  }
}
