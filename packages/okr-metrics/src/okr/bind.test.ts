import { describe, expect, it } from 'vitest';
import { KpiAggregator } from '../metrics/kpis/aggregate.js';
import { ingestMetrics } from '../metrics/ingest.js';
import { OkrMetricsBinder } from './bind.js';
import { evaluateOkrs } from './evaluate.js';

const period = { start: '2026-01-01', end: '2026-03-31' };
const okrSet = {
  id: 'q1',
  name: 'Q1',
  objectives: [
    {
      id: 'emea',
      title: 'EMEA engagement',
      owners: [{ region: 'EMEA' }],
      period,
      keyResults: [
        // "EMEA click-through rate ≥ 3.5% this quarter"
        {
          id: 'ctr',
          title: 'EMEA CTR to 3.5%',
          kind: 'increase',
          baseline: 2,
          target: 3.5,
          unit: '%',
          binding: { kpi: 'clickThroughRate', filters: { region: 'EMEA' } },
          checkIns: [{ at: '2026-01-05T10:00:00Z', value: 2.1, note: 'manual' }],
        },
        {
          id: 'complaints',
          title: 'Complaints under 0.1%',
          kind: 'maintain',
          band: { min: 0, max: 0.001 },
          binding: { kpi: 'complaintRate', filters: { region: ['EMEA'] } },
        },
        { id: 'launch', title: 'Launch', kind: 'binary', binding: { kpi: 'sent', filters: {} } },
        {
          id: 'milestones',
          title: 'Milestones',
          kind: 'milestone',
          milestones: [{ id: 'm1', title: 'One' }],
          binding: { kpi: 'sent', filters: {} },
        },
        // "EMEA CTR reaches 3%": achieved once the cumulative KPI is at least 3 (percent, like the unit).
        {
          id: 'ctr-3',
          title: 'EMEA CTR reaches 3%',
          kind: 'binary',
          unit: '%',
          binding: { kpi: 'clickThroughRate', filters: { region: 'EMEA' }, achievedWhen: { atLeast: 3 } },
        },
        {
          id: 'ctr-cap',
          title: 'CTR stays under 3%',
          kind: 'binary',
          unit: '%',
          binding: { kpi: 'clickThroughRate', filters: { region: 'EMEA' }, achievedWhen: { atMost: 3 } },
        },
      ],
    },
  ],
};

const rows = [
  { campaignId: 'c1', region: 'EMEA', date: '2026-01-05', sent: 1000, uniqueClicks: 25, complaints: 0 },
  { campaignId: 'c1', region: 'EMEA', date: '2026-01-06', sent: 1000, uniqueClicks: 35, complaints: 2 },
  { campaignId: 'c2', region: 'AMER', date: '2026-01-06', sent: 5000, uniqueClicks: 500, complaints: 0 },
  { campaignId: 'c3', region: 'EMEA', date: '2026-01-13', sent: 2000, uniqueClicks: 80, complaints: 0 },
  { campaignId: 'c4', region: 'EMEA', date: '2025-12-30', sent: 1000, uniqueClicks: 900 },
  { campaignId: 'c5', region: 'EMEA', sent: 1000, uniqueClicks: 900 },
];

async function bind(options: ConstructorParameters<typeof OkrMetricsBinder>[1] = {}) {
  const binder = new OkrMetricsBinder(okrSet, options);
  await ingestMetrics(rows, { into: binder });
  return binder.apply();
}

