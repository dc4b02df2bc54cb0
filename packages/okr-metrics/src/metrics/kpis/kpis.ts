import { HubspokeError, KPI_NAMES, closest, type Diagnostic, type KpiName } from '@hubspoke/core';
import { diagnostic } from '../../internal/diagnostic.js';
import type { KpiDefinitions } from './definitions.js';
import type { MetricSums } from './sums.js';

export type KpiKind = 'count' | 'rate' | 'money' | 'ratio';

interface KpiFormula {
  kind: KpiKind;
  /** Which direction is good: a spoke wants more clicks and fewer complaints. */
  higherIsBetter: boolean;
  numerator: (s: MetricSums, d: KpiDefinitions) => number;
  /** `undefined` for counts and amounts, which are not ratios. */
  denominator?: (s: MetricSums, d: KpiDefinitions) => number;
  /** A share of a population (successes out of trials): significance tests and intervals apply. */
  proportion: boolean;
}

const humanOpens = (s: MetricSums): number => s.uniqueOpens - s.machineOpens;
const base = (s: MetricSums, b: 'delivered' | 'sent'): number => (b === 'sent' ? s.sent : s.delivered);

/** Every KPI as a ratio of sums (Σ numerator / Σ denominator), never an average of ratios. */
export const KPI_FORMULAS: Readonly<Record<KpiName, KpiFormula>> = {
  sent: { kind: 'count', higherIsBetter: true, proportion: false, numerator: (s) => s.sent },
  delivered: { kind: 'count', higherIsBetter: true, proportion: false, numerator: (s) => s.delivered },
  deliveryRate: {
    kind: 'rate',
    higherIsBetter: true,
    proportion: true,
    numerator: (s) => s.delivered,
    denominator: (s) => s.sent,
  },
  bounceRate: {
    kind: 'rate',
    higherIsBetter: false,
    proportion: true,
    numerator: (s) => s.hardBounces + s.softBounces,
    denominator: (s) => s.sent,
  },
  hardBounceRate: {
    kind: 'rate',
    higherIsBetter: false,
    proportion: true,
    numerator: (s) => s.hardBounces,
    denominator: (s) => s.sent,
  },
  softBounceRate: {
    kind: 'rate',
    higherIsBetter: false,
    proportion: true,
    numerator: (s) => s.softBounces,
    denominator: (s) => s.sent,
  },
  openRate: {
    kind: 'rate',
    higherIsBetter: true,
    proportion: true,
    numerator: (s) => s.uniqueOpens,
    denominator: (s, d) => base(s, d.openRateBase),
  },
  humanOpenRate: {
    kind: 'rate',
    higherIsBetter: true,
    proportion: true,
    numerator: humanOpens,
    denominator: (s, d) => base(s, d.openRateBase),
  },
  clickThroughRate: {
    kind: 'rate',
    higherIsBetter: true,
    proportion: true,
    numerator: (s) => s.uniqueClicks,
    denominator: (s, d) => base(s, d.clickThroughRateBase),
  },
  clickToOpenRate: {
    kind: 'rate',
    higherIsBetter: true,
    // Clicks can exceed opens (images blocked): tests check successes ≤ trials per group.
    proportion: true,
    numerator: (s) => s.uniqueClicks,
    denominator: (s, d) => (d.clickToOpenRateBase === 'humanOpens' ? humanOpens(s) : s.uniqueOpens),
  },
  unsubscribeRate: {
    kind: 'rate',
    higherIsBetter: false,
    proportion: true,
    numerator: (s) => s.unsubscribes,
    denominator: (s, d) => base(s, d.unsubscribeRateBase),
  },
  complaintRate: {
    kind: 'rate',
    higherIsBetter: false,
    proportion: true,
    numerator: (s) => s.complaints,
    denominator: (s, d) => base(s, d.complaintRateBase),
  },
  conversionRate: {
    kind: 'rate',
    higherIsBetter: true,
    proportion: true,
    numerator: (s) => s.conversions,
    denominator: (s, d) => (d.conversionRateBase === 'uniqueClicks' ? s.uniqueClicks : s.delivered),
  },
  revenue: { kind: 'money', higherIsBetter: true, proportion: false, numerator: (s) => s.revenue },
  cost: { kind: 'money', higherIsBetter: false, proportion: false, numerator: (s) => s.cost },
  roi: {
    kind: 'ratio',
    higherIsBetter: true,
    proportion: false,
    numerator: (s) => s.revenue - s.cost,
    denominator: (s) => s.cost,
  },
  roas: {
    kind: 'ratio',
    higherIsBetter: true,
    proportion: false,
    numerator: (s) => s.revenue,
    denominator: (s) => s.cost,
  },
};

const MONEY_KPIS: ReadonlySet<KpiName> = new Set(['revenue', 'cost', 'roi', 'roas']);

/** Why a KPI has no value. */
export type KpiGap = 'zero-denominator' | 'mixed-currencies' | 'not-finite';

export interface KpiValue {
  /** `null` when it cannot be computed (see `gap`); never NaN or Infinity. */
  value: number | null;
  numerator: number;
  /** `null` for counts and amounts. */
  denominator: number | null;
  gap?: KpiGap;
}

/** One KPI of summed counts. */
export function computeKpi(sums: MetricSums, kpi: KpiName, definitions: KpiDefinitions): KpiValue {
  const formula = KPI_FORMULAS[kpi];
  const numerator = formula.numerator(sums, definitions);
  const denominator = formula.denominator?.(sums, definitions) ?? null;
  if (MONEY_KPIS.has(kpi) && sums.mixedCurrencies)
    return { value: null, numerator, denominator, gap: 'mixed-currencies' };
  if (denominator === 0) return { value: null, numerator, denominator, gap: 'zero-denominator' };
  const value = denominator === null ? numerator : numerator / denominator;
  if (!Number.isFinite(value)) return { value: null, numerator, denominator, gap: 'not-finite' };
  return { value, numerator, denominator };
}

const GAP_MESSAGES: Record<KpiGap, string> = {
  'zero-denominator': 'its denominator is 0',
  'mixed-currencies': 'the rows state different currencies',
  'not-finite': 'the sums are too large to divide',
};

/** The diagnostic explaining why `kpi` has no value for `group`. */
export function kpiGapDiagnostic(
  kpi: KpiName,
  gap: KpiGap,
  group: string,
  data: Record<string, unknown> = {},
): Diagnostic {
  const ruleId =
    gap === 'zero-denominator'
      ? 'metrics/zero-denominator'
      : gap === 'mixed-currencies'
        ? 'metrics/mixed-currencies'
        : 'metrics/not-finite';
  return diagnostic(
    ruleId,
    gap === 'zero-denominator' ? 'warning' : 'error',
    `${kpi} of ${group} is left empty: ${GAP_MESSAGES[gap]}`,
    undefined,
    { kpi, group, ...data },
  );
}

/** Checks a KPI name from user input; unknown names get an error listing the known ones. */
export function assertKpiName(value: unknown, path: string): KpiName {
  if (typeof value === 'string' && (KPI_NAMES as readonly string[]).includes(value)) return value as KpiName;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : typeof value;
  const near = typeof value === 'string' ? closest(value, KPI_NAMES) : undefined;
  throw new HubspokeError(
    'E_VALIDATION',
    `${path}: unknown KPI ${shown}${near === undefined ? '' : ` (did you mean "${near}"?)`}; expected one of ${KPI_NAMES.join(', ')}`,
    {
      path,
      details: { received: shown, expected: [...KPI_NAMES], ...(near === undefined ? {} : { didYouMean: near }) },
    },
  );
}
