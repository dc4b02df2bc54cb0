import { KPI_NAMES, type CampaignMetricsInput } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleRow } from '../../__fixtures__/metrics.js';
import { KpiAggregator } from './aggregate.js';
import { resolveKpiDefinitions } from './definitions.js';
import { computeKpi } from './kpis.js';
import { addRow, emptySums } from './sums.js';

const sample: CampaignMetricsInput = sampleRow;

function kpisOf(rows: CampaignMetricsInput[], definitions = {}) {
  const aggregator = new KpiAggregator({ definitions });
  for (const row of rows) aggregator.add(row);
  return aggregator.result().total.kpis;
}

describe('KPI formulas (worked example: core sample row)', () => {
  const k = kpisOf([sample]);
  it.each([
    ['sent', 1000],
    ['delivered', 980],
    ['deliveryRate', 980 / 1000],
    ['bounceRate', 20 / 1000],
    ['hardBounceRate', 12 / 1000],
    ['softBounceRate', 8 / 1000],
    ['openRate', 400 / 980],
    ['humanOpenRate', (400 - 150) / 980],
    ['clickThroughRate', 60 / 980],
    ['clickToOpenRate', 60 / 400],
    ['unsubscribeRate', 3 / 980],
    ['complaintRate', 1 / 980],
    ['conversionRate', 9 / 980],
    ['revenue', 1250.5],
    ['cost', 200],
    ['roi', (1250.5 - 200) / 200],
    ['roas', 1250.5 / 200],
  ] as const)('%s = %d', (kpi, expected) => {
    expect(k[kpi]?.value).toBeCloseTo(expected, 12);
  });

  it('covers every KPI core names', () => {
    expect(Object.keys(k).sort()).toEqual([...KPI_NAMES].sort());
  });

  it('keeps numerator and denominator for every ratio', () => {
    expect(k.clickThroughRate).toEqual({ value: 60 / 980, numerator: 60, denominator: 980 });
    expect(k.sent).toEqual({ value: 1000, numerator: 1000, denominator: null });
  });
});

describe('vendor definitions are options', () => {
  it('divides opens, clicks, unsubscribes and complaints by sent when asked (Mailcoach, EmailNetworks)', () => {
    const k = kpisOf([sample], {
      openRateBase: 'sent',
      clickThroughRateBase: 'sent',
      unsubscribeRateBase: 'sent',
      complaintRateBase: 'sent',
    });
    expect(k.openRate?.value).toBeCloseTo(0.4, 12);
    expect(k.humanOpenRate?.value).toBeCloseTo(0.25, 12);
    expect(k.clickThroughRate?.value).toBeCloseTo(0.06, 12);
    expect(k.unsubscribeRate?.value).toBeCloseTo(0.003, 12);
    expect(k.complaintRate?.value).toBeCloseTo(0.001, 12);
  });

  it('computes click-to-open on human opens and conversion on clicks when asked', () => {
    const k = kpisOf([sample], { clickToOpenRateBase: 'humanOpens', conversionRateBase: 'uniqueClicks' });
    expect(k.clickToOpenRate?.value).toBeCloseTo(60 / 250, 12);
    expect(k.conversionRate?.value).toBeCloseTo(9 / 60, 12);
  });

  it('derives delivered by the chosen definition when the row does not report it', () => {
    const { delivered: _, ...unreported } = sample;
    const all = new KpiAggregator({ kpis: ['delivered'] });
    all.add(unreported);
    expect(all.result().total.kpis.delivered?.value).toBe(980);
    const hardOnly = new KpiAggregator({ kpis: ['delivered', 'deliveryRate'], delivered: 'sent-minus-hard-bounces' });
    hardOnly.add(unreported);
    expect(hardOnly.result().total.kpis.delivered?.value).toBe(988);
    const ignoreReported = new KpiAggregator({ kpis: ['delivered'], delivered: 'sent-minus-bounces' });
    ignoreReported.add({ ...sample, delivered: 990 });
    expect(ignoreReported.result().total.kpis.delivered?.value).toBe(980);
  });

  it('rejects unknown definition names with the path', () => {
    expect(() => resolveKpiDefinitions({ openRateBase: 'opens' }, 'options.definitions')).toThrow(
      /options\.definitions\.openRateBase/,
    );
    expect(() => new KpiAggregator({ definitions: { clickRate: 'sent' } as never })).toThrow(/unknown key/);
    expect(() => new KpiAggregator({ delivered: 'sent-minus-nothing' as never })).toThrow(/options\.delivered/);
  });
});

