import type { CampaignMetrics } from '@hubspoke/core';

/** A row whose counts contradict each other (each count valid on its own). */
export interface Inconsistency {
  ruleId: string;
  field: keyof CampaignMetrics;
  message: string;
}

function exceeds(
  ruleId: string,
  field: keyof CampaignMetrics,
  value: number,
  limitName: string,
  limit: number,
  what: string = field,
): Inconsistency {
  return { ruleId, field, message: `${what} (${value}) is greater than ${limitName} (${limit})` };
}

/**
 * Counts that cannot all be true at once: more bounces than sends, more unique clicks than
 * delivered emails, more machine opens than opens… `delivered` is the row's delivered count
 * under the chosen definition. Totals are only compared with uniques when reported (> 0).
 */
export function findInconsistency(row: CampaignMetrics, delivered: number): Inconsistency | undefined {
  const bounces = row.hardBounces + row.softBounces;
  if (bounces > row.sent)
    return exceeds(
      'metrics/bounces-exceed-sent',
      'hardBounces',
      bounces,
      'sent',
      row.sent,
      'hardBounces + softBounces',
    );
  if (row.delivered !== undefined && row.delivered > row.sent)
    return exceeds('metrics/delivered-exceeds-sent', 'delivered', row.delivered, 'sent', row.sent);
  if (delivered < 0)
    return {
      ruleId: 'metrics/negative-delivered',
      field: 'delivered',
      message: `delivered comes out negative (${delivered})`,
    };
  if (row.uniqueOpens > delivered)
    return exceeds('metrics/exceeds-delivered', 'uniqueOpens', row.uniqueOpens, 'delivered', delivered);
  if (row.uniqueClicks > delivered)
    return exceeds('metrics/exceeds-delivered', 'uniqueClicks', row.uniqueClicks, 'delivered', delivered);
  if (row.unsubscribes > delivered)
    return exceeds('metrics/exceeds-delivered', 'unsubscribes', row.unsubscribes, 'delivered', delivered);
  if (row.complaints > delivered)
    return exceeds('metrics/exceeds-delivered', 'complaints', row.complaints, 'delivered', delivered);
  if (row.machineOpens > row.uniqueOpens)
    return exceeds(
      'metrics/machine-opens-exceed-opens',
      'machineOpens',
      row.machineOpens,
      'uniqueOpens',
      row.uniqueOpens,
    );
  if (row.totalOpens > 0 && row.uniqueOpens > row.totalOpens)
    return exceeds('metrics/unique-exceeds-total', 'uniqueOpens', row.uniqueOpens, 'totalOpens', row.totalOpens);
  if (row.totalClicks > 0 && row.uniqueClicks > row.totalClicks)
    return exceeds('metrics/unique-exceeds-total', 'uniqueClicks', row.uniqueClicks, 'totalClicks', row.totalClicks);
  return undefined;
}
