import { HubspokeError } from '@hubspoke/core';
import type { KeyResultResult, ObjectiveResult } from '../okr/evaluate.js';
import { csvLine, escapeMarkdown } from './escape.js';
import { decimal, percent } from './format.js';
import type { OkrReport } from './okr-report.js';
import { progressChartSvg } from './svg.js';

export type OkrReportFormat = 'json' | 'md' | 'csv' | 'svg';

const md = escapeMarkdown;

function current(kr: KeyResultResult): string {
  const unit = kr.unit === null ? '' : ` ${kr.unit}`;
  switch (kr.kind) {
    case 'increase':
    case 'decrease':
      return `${decimal(kr.current, 2)}${unit} (${decimal(kr.baseline, 2)} → ${decimal(kr.target, 2)})`;
    case 'maintain':
      return `${decimal(kr.current, 2)}${unit} (band ${decimal(kr.band?.min ?? null, 2)}–${decimal(kr.band?.max ?? null, 2)}${kr.inBand === false ? ', outside' : ''})`;
    case 'milestone':
      return `${kr.milestones?.filter((m) => m.done).length ?? 0}/${kr.milestones?.length ?? 0} milestones`;
    case 'binary':
      return kr.achieved === undefined ? '–' : kr.achieved ? 'achieved' : 'not yet';
    case 'rollup':
      return 'rollup';
  }
}

