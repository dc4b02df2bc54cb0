import { HubspokeError, type Diagnostic, type KpiName } from '@hubspoke/core';
import { diagnostic } from '../../internal/diagnostic.js';
import { ratio } from '../../internal/math.js';
import { twoProportionZTest, wilsonInterval, zForConfidence, type Interval } from '../../stats/significance.js';
import type { KpiGroup, KpiTable } from './aggregate.js';
import type { KpiDefinitions } from './definitions.js';
import { assertKpiName, computeKpi, KPI_FORMULAS } from './kpis.js';
import { emptySums, mergeSums, type MetricSums } from './sums.js';

export interface CompareOptions {
  kpi: KpiName;
  /** The group (by label, e.g. `variant=A`) every other group is tested against; default: each group against the rest pooled. */
  baseline?: string;
  /** Confidence level for intervals and the significance threshold (default 0.95, i.e. α = 0.05). */
  confidence?: number;
  /** `bonferroni` multiplies each p-value by the number of tests (many spokes → fewer false alarms). Default `none`. */
  correction?: 'none' | 'bonferroni';
}

export type Verdict = 'better' | 'worse' | 'no-difference' | 'insufficient-data';

export interface GroupComparison {
  label: string;
  key: KpiGroup['key'];
  value: number | null;
  successes: number;
  trials: number;
  /** Wilson score interval at the chosen confidence. */
  interval: Interval | null;
  /** What it was tested against: the baseline label or `rest`. */
  versus: string;
  versusValue: number | null;
  /** value − versusValue (absolute, in rate units). */
  difference: number | null;
  /** difference ÷ versusValue. */
  relativeLift: number | null;
  z: number | null;
  pValue: number | null;
  /** The p-value after the correction (equal to `pValue` with `none`). */
  adjustedPValue: number | null;
  significant: boolean;
  verdict: Verdict;
}

export interface RankedGroup {
  rank: number;
  label: string;
  key: KpiGroup['key'];
  value: number | null;
  interval: Interval | null;
  /** What the ranking sorts by: the interval's pessimistic end for rates, else the value. */
  rankedBy: number | null;
}

export interface Comparison {
  kpi: KpiName;
  confidence: number;
  correction: 'none' | 'bonferroni';
  higherIsBetter: boolean;
  baseline: string;
  groups: GroupComparison[];
  diagnostics: Diagnostic[];
}

interface Proportion {
  successes: number;
  trials: number;
}

function proportionOf(sums: MetricSums, kpi: KpiName, definitions: KpiDefinitions): Proportion | null {
  const formula = KPI_FORMULAS[kpi];
  const successes = formula.numerator(sums, definitions);
  const trials = formula.denominator?.(sums, definitions) ?? 0;
  if (!(Number.isSafeInteger(successes) && Number.isSafeInteger(trials) && successes >= 0 && successes <= trials))
    return null;
  return { successes, trials };
}

function checkTable(table: unknown): KpiTable {
  if (
    typeof table !== 'object' ||
    table === null ||
    !Array.isArray((table as KpiTable).groups) ||
    typeof (table as KpiTable).definitions !== 'object'
  ) {
    throw new HubspokeError('E_VALIDATION', 'table: expected the result of KpiAggregator.result()', { path: 'table' });
  }
  return table as KpiTable;
}

/**
 * Tests each group against a baseline group (or the rest pooled) on a rate KPI with a
 * two-proportion z-test and Wilson intervals, so a spoke can tell a real difference from
 * noise. Counts and amounts (revenue, ROI…) are not proportions: `E_UNSUPPORTED`.
 */
