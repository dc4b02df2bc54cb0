import { describe, expect, it } from 'vitest';
import { renderOkrReport } from './okr-render.js';
import { buildOkrReport } from './okr-report.js';

const period = { start: '2026-01-01', end: '2026-03-31' };
const hostile = '<script>alert(1)</script> | [click](javascript:alert(1)) **bold** =cmd|calc';
const okrSet = {
  id: 'q1',
  name: 'Q1 2026',
  objectives: [
    {
      id: 'company',
      title: 'Company email revenue',
      owners: [{ team: 'hq' }, { team: 'emea-marketing' }],
      period,
      type: 'committed',
      keyResults: [
        {
          id: 'rollup',
          title: 'Regions on track',
          kind: 'rollup',
          children: [
            { ref: 'emea', type: 'objective' },
            { ref: 'amer', type: 'objective' },
          ],
        },
      ],
    },
    {
      id: 'emea',
      title: hostile,
      owners: [{ team: 'emea-marketing', region: 'EMEA' }],
      period,
      alignsTo: ['company'],
      keyResults: [
        {
          id: 'ctr',
          title: 'CTR to 3.5%',
          kind: 'increase',
          baseline: 2,
          target: 3.5,
          unit: '%',
          indicator: 'leading',
          drives: ['rev'],
          checkIns: [{ at: '2026-02-01T00:00:00Z', value: 2.9, confidence: 0.8 }],
        },
        {
          id: 'rev',
          title: 'Revenue to 100k',
          kind: 'increase',
          baseline: 0,
          target: 100000,
          checkIns: [{ at: '2026-02-10T00:00:00Z', value: 20000 }],
        },
      ],
    },
    {
      id: 'amer',
      title: 'AMER',
      owners: [{ team: 'amer-marketing', region: 'AMER' }],
      period,
      alignsTo: ['company'],
      keyResults: [
        { id: 'kit', title: 'Kit shipped', kind: 'binary', checkIns: [{ at: '2026-01-20T00:00:00Z', achieved: true }] },
      ],
    },
  ],
};

describe('buildOkrReport', () => {
  const report = buildOkrReport(okrSet, { asOf: '2026-02-15' });

  it('summarises per team and per region (equal-weight mean of objective scores)', () => {
    expect(report.teams.map((t) => [t.name, t.objectives])).toEqual([
      ['amer-marketing', ['amer']],
      ['emea-marketing', ['company', 'emea']],
      ['hq', ['company']],
    ]);
    const emea = report.objectives.find((o) => o.id === 'emea');
    const company = report.objectives.find((o) => o.id === 'company');
    expect(report.teams[1]?.score).toBeCloseTo(((emea?.score ?? 0) + (company?.score ?? 0)) / 2, 12);
    expect(report.regions.map((r) => r.name)).toEqual(['AMER', 'EMEA']);
  });

  it('lists cross-team objectives and the alignment graph', () => {
    expect(report.crossTeam.map((c) => [c.objectiveId, c.teams])).toEqual([['company', ['hq', 'emea-marketing']]]);
    expect(report.alignment.find((a) => a.id === 'company')?.children).toEqual(['emea', 'amer']);
    expect(report.alignment.find((a) => a.id === 'emea')?.parents).toEqual(['company']);
  });

  it('puts leading indicators next to the lagging results they drive', () => {
    expect(report.drivers).toHaveLength(1);
    expect(report.drivers[0]?.lagging.keyResultId).toBe('rev');
    expect(report.drivers[0]?.leading.map((l) => [l.keyResultId, l.indicator])).toEqual([['ctr', 'leading']]);
  });

  it('lists overdue check-ins, most overdue first', () => {
    expect(report.overdue.map((o) => [o.keyResultId, o.daysOverdue, o.cadence])).toEqual([
      ['kit', 19, 'P7D'],
      ['ctr', 7, 'P7D'],
    ]);
  });

  it('narrows to one team or region', () => {
    const team = buildOkrReport(okrSet, { asOf: '2026-02-15', team: 'amer-marketing' });
    expect(team.objectives.map((o) => o.id)).toEqual(['amer']);
    expect(team.scope).toEqual({ team: 'amer-marketing', region: null });
    expect(buildOkrReport(okrSet, { asOf: '2026-02-15', region: 'EMEA' }).objectives.map((o) => o.id)).toEqual([
      'emea',
    ]);
    expect(() => buildOkrReport(okrSet, { team: '' })).toThrow(/options\.team/);
  });
});

describe('renderOkrReport', () => {
  const report = buildOkrReport(okrSet, { asOf: '2026-02-15' });

  it('JSON round-trips the whole report', () => {
    expect(JSON.parse(renderOkrReport(report, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('Markdown has the views as tables and escapes user text', () => {
    const md = renderOkrReport(report, 'md');
    for (const heading of [
      '# OKR report: Q1 2026',
      '## By team',
      '## By region',
      '## Cross-team objectives',
      '## Objectives',
      '## Leading indicators and the results they drive',
      '## Check-ins overdue',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('| Revenue to 100k | 0.2 red | CTR to 3.5% (0.6 yellow) |');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('[click](');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| \\[click\\](javascript:alert(1)) \\*\\*bold\\*\\*');
    // Every table row has the same number of cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
      const widths = block
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size).toBe(1);
    }
  });

  it('CSV has one row per key result and defuses spreadsheet formulas', () => {
    const csv = renderOkrReport(report, 'csv');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 4);
    expect(lines[0]?.startsWith('objectiveId,objectiveTitle,objectiveType')).toBe(true);
    expect(csv).toContain(`,${hostile},`);
    const formula = renderOkrReport(
      buildOkrReport(
        { ...okrSet, objectives: [{ ...okrSet.objectives[2], title: '=HYPERLINK("http://evil")' }] },
        { asOf: '2026-02-15' },
      ),
      'csv',
    );
    expect(formula).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('SVG draws a bar per key result without a browser, escaped, never NaN', () => {
    const svg = renderOkrReport(report, 'svg');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g><title>/g)).toHaveLength(4);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&#60;script&#62;');
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(renderOkrReport(buildOkrReport(okrSet, { asOf: '2026-02-15', team: 'nobody' }), 'svg')).toContain(
      'No objectives in this view.',
    );
  });

  it('refuses an unknown format', () => {
    expect(() => renderOkrReport(report, 'pdf' as never)).toThrow(
      /format: expected "json", "md", "csv" or "svg", got "pdf"/,
    );
  });
});
