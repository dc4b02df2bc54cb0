import { describe, expect, it } from 'vitest';
import { isHubspokeError } from '@hubspoke/core';
import { KpiAggregator } from './aggregate.js';
import { compareGroups } from './compare.js';
import { kpiTrend } from '../../report/kpi-report.js';
import { prepareOkrSet } from '../../okr/prepare.js';

function thrown(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    expect(isHubspokeError(error)).toBe(true);
    return error as Record<string, unknown>;
  }
  throw new Error('expected a HubspokeError');
}

describe('a KPI that does not exist is an error with did-you-mean', () => {
  const table = () => {
    const aggregator = new KpiAggregator({ groupBy: ['region'], kpis: ['sent', 'clickThroughRate'] });
    aggregator.add({ campaignId: 'c1', region: 'EMEA', sent: 100, uniqueClicks: 3 });
    return aggregator.result();
  };

  it('a report asking for a misspelt KPI names the one it meant', () => {
    expect(thrown(() => kpiTrend(table(), { kpi: 'clickThroughRat' as never, x: 'region' }))).toMatchObject({
      code: 'E_VALIDATION',
      path: 'options.kpi',
      message: expect.stringContaining('unknown KPI "clickThroughRat" (did you mean "clickThroughRate"?)') as unknown,
      details: { didYouMean: 'clickThroughRate' },
    });
    expect(thrown(() => new KpiAggregator({ kpis: ['openRte' as never] }))).toMatchObject({
      path: 'options.kpis[0]',
      details: { didYouMean: 'openRate' },
    });
    expect(thrown(() => compareGroups(table(), { kpi: 'clickToOpenRat' as never }))).toMatchObject({
      details: { didYouMean: 'clickToOpenRate' },
    });
  });

  it('a name nothing is close to still lists every KPI, without a guess', () => {
    const error = thrown(() => kpiTrend(table(), { kpi: 'happiness' as never, x: 'region' }));
    expect(error).toMatchObject({
      code: 'E_VALIDATION',
      details: { expected: expect.arrayContaining(['roi']) as unknown },
    });
    expect((error.details as Record<string, unknown>).didYouMean).toBeUndefined();
  });

  it('a key result bound to a misspelt KPI is refused at its path, with did-you-mean', () => {
    const set = {
      id: 'q1',
      name: 'Q1',
      objectives: [
        {
          id: 'o',
          title: 'O',
          owners: [{ region: 'EMEA' }],
          period: { start: '2026-01-01', end: '2026-03-31' },
          keyResults: [
            {
              id: 'kr',
              title: 'KR',
              kind: 'increase',
              baseline: 1,
              target: 2,
              binding: { kpi: 'complaintsRate', filters: {} },
            },
          ],
        },
      ],
    };
    expect(thrown(() => prepareOkrSet(set))).toMatchObject({
      code: 'E_VALIDATION',
      message: expect.stringMatching(/keyResults\[0\]\.binding\.kpi.*did you mean "complaintRate"/s) as unknown,
    });
  });
});
