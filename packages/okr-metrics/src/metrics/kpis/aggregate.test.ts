import { describe, expect, it } from 'vitest';
import { KpiAggregator } from './aggregate.js';

const rows = [
  {
    campaignId: 'c1',
    region: 'EMEA',
    team: 't1',
    variant: 'A',
    date: '2026-03-02',
    sent: 100,
    uniqueClicks: 10,
    dimensions: { segment: 'vip' },
  },
  { campaignId: 'c1', region: 'EMEA', team: 't1', variant: 'B', date: '2026-03-08', sent: 100, uniqueClicks: 20 },
  { campaignId: 'c2', region: 'AMER', team: 't2', variant: 'A', date: '2026-03-09', sent: 300, uniqueClicks: 3 },
  { campaignId: 'c3', team: 't2', date: '2026-04-01', sent: 50, uniqueClicks: 5 },
  { campaignId: 'c4', region: 'EMEA', sent: 10, uniqueClicks: 1 },
];

function run(options: ConstructorParameters<typeof KpiAggregator>[0]) {
  const aggregator = new KpiAggregator({ kpis: ['clickThroughRate', 'sent'], ...options });
  for (const row of rows) aggregator.add(row);
  return aggregator.result();
}

describe('KpiAggregator', () => {
  it('groups by one dimension, rows without it last, with a total that is a ratio of sums', () => {
    const table = run({ groupBy: ['region'] });
    expect(table.groups.map((g) => [g.key.region, g.sums.sent, g.kpis.clickThroughRate?.value])).toEqual([
      ['AMER', 300, 3 / 300],
      ['EMEA', 210, 31 / 210],
      [null, 50, 5 / 50],
    ]);
    expect(table.groups[2]?.label).toBe('region=(none)');
    expect(table.total.kpis.clickThroughRate?.value).toBeCloseTo(39 / 560, 12);
    expect(table.total.label).toBe('total');
  });

  it('groups by several dimensions, ISO weeks, months and custom dimensions', () => {
    expect(run({ groupBy: ['region', 'variant'] }).groups.map((g) => g.label)).toEqual([
      'region=AMER, variant=A',
      'region=EMEA, variant=A',
      'region=EMEA, variant=B',
      'region=EMEA, variant=(none)',
      'region=(none), variant=(none)',
    ]);
    expect(run({ groupBy: ['week'] }).groups.map((g) => [g.key.week, g.sums.rows])).toEqual([
      ['2026-W10', 2],
      ['2026-W11', 1],
      ['2026-W14', 1],
      [null, 1],
    ]);
    expect(run({ groupBy: ['month'] }).groups.map((g) => g.key.month)).toEqual(['2026-03', '2026-04', null]);
    expect(
      run({ groupBy: ['dimensions.segment'] }).groups.map((g) => [g.key['dimensions.segment'], g.sums.rows]),
    ).toEqual([
      ['vip', 1],
      [null, 4],
    ]);
  });

  it('filters by dimension values and by date range (inclusive; undated rows left out)', () => {
    const filtered = run({ filters: { region: 'EMEA', variant: ['A', 'B'] } });
    expect(filtered.total.sums.sent).toBe(200);
    expect(filtered.filteredOut).toBe(3);
    const ranged = run({ dateRange: { start: '2026-03-02', end: '2026-03-08' } });
    expect(ranged.total.sums.rows).toBe(2);
  });

  it('keeps values that look like separators apart (no key collisions)', () => {
    const aggregator = new KpiAggregator({ groupBy: ['variant', 'locale'], kpis: ['sent'] });
    aggregator.add({ campaignId: 'c1', variant: 'a\u0000b', sent: 1 });
    aggregator.add({ campaignId: 'c1', variant: 'a', locale: 'de', sent: 2 });
    aggregator.add({ campaignId: 'c1', variant: 'a', sent: 4 });
    expect(aggregator.result().groups.map((g) => g.sums.sent)).toEqual([2, 4, 1]);
  });

  it('refuses bad options and bad rows with the path', () => {
    expect(() => new KpiAggregator({ kpis: ['ctr' as never] })).toThrow(
      /options\.kpis\[0\]: unknown KPI "ctr"; expected one of sent, delivered/,
    );
    expect(() => new KpiAggregator({ groupBy: ['country' as never] })).toThrow(
      /options\.groupBy\[0\]: unknown dimension "country"/,
    );
    expect(() => new KpiAggregator({ groupBy: ['dimensions.Bad'] })).toThrow(/unknown dimension/);
    expect(() => new KpiAggregator({ filters: { region: 5 as never } })).toThrow(
      /options\.filters\.region: expected a string or a non-empty array/,
    );
    expect(() => new KpiAggregator({ dateRange: { start: '2026-03-31', end: '2026-01-01' } })).toThrow(
      /options\.dateRange\.end: expected a period that ends on or after its start/,
    );
    expect(() => new KpiAggregator({ groupBy: 'region' as never })).toThrow(/options\.groupBy/);
    const aggregator = new KpiAggregator();
    expect(() => {
      aggregator.add({ campaignId: 'c1', sent: 10, uniqueClicks: 11 });
    }).toThrow(/uniqueClicks \(11\) is greater than delivered \(10\)/);
    expect(() => {
      aggregator.add({ campaignId: 'c1', sent: '10' } as never);
    }).toThrow(/row\.sent: expected a number/);
  });

  it('is empty but well-formed with no rows', () => {
    const table = new KpiAggregator({ groupBy: ['region'], kpis: ['openRate'] }).result();
    expect(table.groups).toEqual([]);
    expect(table.total.kpis.openRate?.value).toBeNull();
  });
});
