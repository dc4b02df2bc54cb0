import { CampaignMetricsSchema } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { findInconsistency } from './consistency.js';

const row = (over: Record<string, unknown>) =>
  CampaignMetricsSchema.parse({
    campaignId: 'c1',
    sent: 100,
    uniqueOpens: 40,
    totalOpens: 50,
    uniqueClicks: 10,
    totalClicks: 12,
    ...over,
  });

describe('findInconsistency', () => {
  it('accepts consistent counts', () => {
    expect(findInconsistency(row({}), 100)).toBeUndefined();
    // Totals that were not reported (0) are not compared with uniques.
    expect(findInconsistency(row({ totalOpens: 0, totalClicks: 0 }), 100)).toBeUndefined();
  });

  it.each([
    [
      { hardBounces: 80, softBounces: 30 },
      100,
      'metrics/bounces-exceed-sent',
      'hardBounces + softBounces (110) is greater than sent (100)',
    ],
    [{ delivered: 120 }, 100, 'metrics/delivered-exceeds-sent', 'delivered (120) is greater than sent (100)'],
    [{}, -1, 'metrics/negative-delivered', 'negative'],
    [
      { uniqueOpens: 10, totalOpens: 10, uniqueClicks: 20, totalClicks: 20 },
      15,
      'metrics/exceeds-delivered',
      'uniqueClicks (20) is greater than delivered (15)',
    ],
    [{ uniqueOpens: 40 }, 30, 'metrics/exceeds-delivered', 'uniqueOpens (40)'],
    [{ unsubscribes: 101 }, 100, 'metrics/exceeds-delivered', 'unsubscribes'],
    [{ complaints: 101 }, 100, 'metrics/exceeds-delivered', 'complaints'],
    [
      { machineOpens: 41 },
      100,
      'metrics/machine-opens-exceed-opens',
      'machineOpens (41) is greater than uniqueOpens (40)',
    ],
    [{ totalOpens: 30 }, 100, 'metrics/unique-exceeds-total', 'uniqueOpens (40) is greater than totalOpens (30)'],
    [{ totalClicks: 5 }, 100, 'metrics/unique-exceeds-total', 'uniqueClicks (10) is greater than totalClicks (5)'],
  ])('flags %o (delivered %d) as %s', (over, delivered, ruleId, message) => {
    const found = findInconsistency(row(over), delivered);
    expect(found?.ruleId).toBe(ruleId);
    expect(found?.message).toContain(message);
  });
});