function owners(o: ObjectiveResult): string {
  return o.owners.map((w) => [w.team, w.region].filter((x) => x !== undefined).join('/')).join(', ');
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number> = new Set(),
): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (numeric.has(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function markdown(report: OkrReport): string {
  const scope = [
    report.scope.team === null ? '' : `team ${report.scope.team}`,
    report.scope.region === null ? '' : `region ${report.scope.region}`,
  ]
    .filter(Boolean)
    .join(', ');
  const out: string[] = [
    `# OKR report: ${md(report.name)}${scope === '' ? '' : ` (${md(scope)})`}`,
    '',
    `As of ${report.asOf}. Scores on Google's 0.0–1.0 scale: 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green; committed objectives are expected to reach 1.0, aspirational ones 0.7.`,
    '',
  ];
  const summary = (title: string, list: OkrReport['teams']): void => {
    if (list.length === 0) return;
    out.push(
      `## ${title}`,
      '',
      ...table(
        ['Name', 'Objectives', 'Key results', 'Score', 'Colour', 'At risk'],
        list.map((s) => [
          md(s.name),
          String(s.objectives.length),
          String(s.keyResults),
          s.grade.toFixed(1),
          s.color,
          String(s.atRisk),
        ]),
        new Set([1, 2, 3, 5]),
      ),
      '',
    );
  };
  summary('By team', report.teams);
  summary('By region', report.regions);
  if (report.crossTeam.length > 0) {
    out.push(
      '## Cross-team objectives',
      '',
      ...table(
        ['Objective', 'Teams', 'Score', 'Colour'],
        report.crossTeam.map((c) => [md(c.title), md(c.teams.join(', ')), c.grade.toFixed(1), c.color]),
        new Set([2]),
      ),
      '',
    );
  }
  out.push('## Objectives', '');
  for (const o of report.objectives) {
    out.push(
      `### ${md(o.title)}`,
      '',
      `\`${md(o.id)}\` · ${o.type} · ${md(owners(o))} · ${o.period.start} → ${o.period.end}${o.alignsTo.length > 0 ? ` · aligns to ${md(o.alignsTo.join(', '))}` : ''}`,
      '',
      `Score **${o.grade.toFixed(1)}** (${o.color}), expected ${o.expectedScore.toFixed(1)}${o.meetsExpectation ? ' (met)' : ''} · progress ${percent(o.progress)} vs ${percent(o.expectedProgress)} expected by date · forecast ${o.forecastScore.toFixed(2)} · ${o.health}`,
      '',
      ...table(
        [
          'Key result',
          'Kind',
          'Indicator',
          'Current',
          'Progress',
          'Score',
          'Expected',
          'Pace',
          'Forecast',
          'Confidence',
          'Status',
        ],
        o.keyResults.map((kr) => [
          `${md(kr.title)}${kr.counted ? '' : ' (weight 0: not counted)'}`,
          kr.kind,
          kr.indicator,
          md(current(kr)),
          percent(kr.progress),
          `${kr.grade.toFixed(1)} ${kr.color}`,
          percent(kr.expectedProgress),
          kr.pace === null ? '–' : kr.pace.toFixed(2),
          kr.forecast === null ? '–' : kr.forecast.score.toFixed(2),
          kr.confidence === null ? '–' : kr.confidence.toFixed(2),
          `${kr.health}${kr.atRiskReasons.length > 0 ? ` (${kr.atRiskReasons.join(', ')})` : ''}${kr.overdue ? ', check-in overdue' : ''}`,
        ]),
        new Set([4, 6, 7, 8, 9]),
      ),
      '',
    );
  }
  if (report.drivers.length > 0) {
    out.push('## Leading indicators and the results they drive', '');
    out.push(
      ...table(
        ['Lagging result', 'Score', 'Leading indicators (score)'],
        report.drivers.map((d) => [
          md(d.lagging.title),
          `${d.lagging.grade.toFixed(1)} ${d.lagging.color}`,
          d.leading.map((l) => `${md(l.title)} (${l.grade.toFixed(1)} ${l.color})`).join('; ') || '–',
        ]),
      ),
      '',
    );
  }
  if (report.overdue.length > 0) {
    out.push(
      '## Check-ins overdue',
      '',
      ...table(
        ['Key result', 'Objective', 'Cadence', 'Last check-in', 'Due', 'Days overdue'],
        report.overdue.map((d) => [
          md(d.title),
          md(d.objectiveId),
          d.cadence,
          d.lastCheckInAt ?? 'never',
          d.dueAt.slice(0, 10),
          String(d.daysOverdue),
        ]),
        new Set([5]),
      ),
      '',
    );
  }
  if (report.diagnostics.length > 0) {
    out.push(
      '## Notes',
      '',
      ...report.diagnostics.map(
        (d) =>
          `- ${d.severity}: ${md(d.message)}${d.location.path === undefined ? '' : ` (\`${md(d.location.path)}\`)`}`,
      ),
      '',
    );
  }
  return out.join('\n');
}

const CSV_HEADER = [
  'objectiveId',
  'objectiveTitle',
  'objectiveType',
  'teams',
  'regions',
  'periodStart',
  'periodEnd',
  'objectiveScore',
  'objectiveGrade',
  'objectiveColor',
  'keyResultId',
  'keyResultTitle',
  'kind',
  'indicator',
  'weight',
  'counted',
  'unit',
  'baseline',
  'target',
  'bandMin',
  'bandMax',
  'current',
  'progress',
  'score',
  'grade',
  'color',
  'expectedProgress',
  'pace',
  'forecastScore',
  'forecastValue',
  'confidence',
  'atRisk',
  'health',
  'checkIns',
  'lastCheckInAt',
  'nextCheckInDue',
  'overdue',
  'drives',
  'drivenBy',
];

function csv(report: OkrReport): string {
  let out = csvLine(CSV_HEADER);
  for (const o of report.objectives) {
    for (const kr of o.keyResults) {
      out += csvLine([
        o.id,
        o.title,
        o.type,
        o.teams.join(';'),
        o.regions.join(';'),
        o.period.start,
        o.period.end,
        o.score,
        o.grade,
        o.color,
        kr.id,
        kr.title,
        kr.kind,
        kr.indicator,
        kr.weight,
        kr.counted,
        kr.unit,
        kr.baseline,
        kr.target,
        kr.band?.min,
        kr.band?.max,
        kr.current,
        kr.progress,
        kr.score,
        kr.grade,
        kr.color,
        kr.expectedProgress,
        kr.pace,
        kr.forecast?.score,
        kr.forecast?.value,
        kr.confidence,
        kr.atRisk,
        kr.health,
        kr.checkIns,
        kr.lastCheckInAt,
        kr.nextCheckInDue,
        kr.overdue,
        kr.drives.join(';'),
        kr.drivenBy.join(';'),
      ]);
    }
  }
  return out;
}

/**
 * An OKR report as `json` (everything), `md` (tables per team, region, cross-team, objective,
 * leading→lagging, overdue check-ins), `csv` (one row per key result) or `svg` (progress bars).
 * What `hubspoke okr report --format …` prints.
 */
export function renderOkrReport(report: OkrReport, format: OkrReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'md':
      return markdown(report);
    case 'csv':
      return csv(report);
    case 'svg':
      return progressChartSvg(report);
  }
  throw new HubspokeError(
    'E_VALIDATION',
    `format: expected "json", "md", "csv" or "svg", got ${JSON.stringify(String(format))}`,
    { path: 'format' },
  );
}
