import { HubspokeError } from '@hubspoke/core';
import { DAY_MS } from '../internal/time.js';
import {
  evaluateOkrs,
  type EvaluateOptions,
  type Health,
  type KeyResultResult,
  type ObjectiveResult,
  type OkrEvaluation,
} from '../okr/evaluate.js';
import { colorOf, gradeOf, type ScoreColor } from '../okr/scoring.js';

/** Objectives owned by one team or region, summarised. */
export interface OwnerSummary {
  name: string;
  objectives: string[];
  /** Equal-weight mean of these objectives' scores. */
  score: number;
  grade: number;
  color: ScoreColor;
  atRisk: number;
  keyResults: number;
}

export interface KeyResultRef {
  objectiveId: string;
  keyResultId: string;
  title: string;
  indicator: 'leading' | 'lagging';
  score: number;
  grade: number;
  color: ScoreColor;
  health: Health;
}

/** A lagging result with the leading indicators that drive it. */
export interface DriverPair {
  lagging: KeyResultRef;
  leading: KeyResultRef[];
}

export interface OverdueCheckIn {
  objectiveId: string;
  keyResultId: string;
  title: string;
  teams: string[];
  regions: string[];
  cadence: string;
  lastCheckInAt: string | null;
  dueAt: string;
  daysOverdue: number;
}

export interface AlignmentNode {
  id: string;
  title: string;
  score: number;
  color: ScoreColor;
  /** Parents within this set. */
  parents: string[];
  children: string[];
}

export interface OkrReport extends OkrEvaluation {
  /** The team/region this report was narrowed to, if any. */
  scope: { team: string | null; region: string | null };
  teams: OwnerSummary[];
  regions: OwnerSummary[];
  /** Objectives owned by more than one team. */
  crossTeam: { objectiveId: string; title: string; teams: string[]; score: number; grade: number; color: ScoreColor }[];
  alignment: AlignmentNode[];
  drivers: DriverPair[];
  /** The operating rhythm: key results whose check-in is overdue for their cadence, most overdue first. */
  overdue: OverdueCheckIn[];
}

export interface OkrReportOptions extends EvaluateOptions {
  /** Only objectives with this owning team. */
  team?: string;
  /** Only objectives with this owning region. */
  region?: string;
}

function summarise(name: string, objectives: readonly ObjectiveResult[]): OwnerSummary {
  const score = objectives.length === 0 ? 0 : objectives.reduce((sum, o) => sum + o.score, 0) / objectives.length;
  const grade = gradeOf(score);
  return {
    name,
    objectives: objectives.map((o) => o.id),
    score,
    grade,
    color: colorOf(grade),
    atRisk: objectives.filter((o) => o.atRisk).length,
    keyResults: objectives.reduce((sum, o) => sum + o.keyResults.length, 0),
  };
}

function byOwner(
  objectives: readonly ObjectiveResult[],
  ownerOf: (o: ObjectiveResult) => readonly string[],
): OwnerSummary[] {
  const groups = new Map<string, ObjectiveResult[]>();
  for (const o of objectives) for (const name of ownerOf(o)) groups.set(name, [...(groups.get(name) ?? []), o]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => summarise(name, list));
}

function refOf(kr: KeyResultResult): KeyResultRef {
  return {
    objectiveId: kr.objectiveId,
    keyResultId: kr.id,
    title: kr.title,
    indicator: kr.indicator,
    score: kr.score,
    grade: kr.grade,
    color: kr.color,
    health: kr.health,
  };
}

function checkScope(value: unknown, name: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value === '')
    throw new HubspokeError('E_VALIDATION', `options.${name}: expected a non-empty string`, {
      path: `options.${name}`,
    });
  return value;
}

/** Adds the report views to an evaluation (or narrows it to a team or region). */
export function reportFromEvaluation(
  evaluation: OkrEvaluation,
  scope: { team?: string; region?: string } = {},
): OkrReport {
  const team = checkScope(scope.team, 'team');
  const region = checkScope(scope.region, 'region');
  const objectives = evaluation.objectives.filter(
    (o) => (team === null || o.teams.includes(team)) && (region === null || o.regions.includes(region)),
  );
  const ids = new Set(objectives.map((o) => o.id));
  const keyResults = objectives.flatMap((o) => o.keyResults);
  const byId = new Map(keyResults.map((kr) => [kr.id, kr]));
  const asOf = Date.parse(evaluation.asOf);

  const drivers = keyResults
    .filter((kr) => kr.indicator === 'lagging' && kr.drivenBy.length > 0)
    .map((kr) => ({
      lagging: refOf(kr),
      leading: kr.drivenBy.flatMap((id) => {
        const driver = byId.get(id);
        return driver === undefined ? [] : [refOf(driver)];
      }),
    }));

  const overdue = objectives
    .flatMap((o) =>
      o.keyResults
        .filter((kr) => kr.overdue && kr.nextCheckInDue !== null)
        .map((kr) => ({
          objectiveId: o.id,
          keyResultId: kr.id,
          title: kr.title,
          teams: o.teams,
          regions: o.regions,
          cadence: kr.cadence,
          lastCheckInAt: kr.lastCheckInAt,
          dueAt: kr.nextCheckInDue ?? '',
          daysOverdue: Math.floor((asOf - Date.parse(kr.nextCheckInDue ?? '')) / DAY_MS),
        })),
    )
    .sort(
      (a, b) =>
        b.daysOverdue - a.daysOverdue ||
        a.objectiveId.localeCompare(b.objectiveId) ||
        a.keyResultId.localeCompare(b.keyResultId),
    );

  return {
    ...evaluation,
    objectives,
    scope: { team, region },
    teams: byOwner(objectives, (o) => o.teams),
    regions: byOwner(objectives, (o) => o.regions),
    crossTeam: objectives
      .filter((o) => o.teams.length > 1)
      .map((o) => ({
        objectiveId: o.id,
        title: o.title,
        teams: o.teams,
        score: o.score,
        grade: o.grade,
        color: o.color,
      })),
    alignment: objectives.map((o) => ({
      id: o.id,
      title: o.title,
      score: o.score,
      color: o.color,
      parents: o.alignsTo.filter((p) => ids.has(p)),
      children: o.alignedChildren.filter((c) => ids.has(c)),
    })),
    drivers,
    overdue,
  };
}

/**
 * Evaluates an OKR set and builds every report view: per team, per region, the cross-team
 * objectives, the alignment graph, leading indicators next to the lagging results they
 * drive, and overdue check-ins. Render it with `renderOkrReport`.
 */
export function buildOkrReport(okrSet: unknown, options: OkrReportOptions = {}): OkrReport {
  const { team, region, ...evaluateOptions } = options;
  const evaluation = evaluateOkrs(okrSet, evaluateOptions);
  const scope: { team?: string; region?: string } = {};
  if (team !== undefined) scope.team = team;
  if (region !== undefined) scope.region = region;
  return reportFromEvaluation(evaluation, scope);
}