describe('OkrMetricsBinder', () => {
  it('adds one check-in per bound key result: the KPI of matching rows in the period, as a ratio of sums', async () => {
    const result = await bind();
    const ctr = result.okrSet.objectives[0]?.keyResults[0];
    // EMEA rows in Q1: (25 + 35 + 80) / (1000 + 1000 + 2000) = 3.5%, shown in percent because unit is "%".
    expect(ctr?.checkIns).toHaveLength(2);
    expect(ctr?.checkIns[1]).toMatchObject({
      at: '2026-01-13T23:59:59.000Z',
      source: 'metrics',
      note: 'clickThroughRate from 3 rows (140 / 4000)',
    });
    expect(ctr?.checkIns[1]?.value).toBeCloseTo(3.5, 12);
    expect(ctr?.checkIns[0]?.note).toBe('manual');
    expect(result.added.map((a) => a.keyResultId)).toEqual(['ctr', 'complaints', 'ctr-3', 'ctr-cap']);
    const complaints = result.okrSet.objectives[0]?.keyResults[1];
    expect(complaints?.checkIns[0]?.value).toBeCloseTo(2 / 4000, 12);
  });

  it('leaves out undated rows and rows outside the period, saying so; refuses non-numeric kinds', async () => {
    const result = await bind();
    const rules = result.diagnostics.map((d) => d.ruleId);
    expect(rules).toContain('metrics/undated-rows');
    expect(rules).toContain('okr/binding-unsupported');
    const unsupported = result.diagnostics.filter((d) => d.ruleId === 'okr/binding-unsupported');
    // A binary key result without achievedWhen, and a milestone one.
    expect(unsupported.map((d) => d.location.path)).toEqual([
      'okrSet.objectives[0].keyResults[2].binding.achievedWhen',
      'okrSet.objectives[0].keyResults[3].binding',
    ]);
  });

  it('marks a bound binary key result achieved while the KPI is within achievedWhen, and it scores', async () => {
    const result = await bind({ granularity: 'day' });
    const [reached, capped] = ['ctr-3', 'ctr-cap'].map((id) =>
      result.okrSet.objectives[0]?.keyResults.find((k) => k.id === id),
    );
    // Cumulative EMEA CTR by day: 25/1000 = 2.5%, 60/2000 = 3%, 140/4000 = 3.5%.
    expect(reached?.checkIns.map((c) => c.achieved)).toEqual([false, true, true]);
    expect(capped?.checkIns.map((c) => c.achieved)).toEqual([true, true, false]);
    expect(reached?.checkIns.every((c) => c.value === undefined)).toBe(true);
    expect(reached?.checkIns[2]?.note).toBe('clickThroughRate from 3 rows (140 / 4000) = 3.5; achieved when ≥ 3');
    const evaluation = evaluateOkrs(result.okrSet, { asOf: '2026-01-20T00:00:00Z' });
    const scores = Object.fromEntries(evaluation.objectives[0]?.keyResults.map((k) => [k.id, k.score]) ?? []);
    expect(scores).toMatchObject({ 'ctr-3': 1, 'ctr-cap': 0 });
    expect(result.diagnostics.filter((d) => d.ruleId === 'okr/binding-ignored')).toEqual([]);
  });

  it('warns that achievedWhen is ignored on a key result that is not binary', () => {
    const set = structuredClone(okrSet);
    const ctr = set.objectives[0]?.keyResults[0];
    if (ctr?.binding !== undefined) Object.assign(ctr.binding, { achievedWhen: { atLeast: 3 } });
    const result = new OkrMetricsBinder(set).apply();
    expect(result.diagnostics.find((d) => d.ruleId === 'okr/binding-ignored')).toMatchObject({
      severity: 'warning',
      location: { path: 'okrSet.objectives[0].keyResults[0].binding.achievedWhen' },
    });
  });

  it('adds a daily or weekly series: cumulative for increase, per bucket for maintain', async () => {
    const daily = await bind({ granularity: 'day' });
    const ctr = daily.okrSet.objectives[0]?.keyResults[0]?.checkIns.filter((c) => c.source === 'metrics') ?? [];
    expect(ctr.map((c) => c.at.slice(0, 10))).toEqual(['2026-01-05', '2026-01-06', '2026-01-13']);
    expect(ctr.map((c) => c.value)).toEqual([2.5, 3, 3.5]);
    const complaints = daily.okrSet.objectives[0]?.keyResults[1]?.checkIns ?? [];
    expect(complaints.map((c) => c.value)).toEqual([0, 0.002, 0]);
    const weekly = await bind({ granularity: 'week' });
    expect(
      weekly.okrSet.objectives[0]?.keyResults[0]?.checkIns
        .filter((c) => c.source === 'metrics')
        .map((c) => [c.at.slice(0, 10), c.value]),
    ).toEqual([
      ['2026-01-06', 3],
      ['2026-01-13', 3.5],
    ]);
    const cumulativeComplaints = await bind({ granularity: 'day', window: 'cumulative' });
    expect(cumulativeComplaints.okrSet.objectives[0]?.keyResults[1]?.checkIns.map((c) => c.value)).toEqual([
      0, 0.001, 0.0005,
    ]);
  });

  it('does not duplicate check-ins when the same metrics are applied again', async () => {
    const first = await bind({ granularity: 'day' });
    const again = new OkrMetricsBinder(first.okrSet, { granularity: 'day' });
    await ingestMetrics(rows, { into: again });
    const second = again.apply();
    expect(second.okrSet.objectives[0]?.keyResults[0]?.checkIns).toHaveLength(4);
    expect(second.okrSet).toEqual(first.okrSet);
  });

  it('uses a given check-in time for the latest value, and the result scores', async () => {
    const result = await bind({ at: '2026-02-15T12:00:00Z' });
    expect(result.okrSet.objectives[0]?.keyResults[0]?.checkIns[1]?.at).toBe('2026-02-15T12:00:00.000Z');
    const evaluation = evaluateOkrs(result.okrSet, { asOf: '2026-02-16' });
    expect(evaluation.objectives[0]?.keyResults[0]).toMatchObject({ progress: 1, health: 'accomplished' });
  });

  it('feeds the binder and a KPI table in one pass, with no check-in when the KPI has no value', async () => {
    const binder = new OkrMetricsBinder({
      ...okrSet,
      objectives: [{ ...okrSet.objectives[0], keyResults: [okrSet.objectives[0]?.keyResults[0]] }],
    });
    const table = new KpiAggregator({ groupBy: ['region'], kpis: ['clickThroughRate'] });
    await ingestMetrics([{ campaignId: 'c1', region: 'EMEA', date: '2026-01-05', sent: 0 }], { into: [binder, table] });
    const result = binder.apply();
    expect(result.added).toEqual([]);
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['metrics/no-kpi-value']);
    expect(table.result().groups).toHaveLength(1);
    const empty = new OkrMetricsBinder(okrSet).apply();
    expect(empty.diagnostics.map((d) => d.ruleId)).toContain('metrics/no-matching-rows');
  });

  it('validates its inputs', () => {
    expect(() => new OkrMetricsBinder({ id: 'x' })).toThrow(/okrSet\.name/);
    expect(() => new OkrMetricsBinder(okrSet, { granularity: 'month' as never })).toThrow(/options\.granularity/);
    expect(() => new OkrMetricsBinder(okrSet, { at: 'soon' }).apply()).toThrow(/options\.at/);
    const badFilter = {
      ...okrSet,
      objectives: [
        {
          ...okrSet.objectives[0],
          keyResults: [
            { id: 'k', title: 'K', kind: 'increase', baseline: 0, target: 1, binding: { kpi: 'ctr', filters: {} } },
          ],
        },
      ],
    };
    expect(() => new OkrMetricsBinder(badFilter)).toThrow(/binding\.kpi/);
    const binder = new OkrMetricsBinder(okrSet);
    expect(() => {
      binder.add({ campaignId: 'c1', sent: 1, uniqueClicks: 2 });
    }).toThrow(/greater than delivered/);
  });
});
