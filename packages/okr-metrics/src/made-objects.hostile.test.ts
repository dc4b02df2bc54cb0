import fc from 'fast-check';
import { hostileExportFailures, methodsOf } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { KpiAggregator, OkrMetricsBinder } from './index.js';

const okrSet = {
  id: 'q1',
  name: 'Q1',
  objectives: [
    {
      id: 'emea',
      title: 'EMEA engagement',
      owners: [{ region: 'EMEA' }],
      period: { start: '2026-01-01', end: '2026-03-31' },
      keyResults: [
        {
          id: 'ctr',
          title: 'EMEA CTR to 3.5%',
          kind: 'increase',
          baseline: 2,
          target: 3.5,
          unit: '%',
          binding: { kpi: 'clickThroughRate', filters: { region: 'EMEA' } },
        },
      ],
    },
  ],
};

describe('the methods of the objects okr-metrics makes, with hostile input', () => {
  it('a KPI aggregator and an OKR binder return a value or throw a HubspokeError', async () => {
    const methods = {
      ...methodsOf('KpiAggregator', new KpiAggregator({ groupBy: ['region'] })),
      ...methodsOf('OkrMetricsBinder', new OkrMetricsBinder(okrSet)),
    };
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 5 });
    expect(covered).toEqual(
      expect.arrayContaining(['KpiAggregator.add', 'OkrMetricsBinder.add', 'OkrMetricsBinder.apply']),
    );
    expect(failures).toEqual([]);
  });
});
