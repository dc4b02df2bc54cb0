import { describe, expect, it } from 'vitest';
import { KpiAggregator, type KpiTable } from './aggregate.js';
import { compareGroups, rankGroups } from './compare.js';

function table(
  groupBy: 'variant' | 'region',
  rows: { key: string; sent: number; clicks: number; complaints?: number; revenue?: number; cost?: number }[],
): KpiTable {
  const aggregator = new KpiAggregator({ groupBy: [groupBy] });
  for (const r of rows)
    aggregator.add({
      campaignId: 'c1',
      [groupBy]: r.key,
      sent: r.sent,
      uniqueClicks: r.clicks,
      complaints: r.complaints ?? 0,
      revenue: r.revenue ?? 0,
      cost: r.cost ?? 0,
    });
  return aggregator.result();
}

describe('compareGroups', () => {
  it('tests a variant against the baseline with a two-proportion z-test and Wilson intervals', () => {
    const t = table('variant', [
      { key: 'A', sent: 100, clicks: 30 },
      { key: 'B', sent: 100, clicks: 45 },
    ]);
    const result = compareGroups(t, { kpi: 'clickThroughRate', baseline: 'variant=A' });
    expect(result.groups).toHaveLength(1);
    const b = result.groups[0];
    expect(b).toMatchObject({
      label: 'variant=B',
      versus: 'variant=A',
      successes: 45,
      trials: 100,
      significant: true,
      verdict: 'better',
    });
    expect(b?.z).toBeCloseTo(2.1908902300206647, 9);
    expect(b?.pValue).toBeCloseTo(0.02845973691631057, 6);
    expect(b?.difference).toBeCloseTo(0.15, 12);
    expect(b?.relativeLift).toBeCloseTo(0.5, 12);
    expect(b?.interval?.low).toBeGreaterThan(0.3);
  });

  it('calls a small difference noise', () => {
    const t = table('variant', [
      { key: 'A', sent: 5000, clicks: 150 },
      { key: 'B', sent: 5000, clicks: 120 },
    ]);
    const b = compareGroups(t, { kpi: 'clickThroughRate', baseline: 'variant=A' }).groups[0];
    expect(b?.pValue).toBeCloseTo(0.06418394255379382, 6);
    expect(b?.verdict).toBe('no-difference');
  });

  it('compares each group with the rest pooled by default and knows lower is better for complaints', () => {
    const t = table('region', [
      { key: 'AMER', sent: 10000, clicks: 0, complaints: 30 },
      { key: 'EMEA', sent: 10000, clicks: 0, complaints: 5 },
    ]);
    const result = compareGroups(t, { kpi: 'complaintRate' });
    expect(result.baseline).toBe('rest');
    expect(result.higherIsBetter).toBe(false);
    expect(result.groups.map((g) => [g.label, g.verdict])).toEqual([
      ['region=AMER', 'worse'],
      ['region=EMEA', 'better'],
    ]);
  });

  it('applies a Bonferroni correction across the tests', () => {
    const t = table('variant', [
      { key: 'A', sent: 10000, clicks: 300 },
      { key: 'B', sent: 10000, clicks: 350 },
      { key: 'C', sent: 10000, clicks: 300 },
    ]);
    const plain = compareGroups(t, { kpi: 'clickThroughRate', baseline: 'variant=A' });
    const corrected = compareGroups(t, { kpi: 'clickThroughRate', baseline: 'variant=A', correction: 'bonferroni' });
    expect(plain.groups[0]?.significant).toBe(true);
    expect(corrected.groups[0]?.adjustedPValue).toBeCloseTo(2 * (plain.groups[0]?.pValue ?? 0), 9);
    expect(corrected.groups[0]?.significant).toBe(false);
  });

  it('does not test groups without trials, and says why', () => {
    const t = table('variant', [
      { key: 'A', sent: 100, clicks: 5 },
      { key: 'B', sent: 0, clicks: 0 },
    ]);
    const result = compareGroups(t, { kpi: 'clickThroughRate', baseline: 'variant=A' });
    expect(result.groups[0]).toMatchObject({
      verdict: 'insufficient-data',
      z: null,
      pValue: null,
      value: null,
      interval: null,
    });
    expect(result.diagnostics.some((d) => d.ruleId === 'metrics/zero-denominator')).toBe(true);
  });

  it('refuses KPIs that are not proportions, unknown baselines and bad options', () => {
    const t = table('variant', [{ key: 'A', sent: 10, clicks: 1 }]);
    expect(() => compareGroups(t, { kpi: 'revenue' })).toThrow(
      expect.objectContaining({ code: 'E_UNSUPPORTED' }) as Error,
    );
    expect(() => compareGroups(t, { kpi: 'clickThroughRate', baseline: 'variant=Z' })).toThrow(
      expect.objectContaining({ code: 'E_NOT_FOUND' }) as Error,
    );
    expect(() => compareGroups(t, { kpi: 'clicks' as never })).toThrow(/unknown KPI "clicks"/);
    expect(() => compareGroups(t, { kpi: 'clickThroughRate', confidence: 95 })).toThrow(/confidence/);
    expect(() => compareGroups(t, { kpi: 'clickThroughRate', correction: 'holm' as never })).toThrow(/correction/);
    expect(() => compareGroups({} as never, { kpi: 'clickThroughRate' })).toThrow(/KpiAggregator\.result/);
  });
});

describe('rankGroups', () => {
  it('ranks rates by the pessimistic end of the Wilson interval, so tiny samples do not win', () => {
    const t = table('region', [
      { key: 'TINY', sent: 3, clicks: 2 },
      { key: 'BIG', sent: 30000, clicks: 7500 },
      { key: 'MID', sent: 1000, clicks: 150 },
      { key: 'NONE', sent: 0, clicks: 0 },
    ]);
    const ranked = rankGroups(t, { kpi: 'clickThroughRate' });
    expect(ranked.map((r) => r.label)).toEqual(['region=BIG', 'region=TINY', 'region=MID', 'region=NONE']);
    expect(ranked[0]?.rankedBy).toBeCloseTo(ranked[0]?.interval?.low ?? -1, 12);
    expect(ranked[3]).toMatchObject({ rank: 4, value: null, rankedBy: null });
  });

  it('ranks lower-is-better rates by the upper bound, and amounts by value', () => {
    const t = table('region', [
      { key: 'A', sent: 1000, clicks: 0, complaints: 1, revenue: 50, cost: 10 },
      { key: 'B', sent: 1000, clicks: 0, complaints: 9, revenue: 500, cost: 10 },
    ]);
    expect(rankGroups(t, { kpi: 'complaintRate' }).map((r) => r.label)).toEqual(['region=A', 'region=B']);
    expect(rankGroups(t, { kpi: 'revenue' }).map((r) => [r.label, r.rankedBy])).toEqual([
      ['region=B', 500],
      ['region=A', 50],
    ]);
  });
});
