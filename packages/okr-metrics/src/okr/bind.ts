import {
  type CampaignMetrics,
  type CampaignMetricsInput,
  type CheckIn,
  type Diagnostic,
  type KpiName,
  type OkrSet,
  checkArgs,
} from '@hubspoke/core';
import { z } from 'zod';
import { parse } from '@hubspoke/core';
import { diagnostic } from '../internal/diagnostic.js';
import { instantOption, isoInstant, isoWeek } from '../internal/time.js';
import { ADD_VALIDATED, type TrustedSink } from '../internal/trusted.js';
import {
  resolveDeliveredDefinition,
  resolveKpiDefinitions,
  type DeliveredDefinition,
  type KpiDefinitions,
  type KpiDefinitionsInput,
} from '../metrics/kpis/definitions.js';
import { compileFilters } from '../metrics/kpis/dimensions.js';
import type { MetricsSink } from '../metrics/ingest.js';
import { computeKpi, KPI_FORMULAS } from '../metrics/kpis/kpis.js';
import { addRow, emptySums, mergeSums, type MetricSums } from '../metrics/kpis/sums.js';
import { validateRow } from '../metrics/decoding/validate-row.js';
import { prepareOkrSet } from './prepare.js';

export const BindOptionsSchema = z
  .object({
    /** One check-in per key result (`latest`, default), or one per day or ISO week of data. */
    granularity: z.enum(['latest', 'day', 'week']).default('latest'),
    /**
     * `cumulative`: each check-in is the KPI of all matching rows from the period start (ratio of
     * sums to date). `bucket`: only that day's or week's rows. `auto` (default): cumulative for
     * increase/decrease/binary, bucket for maintain (a band is about each moment, not the running total).
     */
    window: z.enum(['auto', 'cumulative', 'bucket']).default('auto'),
    /** The check-in time for `latest` (default: the end of the last day with data). */
    at: z.union([z.string(), z.date()]).optional(),
  })
  .strict();
export type BindOptions = z.input<typeof BindOptionsSchema> & {
  definitions?: KpiDefinitionsInput;
  /** Used only for rows given to `add()` without `delivered` (ingest fills it in). */
  delivered?: DeliveredDefinition;
};

interface Binding {
  objective: number;
  keyResult: number;
  objectiveId: string;
  keyResultId: string;
  kpi: KpiName;
  percent: boolean;
  window: 'cumulative' | 'bucket';
  start: string;
  end: string;
  accepts: ((row: CampaignMetrics) => boolean) | undefined;
  byDate: Map<string, MetricSums>;
  undated: number;
  /** Binary key results: the bounds within which the KPI means "achieved". */
  achievedWhen: { atLeast?: number | undefined; atMost?: number | undefined } | undefined;
}

export interface AddedCheckIn {
  objectiveId: string;
  keyResultId: string;
  checkIn: CheckIn;
}

export interface BindResult {
  /** The set with the new check-ins (earlier metrics check-ins at the same instant are replaced, so re-imports do not duplicate). */
  okrSet: OkrSet;
  added: AddedCheckIn[];
  diagnostics: Diagnostic[];
}

const BINDABLE = new Set(['increase', 'decrease', 'maintain', 'binary']);

function meets(value: number, bounds: NonNullable<Binding['achievedWhen']>): boolean {
  return (
    (bounds.atLeast === undefined || value >= bounds.atLeast) && (bounds.atMost === undefined || value <= bounds.atMost)
  );
}

function describeBounds(bounds: NonNullable<Binding['achievedWhen']>): string {
  return [
    bounds.atLeast === undefined ? '' : `≥ ${String(bounds.atLeast)}`,
    bounds.atMost === undefined ? '' : `≤ ${String(bounds.atMost)}`,
  ]
    .filter((p) => p !== '')
    .join(' and ');
}

/**
 * A metrics sink that turns rows into check-ins for every key result bound to a KPI
 * (`binding: { kpi, filters }`): rows matching the filters and dated within the objective's
 * period are summed per day, and `apply()` adds the KPI (a ratio of sums) as check-ins with
 * `source: 'metrics'`. Memory grows with bound key results × days, never with rows.
 */