describe('ratio of sums, never an average of ratios', () => {
  it('reproduces the average-of-averages trap: 21.3% averaged vs 152/1310 = 11.6% true', () => {
    const days = [
      { opens: 49, delivered: 98 },
      { opens: 53, delivered: 212 },
      { opens: 25, delivered: 500 },
      { opens: 25, delivered: 500 },
    ];
    const rows = days.map((d, i) => ({
      campaignId: `c${i}`,
      sent: d.delivered,
      delivered: d.delivered,
      uniqueOpens: d.opens,
    }));
    const averageOfRatios = days.reduce((s, d) => s + d.opens / d.delivered, 0) / days.length;
    expect(averageOfRatios).toBeCloseTo(0.2125, 4);
    expect(kpisOf(rows).openRate?.value).toBeCloseTo(152 / 1310, 12);
    expect(kpisOf(rows).openRate?.value).toBeCloseTo(0.116, 3);
  });
});

describe('no NaN or Infinity', () => {
  it('leaves ratios with a zero denominator empty, with a reason', () => {
    const aggregator = new KpiAggregator({ kpis: ['openRate', 'roi', 'roas', 'sent'] });
    aggregator.add({ campaignId: 'c1', sent: 0 });
    const table = aggregator.result();
    expect(table.total.kpis.openRate).toEqual({ value: null, numerator: 0, denominator: 0, gap: 'zero-denominator' });
    expect(table.total.kpis.roi?.value).toBeNull();
    expect(table.total.kpis.sent?.value).toBe(0);
    expect(table.diagnostics.map((d) => d.ruleId)).toContain('metrics/zero-denominator');
    expect(table.diagnostics.find((d) => d.data?.kpi === 'roas')?.message).toContain('roas of total is left empty');
  });

  it('withholds money KPIs when rows state different currencies', () => {
    const aggregator = new KpiAggregator({ kpis: ['revenue', 'roi', 'clickThroughRate'] });
    aggregator.add({ ...sample, currency: 'EUR' });
    aggregator.add({ ...sample, currency: 'USD' });
    const table = aggregator.result();
    expect(table.total.kpis.revenue).toMatchObject({ value: null, gap: 'mixed-currencies' });
    expect(table.total.kpis.roi?.value).toBeNull();
    expect(table.total.kpis.clickThroughRate?.value).toBeCloseTo(120 / 1960, 12);
    expect(table.diagnostics.some((d) => d.ruleId === 'metrics/mixed-currencies' && d.severity === 'error')).toBe(true);
  });

  it('guards sums that overflow', () => {
    const sums = emptySums();
    const big = { ...sample, revenue: Number.MAX_VALUE, cost: 1e-300 } as never;
    addRow(sums, big, 980);
    addRow(sums, big, 980);
    const definitions = resolveKpiDefinitions({});
    expect(computeKpi(sums, 'revenue', definitions)).toMatchObject({ value: null, gap: 'not-finite' });
    expect(computeKpi(sums, 'roas', definitions).value).toBeNull();
  });

  it('every KPI of any valid rows is a finite number or null (property)', () => {
    const count = fc.nat({ max: 1_000_000 });
    const row = fc
      .record({
        sent: count,
        hard: count,
        soft: count,
        opens: count,
        machine: count,
        clicks: count,
        unsub: count,
        complaints: count,
        conversions: count,
        revenue: fc.double({ min: 0, max: 1e300, noNaN: true }),
        cost: fc.double({ min: 0, max: 1e300, noNaN: true }),
      })
      .map((r) => {
        const sent = r.sent;
        const hardBounces = Math.min(r.hard, sent);
        const softBounces = Math.min(r.soft, sent - hardBounces);
        const delivered = sent - hardBounces - softBounces;
        const uniqueOpens = Math.min(r.opens, delivered);
        return {
          campaignId: 'c1',
          sent,
          hardBounces,
          softBounces,
          uniqueOpens,
          machineOpens: Math.min(r.machine, uniqueOpens),
          uniqueClicks: Math.min(r.clicks, delivered),
          unsubscribes: Math.min(r.unsub, delivered),
          complaints: Math.min(r.complaints, delivered),
          conversions: r.conversions,
          revenue: r.revenue,
          cost: r.cost,
        };
      });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 5 }), fc.constantFrom('delivered', 'sent'), (rows, base) => {
        const k = kpisOf(rows, { openRateBase: base, clickThroughRateBase: base });
        for (const value of Object.values(k)) {
          expect(value.value === null || Number.isFinite(value.value)).toBe(true);
        }
      }),
    );
  });
});
