import { describe, expect, it } from 'vitest';
import { KpiAggregator } from '../metrics/kpis/aggregate.js';
import { kpiTrend, kpiTrendSvg, renderKpiTable } from './kpi-report.js';
import { lineChartSvg } from './svg.js';

function table() {
  const aggregator = new KpiAggregator({
    groupBy: ['week', 'region'],
    kpis: ['sent', 'clickThroughRate', 'revenue', 'roi', 'roas'],
  });
  const rows = [
    {
      campaignId: 'c1',
      region: 'EMEA',
      date: '2026-03-02',
      sent: 1000,
      uniqueClicks: 30,
      revenue: 500,
      cost: 100,
      currency: 'EUR',
    },
    {
      campaignId: 'c2',
      region: 'AMER',
      date: '2026-03-03',
      sent: 2000,
      uniqueClicks: 20,
      revenue: 200,
      cost: 100,
      currency: 'EUR',
    },
    { campaignId: 'c3', region: 'EMEA', date: '2026-03-10', sent: 1000, uniqueClicks: 50 },
    { campaignId: 'c4', region: 'APAC', date: '2026-03-16', sent: 0 },
  ];
  for (const row of rows) aggregator.add(row);
  return aggregator.result();
}

describe('renderKpiTable', () => {
  it('Markdown formats values for people and lists the gaps', () => {
    const md = renderKpiTable(table(), 'md');
    expect(md).toContain('| week | region | sent | clickThroughRate | revenue | roi | roas |');
    expect(md).toContain('| 2026-W10 | EMEA | 1,000 | 3.00% | 500.00 EUR | 400.0% | 5.00x |');
    expect(md).toContain('| **total** |');
    expect(md).toContain('clickThroughRate of week=2026-W12, region=APAC is left empty: its denominator is 0');
  });

  it('CSV has raw sums and raw KPI values, with formulas defused', () => {
    const csv = renderKpiTable(table(), 'csv');
    const [header, first] = csv.split('\r\n');
    expect(header).toBe(
      'week,region,rows,sent,delivered,hardBounces,softBounces,uniqueOpens,totalOpens,machineOpens,uniqueClicks,totalClicks,unsubscribes,complaints,conversions,revenue,cost,currency,sent,clickThroughRate,revenue,roi,roas',
    );
    expect(first).toBe('2026-W10,AMER,1,2000,2000,0,0,0,0,0,20,0,0,0,0,200,100,EUR,2000,0.01,200,1,2');
    expect(csv).not.toMatch(/NaN|Infinity/);
    const hostile = new KpiAggregator({ groupBy: ['variant'], kpis: ['sent'] });
    hostile.add({ campaignId: 'c1', variant: '=HYPERLINK("http://evil")', sent: 1 });
    expect(renderKpiTable(hostile.result(), 'csv')).toContain(`"'=HYPERLINK(""http://evil"")",1,`);
    expect(renderKpiTable(hostile.result(), 'md')).toContain('| =HYPERLINK("http://evil") | 1 |');
  });

  it('JSON keeps everything', () => {
    expect(JSON.parse(renderKpiTable(table(), 'json')).groups).toHaveLength(4);
    expect(() => renderKpiTable(table(), 'xlsx' as never)).toThrow(/format/);
  });
});

describe('KPI trend lines', () => {
  it('re-sums cells per (x, series): still a ratio of sums', () => {
    const trend = kpiTrend(table(), { kpi: 'clickThroughRate', x: 'week', series: 'region' });
    expect(trend.xLabels).toEqual(['2026-W10', '2026-W11', '2026-W12']);
    expect(trend.series).toEqual([
      { name: 'AMER', values: [0.01, null, null] },
      { name: 'APAC', values: [null, null, null] },
      { name: 'EMEA', values: [0.03, 0.05, null] },
    ]);
    expect(kpiTrend(table(), { kpi: 'clickThroughRate', x: 'week' }).series).toEqual([
      { name: 'clickThroughRate', values: [50 / 3000, 0.05, null] },
    ]);
  });

  it('draws an SVG line chart with gaps, a legend and escaped labels', () => {
    const svg = kpiTrendSvg(table(), { kpi: 'clickThroughRate', x: 'week', series: 'region', title: 'CTR <by> week' });
    expect(svg).toContain('<title>CTR &#60;by&#62; week</title>');
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).toContain('>EMEA</text>');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('refuses a dimension the table is not grouped by', () => {
    expect(() => kpiTrend(table(), { kpi: 'sent', x: 'month' })).toThrow(
      /options\.x: the table is not grouped by "month"/,
    );
  });

  it('draws "No data" and survives extreme values', () => {
    expect(lineChartSvg({ title: 'Empty', xLabels: [], series: [] })).toContain('No data');
    const svg = lineChartSvg({
      title: 'Extreme',
      xLabels: ['a', 'b', 'c'],
      series: [{ name: 's', values: [1e308, -1e308, Number.NaN] }],
    });
    expect(svg).not.toMatch(/NaN|Infinity/);
    const flat = lineChartSvg({ title: 'Flat', xLabels: ['a'], series: [{ name: 's', values: [0] }] });
    expect(flat).not.toMatch(/NaN|Infinity/);
  });
});
