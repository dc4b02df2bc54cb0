import type { CampaignMetrics } from '@hubspoke/core';
import { detach } from '../../internal/detach.js';

/** Summed raw counts of a group of rows: the only thing KPIs are derived from (ratio of sums). */
export interface MetricSums {
  rows: number;
  sent: number;
  /** Summed per row under the ingest's delivered definition. */
  delivered: number;
  hardBounces: number;
  softBounces: number;
  uniqueOpens: number;
  totalOpens: number;
  machineOpens: number;
  uniqueClicks: number;
  totalClicks: number;
  unsubscribes: number;
  complaints: number;
  conversions: number;
  revenue: number;
  cost: number;
  /** The currency the rows stated, `null` when none did. */
  currency: string | null;
  /** True when rows stated different currencies: money KPIs are then withheld. */
  mixedCurrencies: boolean;
  /** First and last `date` among the rows, `null` when no row had one. */
  firstDate: string | null;
  lastDate: string | null;
}

export function emptySums(): MetricSums {
  return {
    rows: 0,
    sent: 0,
    delivered: 0,
    hardBounces: 0,
    softBounces: 0,
    uniqueOpens: 0,
    totalOpens: 0,
    machineOpens: 0,
    uniqueClicks: 0,
    totalClicks: 0,
    unsubscribes: 0,
    complaints: 0,
    conversions: 0,
    revenue: 0,
    cost: 0,
    currency: null,
    mixedCurrencies: false,
    firstDate: null,
    lastDate: null,
  };
}

/** Adds one validated row whose delivered count is `delivered`. Field by field, not a loop over SUM_FIELDS: this runs once per row. */
export function addRow(sums: MetricSums, row: CampaignMetrics, delivered: number): void {
  sums.rows += 1;
  sums.sent += row.sent;
  sums.delivered += delivered;
  sums.hardBounces += row.hardBounces;
  sums.softBounces += row.softBounces;
  sums.uniqueOpens += row.uniqueOpens;
  sums.totalOpens += row.totalOpens;
  sums.machineOpens += row.machineOpens;
  sums.uniqueClicks += row.uniqueClicks;
  sums.totalClicks += row.totalClicks;
  sums.unsubscribes += row.unsubscribes;
  sums.complaints += row.complaints;
  sums.conversions += row.conversions;
  sums.revenue += row.revenue;
  sums.cost += row.cost;
  const currency = row.currency;
  if (currency !== undefined && currency !== sums.currency) {
    if (sums.currency === null) sums.currency = detach(currency);
    else sums.mixedCurrencies = true;
  }
  const date = row.date;
  if (date !== undefined) {
    if (sums.firstDate === null || date < sums.firstDate) sums.firstDate = detach(date);
    if (sums.lastDate === null || date > sums.lastDate) sums.lastDate = detach(date);
  }
}

/** The summed fields of `MetricSums`, in a stable order (for merging and CSV columns). */
export const SUM_FIELDS = [
  'rows',
  'sent',
  'delivered',
  'hardBounces',
  'softBounces',
  'uniqueOpens',
  'totalOpens',
  'machineOpens',
  'uniqueClicks',
  'totalClicks',
  'unsubscribes',
  'complaints',
  'conversions',
  'revenue',
  'cost',
] as const;

/** Adds (sign 1) or takes away (sign −1) one group's sums (for totals, cumulative series, "the rest"). */
export function mergeSums(into: MetricSums, from: MetricSums, sign: 1 | -1 = 1): void {
  for (const field of SUM_FIELDS) into[field] += sign * from[field];
  if (from.mixedCurrencies) into.mixedCurrencies = true;
  if (from.currency !== null && from.currency !== into.currency) {
    if (into.currency === null) into.currency = from.currency;
    else into.mixedCurrencies = true;
  }
  if (from.firstDate !== null && (into.firstDate === null || from.firstDate < into.firstDate))
    into.firstDate = from.firstDate;
  if (from.lastDate !== null && (into.lastDate === null || from.lastDate > into.lastDate))
    into.lastDate = from.lastDate;
}