export class OkrMetricsBinder implements MetricsSink, TrustedSink {
  private readonly set: OkrSet;
  private readonly bindings: Binding[] = [];
  private readonly diagnostics: Diagnostic[];
  private readonly definitions: KpiDefinitions;
  private readonly delivered: DeliveredDefinition;
  private readonly options: z.output<typeof BindOptionsSchema>;

  constructor(okrSet: unknown, options: BindOptions = {}) {
    // Checked before the spread below (a 10 MB string would become ten million keys).
    checkArgs('OkrMetricsBinder', ['okrSet:any', 'options:object'], [okrSet, options]);
    const { definitions, delivered, ...rest } = options;
    this.options = parse(BindOptionsSchema, rest, 'options');
    this.definitions = resolveKpiDefinitions(definitions, 'options.definitions');
    this.delivered = resolveDeliveredDefinition(delivered, 'options.delivered');
    const prepared = prepareOkrSet(okrSet);
    this.set = prepared.set;
    this.diagnostics = [];
    this.set.objectives.forEach((objective, i) => {
      objective.keyResults.forEach((kr, k) => {
        if (kr.binding === undefined) return;
        const path = `okrSet.objectives[${i}].keyResults[${k}].binding`;
        if (!BINDABLE.has(kr.kind)) {
          this.diagnostics.push(
            diagnostic(
              'okr/binding-unsupported',
              'error',
              `Key result ${kr.id} is "${kr.kind}": only increase, decrease, maintain and binary key results can be bound to a KPI`,
              path,
            ),
          );
          return;
        }
        const { achievedWhen } = kr.binding;
        if (kr.kind === 'binary' && achievedWhen === undefined) {
          this.diagnostics.push(
            diagnostic(
              'okr/binding-unsupported',
              'error',
              `Key result ${kr.id} is binary: its binding needs achievedWhen (e.g. { "atLeast": 3.5 }) to say which KPI value counts as achieved`,
              `${path}.achievedWhen`,
            ),
          );
          return;
        }
        if (kr.kind !== 'binary' && achievedWhen !== undefined) {
          this.diagnostics.push(
            diagnostic(
              'okr/binding-ignored',
              'warning',
              `achievedWhen applies to binary key results only; ${kr.id} is "${kr.kind}" and scores against its target`,
              `${path}.achievedWhen`,
            ),
          );
        }
        const window =
          this.options.window === 'auto' ? (kr.kind === 'maintain' ? 'bucket' : 'cumulative') : this.options.window;
        this.bindings.push({
          objective: i,
          keyResult: k,
          objectiveId: objective.id,
          keyResultId: kr.id,
          kpi: kr.binding.kpi,
          percent: kr.unit === '%' && KPI_FORMULAS[kr.binding.kpi].kind === 'rate',
          window,
          start: objective.period.start,
          end: objective.period.end,
          accepts: compileFilters(kr.binding.filters, `${path}.filters`),
          byDate: new Map(),
          undated: 0,
          achievedWhen: kr.kind === 'binary' ? achievedWhen : undefined,
        });
      });
    });
  }

  /** Adds a row after validating it like ingest does; throws `E_VALIDATION` for a bad row. */
  add(row: CampaignMetricsInput): void {
    this[ADD_VALIDATED](validateRow(row, this.delivered));
  }

  /** @internal The ingest pipeline's entry: rows already validated, `delivered` resolved. */
  [ADD_VALIDATED](row: CampaignMetrics): void {
    for (const b of this.bindings) {
      if (b.accepts?.(row) === false) continue;
      const date = row.date;
      if (date === undefined) {
        b.undated++;
        continue;
      }
      if (date < b.start || date > b.end) continue;
      let sums = b.byDate.get(date);
      if (sums === undefined) {
        sums = emptySums();
        b.byDate.set(date, sums);
      }
      addRow(sums, row, row.delivered ?? 0);
    }
  }