export function compareGroups(table: KpiTable, options: CompareOptions): Comparison {
  const t = checkTable(table);
  const kpi = assertKpiName(options.kpi, 'options.kpi');
  const formula = KPI_FORMULAS[kpi];
  if (!formula.proportion) {
    throw new HubspokeError(
      'E_UNSUPPORTED',
      `options.kpi: ${kpi} is not a rate of successes out of trials; significance tests apply to rates such as clickThroughRate`,
      { path: 'options.kpi' },
    );
  }
  const confidence = options.confidence ?? 0.95;
  zForConfidence(confidence);
  const correction: unknown = options.correction ?? 'none';
  if (correction !== 'none' && correction !== 'bonferroni')
    throw new HubspokeError('E_VALIDATION', 'options.correction: expected "none" or "bonferroni"', {
      path: 'options.correction',
    });
  const diagnostics: Diagnostic[] = [];
  const baselineGroup = options.baseline === undefined ? undefined : t.groups.find((g) => g.label === options.baseline);
  if (options.baseline !== undefined && baselineGroup === undefined) {
    throw new HubspokeError(
      'E_NOT_FOUND',
      `options.baseline: no group labelled ${JSON.stringify(options.baseline)}; groups are ${t.groups.map((g) => g.label).join(', ')}`,
      { path: 'options.baseline' },
    );
  }
  const total = emptySums();
  for (const g of t.groups) mergeSums(total, g.sums);

  const tested = t.groups.filter((g) => g !== baselineGroup);
  const rows = tested.map((g) => {
    const versusSums = baselineGroup?.sums ?? subtract(total, g.sums);
    const mine = proportionOf(g.sums, kpi, t.definitions);
    const theirs = proportionOf(versusSums, kpi, t.definitions);
    if (mine === null || theirs === null) {
      diagnostics.push(
        diagnostic(
          'metrics/not-a-proportion',
          'warning',
          `${kpi} of ${g.label} is not successes out of trials (e.g. more clicks than opens); it is not tested`,
          undefined,
          { group: g.label },
        ),
      );
    }
    const test = mine !== null && theirs !== null ? twoProportionZTest(mine, theirs) : null;
    if ((mine?.trials ?? 0) === 0 || (theirs?.trials ?? 0) === 0) {
      diagnostics.push(
        diagnostic(
          'metrics/zero-denominator',
          'warning',
          `${kpi} of ${g.label} (or what it is compared with) has no trials; it is not tested`,
          undefined,
          { group: g.label },
        ),
      );
    }
    return { g, mine, theirs, test };
  });
  const tests = rows.filter((r) => r.test?.pValue != null).length;
  const alpha = 1 - confidence;
  const groups = rows.map(({ g, mine, theirs, test }): GroupComparison => {
    const value = mine === null ? null : ratio(mine.successes, mine.trials);
    const versusValue = theirs === null ? null : ratio(theirs.successes, theirs.trials);
    const pValue = test?.pValue ?? null;
    const adjusted = pValue === null ? null : correction === 'bonferroni' ? Math.min(1, pValue * tests) : pValue;
    const significant = adjusted !== null && adjusted < alpha;
    const difference = value !== null && versusValue !== null ? value - versusValue : null;
    const verdict: Verdict =
      test === null
        ? 'insufficient-data'
        : !significant || difference === null || difference === 0
          ? 'no-difference'
          : difference > 0 === formula.higherIsBetter
            ? 'better'
            : 'worse';
    return {
      label: g.label,
      key: g.key,
      value,
      successes: mine?.successes ?? 0,
      trials: mine?.trials ?? 0,
      interval: mine === null ? null : wilsonInterval(mine.successes, mine.trials, confidence),
      versus: baselineGroup?.label ?? 'rest',
      versusValue,
      difference,
      relativeLift: difference === null || versusValue === null ? null : ratio(difference, versusValue),
      z: test?.z ?? null,
      pValue,
      adjustedPValue: adjusted,
      significant,
      verdict,
    };
  });
  return {
    kpi,
    confidence,
    correction,
    higherIsBetter: formula.higherIsBetter,
    baseline: baselineGroup?.label ?? 'rest',
    groups,
    diagnostics,
  };
}

function subtract(total: MetricSums, part: MetricSums): MetricSums {
  const rest = emptySums();
  mergeSums(rest, total);
  mergeSums(rest, part, -1);
  return rest;
}

/**
 * Ranks groups on a KPI, best first. Rates rank by the pessimistic end of their Wilson
 * interval (lower bound when higher is better, upper bound when lower is better), so a spoke
 * with 3 sends and 2 clicks does not outrank one with 30,000 sends; other KPIs rank by value.
 * Groups without a value come last.
 */
export function rankGroups(table: KpiTable, options: { kpi: KpiName; confidence?: number }): RankedGroup[] {
  const t = checkTable(table);
  const kpi = assertKpiName(options.kpi, 'options.kpi');
  const formula = KPI_FORMULAS[kpi];
  const confidence = options.confidence ?? 0.95;
  zForConfidence(confidence);
  const entries = t.groups.map((g) => {
    const p = formula.proportion ? proportionOf(g.sums, kpi, t.definitions) : null;
    const interval = p === null ? null : wilsonInterval(p.successes, p.trials, confidence);
    const value = computeKpi(g.sums, kpi, t.definitions).value;
    const rankedBy = formula.proportion
      ? interval === null
        ? null
        : formula.higherIsBetter
          ? interval.low
          : interval.high
      : value;
    return { label: g.label, key: g.key, value, interval, rankedBy };
  });
  const sign = formula.higherIsBetter ? -1 : 1;
  entries.sort((a, b) => {
    if (a.rankedBy === null || b.rankedBy === null) return a.rankedBy === null ? (b.rankedBy === null ? 0 : 1) : -1;
    return (
      sign * (a.rankedBy - b.rankedBy) || sign * ((a.value ?? 0) - (b.value ?? 0)) || a.label.localeCompare(b.label)
    );
  });
  return entries.map((e, i) => ({ rank: i + 1, ...e }));
}