  /** The set with check-ins for the metrics added so far. Can be called again after more rows. */
  apply(): BindResult {
    const diagnostics = [...this.diagnostics];
    const added: AddedCheckIn[] = [];
    const at =
      this.options.at === undefined ? undefined : isoInstant(instantOption(this.options.at, 'options.at', () => 0));
    const set = structuredClone(this.set);
    for (const b of this.bindings) {
      const kr = set.objectives[b.objective]?.keyResults[b.keyResult];
      if (kr === undefined) continue;
      const path = `okrSet.objectives[${b.objective}].keyResults[${b.keyResult}].binding`;
      if (b.undated > 0) {
        diagnostics.push(
          diagnostic(
            'metrics/undated-rows',
            'warning',
            `${b.undated} matching rows for ${b.keyResultId} have no date and were left out (a period needs dates)`,
            path,
            { rows: b.undated },
          ),
        );
      }
      const dates = [...b.byDate.keys()].sort();
      if (dates.length === 0) {
        diagnostics.push(
          diagnostic(
            'metrics/no-matching-rows',
            'suggestion',
            `No metrics rows matched ${b.keyResultId} (${b.kpi}) within its period`,
            path,
          ),
        );
        continue;
      }
      const fresh: CheckIn[] = [];
      const running = emptySums();
      for (const bucket of buckets(dates, this.options.granularity)) {
        const sums = emptySums();
        for (const date of bucket) mergeSums(sums, b.byDate.get(date) ?? emptySums());
        mergeSums(running, sums);
        const measured = b.window === 'cumulative' ? running : sums;
        const kpi = computeKpi(measured, b.kpi, this.definitions);
        const lastDate = bucket[bucket.length - 1] ?? '';
        if (kpi.value === null) {
          diagnostics.push(
            diagnostic(
              'metrics/no-kpi-value',
              'warning',
              `${b.kpi} for ${b.keyResultId} up to ${lastDate} has no value (${kpi.gap ?? 'unknown'}); no check-in added`,
              path,
              { kpi: b.kpi, gap: kpi.gap },
            ),
          );
          continue;
        }
        // 12 significant digits: 0.035 × 100 is stored as 3.5, not 3.5000000000000004.
        const value = Number((b.percent ? kpi.value * 100 : kpi.value).toPrecision(12));
        const note = `${b.kpi} from ${measured.rows} rows${kpi.denominator === null ? '' : ` (${kpi.numerator} / ${kpi.denominator})`}`;
        const when = this.options.granularity === 'latest' && at !== undefined ? at : `${lastDate}T23:59:59.000Z`;
        if (b.achievedWhen === undefined) fresh.push({ at: when, value, note, source: 'metrics' });
        // A binary check-in holds no value (scoring would ignore it): the note says what was measured.
        else
          fresh.push({
            at: when,
            achieved: meets(value, b.achievedWhen),
            note: `${note} = ${String(value)}; achieved when ${describeBounds(b.achievedWhen)}`,
            source: 'metrics',
          });
      }
      const replaced = new Set(fresh.map((c) => Date.parse(c.at)));
      kr.checkIns = [
        ...kr.checkIns.filter((c) => !(c.source === 'metrics' && replaced.has(Date.parse(c.at)))),
        ...fresh,
      ].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
      for (const checkIn of fresh) added.push({ objectiveId: b.objectiveId, keyResultId: b.keyResultId, checkIn });
    }
    return { okrSet: set, added, diagnostics };
  }
}

function buckets(dates: readonly string[], granularity: 'latest' | 'day' | 'week'): string[][] {
  if (granularity === 'latest') return [[...dates]];
  if (granularity === 'day') return dates.map((d) => [d]);
  const weeks = new Map<string, string[]>();
  for (const d of dates) {
    const w = isoWeek(d);
    weeks.set(w, [...(weeks.get(w) ?? []), d]);
  }
  return [...weeks.values()];
}
