import {
  parse,
  type Diagnostic,
  type KeyResult,
  type KeyResultKind,
  type Objective,
  type Period,
} from '@hubspoke/core';
import { z } from 'zod';
import { diagnostic } from '../internal/diagnostic.js';
import { finiteOrNull, weightedMean } from '../internal/math.js';
import { cadenceMs, instantOption, isoInstant, periodBounds } from '../internal/time.js';
import { checkInsUntil, expectedProgress, latest, measureOwn, type Window } from './key-result.js';
import { prepareOkrSet, type ObjectiveScoreFrom, type PreparedOkrSet } from './prepare.js';
import { colorOf, expectedScoreOf, gradeOf, type ScoreColor } from './scoring.js';

export const EvaluateOptionsSchema = z
  .object({
    /** The moment to evaluate at (default: now). Check-ins after it are ignored. */
    asOf: z.union([z.string(), z.date()]).optional(),
    /** Progress may exceed 1.0 up to this ceiling (over-achievement); scores are always capped at 1.0. */
    progressCeiling: z.number().min(1).max(10).default(1),
    /** What an objective's score averages: its key results (default), the objectives aligned to it, or both. */
    objectiveScoreFrom: z.enum(['keyResults', 'alignedObjectives', 'both']).default('keyResults'),
    /** A latest confidence below this flags the key result at risk. */
    lowConfidenceBelow: z.number().min(0).max(1).default(0.5),
  })
  .strict();
export type EvaluateOptions = z.input<typeof EvaluateOptionsSchema>;

/** Weakest first: an objective's health is its weakest counted key result's (Perdoo). */
export const HEALTH_ORDER = ['at-risk', 'no-data', 'on-track', 'accomplished'] as const;
export type Health = (typeof HEALTH_ORDER)[number];

export type AtRiskReason = 'forecast-below-expectation' | 'low-confidence';

export interface KeyResultResult {
  id: string;
  objectiveId: string;
  title: string;
  kind: KeyResultKind;
  indicator: 'leading' | 'lagging';
  unit: string | null;
  weight: number;
  /** Weight 0: tracked and reported, not counted in the objective's score. */
  counted: boolean;
  baseline: number | null;
  target: number | null;
  band: { min: number; max: number } | null;
  /** Latest measured value (numeric kinds), as of `asOf`. */
  current: number | null;
  /** When the state shown was last reported. */
  currentAt: string | null;
  /** 0 to the progress ceiling (1 by default). */
  progress: number;
  /** Google's 0.0–1.0 score: progress capped at 1; for maintain, the share of time inside the band. */
  score: number;
  /** The score rounded to one decimal, as Google grades. */
  grade: number;
  color: ScoreColor;
  /** Latest confidence check-in, 0–1: forward-looking, never mixed into progress or score. */
  confidence: number | null;
  /** Linear by date: the share of the objective's period elapsed. */
  expectedProgress: number;
  /** progress ÷ expected progress; `null` before the period starts. */
  pace: number | null;
  forecast: { score: number; value: number | null } | null;
  atRisk: boolean;
  atRiskReasons: AtRiskReason[];
  health: Health;
  inBand?: boolean;
  achieved?: boolean;
  milestones?: { id: string; title: string; done: boolean }[];
  /** Check-ins up to `asOf`. */
  checkIns: number;
  lastCheckInAt: string | null;
  /** Expected check-in rhythm, e.g. `P7D`. */
  cadence: string;
  /** When the next check-in is due by the cadence; `null` for rollups. */
  nextCheckInDue: string | null;
  overdue: boolean;
  /** Lagging results this leading indicator drives, and the leading indicators driving this one. */
  drives: string[];
  drivenBy: string[];
}

export interface ObjectiveResult {
  id: string;
  title: string;
  type: 'committed' | 'aspirational';
  owners: Objective['owners'];
  teams: string[];
  regions: string[];
  period: Period;
  alignsTo: string[];
  /** Objectives in this set aligned to this one. */
  alignedChildren: string[];
  /** Weighted mean of the counted key results (and/or aligned objectives, per `objectiveScoreFrom`). */
  progress: number;
  score: number;
  grade: number;
  color: ScoreColor;
  /** 1.0 committed, 0.7 aspirational. */
  expectedScore: number;
  meetsExpectation: boolean;
  expectedProgress: number;
  /** Weighted mean of forecast scores (a key result without a forecast contributes its score). */
  forecastScore: number;
  /** Some counted key result is at risk. */
  atRisk: boolean;
  /** The weakest counted key result's health. */
  health: Health;
  keyResults: KeyResultResult[];
}

export interface OkrEvaluation {
  setId: string;
  name: string;
  asOf: string;
  options: { progressCeiling: number; objectiveScoreFrom: ObjectiveScoreFrom; lowConfidenceBelow: number };
  objectives: ObjectiveResult[];
  diagnostics: Diagnostic[];
}

function worst(healths: readonly Health[]): Health {
  let rank: number = HEALTH_ORDER.length;
  for (const h of healths) rank = Math.min(rank, HEALTH_ORDER.indexOf(h));
  return HEALTH_ORDER[rank] ?? 'no-data';
}

interface Scored {
  progress: number;
  score: number;
  forecastScore: number;
  hasData: boolean;
}

const NOTHING: Scored = { progress: 0, score: 0, forecastScore: 0, hasData: false };

/** Weighted means of the counted items (weight 0 = tracked, not counted; nothing counted = 0). */
function combine(items: readonly (Scored & { weight: number })[]): Scored {
  const mean = (pick: (s: Scored) => number): number =>
    weightedMean(items.map((i) => ({ weight: i.weight, value: pick(i) }))) ?? 0;
  return {
    progress: mean((i) => i.progress),
    score: mean((i) => i.score),
    forecastScore: mean((i) => i.forecastScore),
    hasData: items.some((i) => i.weight > 0 && i.hasData),
  };
}

/**
 * Scores an OKR set at `asOf`: progress, Google score and colour, expectation, confidence,
 * linear expected progress, pace, forecast, at-risk flags, health and check-in rhythm for
 * every key result and objective. Invalid sets throw `E_VALIDATION` naming the bad path or
 * cycle; softer problems come back as diagnostics. Never NaN or Infinity.
 */
export function evaluateOkrs(input: unknown, options: EvaluateOptions = {}): OkrEvaluation {
  const opts = parse(EvaluateOptionsSchema, options, 'options');
  const asOf = instantOption(opts.asOf, 'options.asOf', () => Date.now());
  const prepared = prepareOkrSet(input, opts.objectiveScoreFrom);
  return evaluatePrepared(prepared, asOf, opts);
}

function evaluatePrepared(
  prepared: PreparedOkrSet,
  asOf: number,
  opts: z.output<typeof EvaluateOptionsSchema>,
): OkrEvaluation {
  const { set } = prepared;
  const diagnostics = [...prepared.diagnostics];
  const krScores = set.objectives.map((o) => o.keyResults.map((): Scored | undefined => undefined));
  const objectiveScores: (Scored | undefined)[] = set.objectives.map(() => undefined);
  const krResults = set.objectives.map((o) => o.keyResults.map((): KeyResultResult | undefined => undefined));

  const drivenBy = new Map<string, string[]>();
  for (const o of set.objectives)
    for (const kr of o.keyResults) for (const id of kr.drives) drivenBy.set(id, [...(drivenBy.get(id) ?? []), kr.id]);

  const childScore = (child: { ref: string; type: 'keyResult' | 'objective' }): Scored | undefined => {
    if (child.type === 'objective') {
      const i = prepared.objectiveIndex.get(child.ref);
      return i === undefined ? undefined : objectiveScores[i];
    }
    const place = prepared.keyResultPlaces.get(child.ref)?.[0];
    return place === undefined ? undefined : krScores[place.objective]?.[place.keyResult];
  };

  for (const node of prepared.order) {
    const objective = set.objectives[node.objective];
    if (objective === undefined) continue;
    const bounds = periodBounds(objective.period);
    const window: Window = { ...bounds, asOf };
    if (node.type === 'keyResult') {
      const kr = objective.keyResults[node.keyResult];
      if (kr === undefined) continue;
      const path = `okrSet.objectives[${node.objective}].keyResults[${node.keyResult}]`;
      const result = evaluateKeyResult(
        kr,
        objective,
        window,
        expectedScoreOf(objective.type),
        opts,
        path,
        diagnostics,
        childScore,
        drivenBy.get(kr.id) ?? [],
      );
      const scores = krScores[node.objective];
      const results = krResults[node.objective];
      if (scores !== undefined) scores[node.keyResult] = result.scored;
      if (results !== undefined) results[node.keyResult] = result.result;
    } else {
      const items: (Scored & { weight: number })[] = [];
      if (opts.objectiveScoreFrom !== 'alignedObjectives') {
        objective.keyResults.forEach((kr, k) => {
          const s = krScores[node.objective]?.[k];
          if (s !== undefined) items.push({ ...s, weight: kr.weight });
        });
      }
      if (opts.objectiveScoreFrom !== 'keyResults') {
        for (const c of prepared.alignedChildren[node.objective] ?? []) {
          const s = objectiveScores[c];
          if (s !== undefined) items.push({ ...s, weight: 1 });
        }
      }
      if (!items.some((i) => i.weight > 0)) {
        diagnostics.push(
          diagnostic(
            'okr/nothing-counted',
            'warning',
            `Objective ${objective.id} has nothing counted toward its score (no key results, or all weight 0): its score is 0`,
            `okrSet.objectives[${node.objective}]`,
          ),
        );
      }
      objectiveScores[node.objective] = combine(items);
    }
  }

  const objectives = set.objectives.map((objective, i): ObjectiveResult => {
    const s = objectiveScores[i] ?? NOTHING;
    const keyResults = (krResults[i] ?? []).filter((r): r is KeyResultResult => r !== undefined);
    const counted = keyResults.filter((r) => r.counted);
    const grade = gradeOf(s.score);
    const expectedScore = expectedScoreOf(objective.type);
    return {
      id: objective.id,
      title: objective.title,
      type: objective.type,
      owners: objective.owners.map((o) => ({ ...o })),
      teams: [...new Set(objective.owners.flatMap((o) => (o.team === undefined ? [] : [o.team])))],
      regions: [...new Set(objective.owners.flatMap((o) => (o.region === undefined ? [] : [o.region])))],
      period: { ...objective.period },
      alignsTo: [...objective.alignsTo],
      alignedChildren: (prepared.alignedChildren[i] ?? []).map((c) => set.objectives[c]?.id ?? ''),
      progress: s.progress,
      score: s.score,
      grade,
      color: colorOf(grade),
      expectedScore,
      meetsExpectation: grade >= expectedScore,
      expectedProgress: expectedProgress({ ...periodBounds(objective.period), asOf }),
      forecastScore: s.forecastScore,
      atRisk: counted.some((r) => r.atRisk),
      health: counted.length === 0 ? 'no-data' : worst(counted.map((r) => r.health)),
      keyResults,
    };
  });

  return {
    setId: set.id,
    name: set.name,
    asOf: isoInstant(asOf),
    options: {
      progressCeiling: opts.progressCeiling,
      objectiveScoreFrom: opts.objectiveScoreFrom,
      lowConfidenceBelow: opts.lowConfidenceBelow,
    },
    objectives,
    diagnostics,
  };
}

function evaluateKeyResult(
  kr: KeyResult,
  objective: Objective,
  window: Window,
  expectedScore: number,
  opts: z.output<typeof EvaluateOptionsSchema>,
  path: string,
  diagnostics: Diagnostic[],
  childScore: (child: { ref: string; type: 'keyResult' | 'objective' }) => Scored | undefined,
  drivenBy: string[],
): { scored: Scored; result: KeyResultResult } {
  const checkIns = checkInsUntil(kr, window.asOf);
  const expected = expectedProgress(window);
  let own: ReturnType<typeof measureOwn> | undefined;
  let scored: Scored;
  let forecastScore: number | null;
  if (kr.kind === 'rollup') {
    const children = kr.children.map((c) => ({ ...(childScore(c) ?? NOTHING), weight: c.weight }));
    if (!children.some((c) => c.weight > 0)) {
      diagnostics.push(
        diagnostic(
          'okr/nothing-counted',
          'warning',
          `Rollup ${kr.id} has no child with a weight above 0: its score is 0`,
          `${path}.children`,
        ),
      );
    }
    scored = combine(children);
    forecastScore = scored.hasData ? scored.forecastScore : null;
  } else {
    own = measureOwn(kr, checkIns, { window, ceiling: opts.progressCeiling, path, diagnostics });
    forecastScore = own.forecastScore;
    scored = {
      progress: own.progress,
      score: own.score,
      forecastScore: own.forecastScore ?? own.score,
      hasData: own.hasData,
    };
  }

  const confidence = latest(checkIns, 'confidence')?.value ?? null;
  const reasons: AtRiskReason[] = [];
  if (forecastScore !== null && forecastScore < expectedScore - 1e-9) reasons.push('forecast-below-expectation');
  if (confidence !== null && confidence < opts.lowConfidenceBelow) reasons.push('low-confidence');
  const ended = window.asOf >= window.end;
  const accomplished = kr.kind === 'maintain' ? ended && scored.score >= 1 : scored.score >= 1;
  const health: Health = accomplished
    ? 'accomplished'
    : reasons.length > 0
      ? 'at-risk'
      : scored.hasData
        ? 'on-track'
        : 'no-data';

  const last = checkIns[checkIns.length - 1];
  const due = kr.kind === 'rollup' ? null : (last?.at ?? window.start) + cadenceMs(kr.cadence);
  const grade = gradeOf(scored.score);
  const result: KeyResultResult = {
    id: kr.id,
    objectiveId: objective.id,
    title: kr.title,
    kind: kr.kind,
    indicator: kr.indicator,
    unit: kr.unit ?? null,
    weight: kr.weight,
    counted: kr.weight > 0,
    baseline: kr.kind === 'increase' || kr.kind === 'decrease' ? kr.baseline : null,
    target: kr.kind === 'increase' || kr.kind === 'decrease' ? kr.target : null,
    band: kr.kind === 'maintain' ? { ...kr.band } : null,
    current: own?.current ?? null,
    currentAt: own?.currentAt == null ? null : isoInstant(own.currentAt),
    progress: scored.progress,
    score: scored.score,
    grade,
    color: colorOf(grade),
    confidence,
    expectedProgress: expected,
    pace: expected > 0 ? finiteOrNull(scored.progress / expected) : null,
    forecast: forecastScore === null ? null : { score: forecastScore, value: own?.forecastValue ?? null },
    atRisk: reasons.length > 0,
    atRiskReasons: reasons,
    health,
    checkIns: checkIns.length,
    lastCheckInAt: last === undefined ? null : isoInstant(last.at),
    cadence: kr.cadence,
    nextCheckInDue: due === null ? null : isoInstant(due),
    overdue: due !== null && window.asOf >= window.start && window.asOf < window.end && window.asOf > due,
    drives: [...kr.drives],
    drivenBy,
  };
  if (own?.inBand !== undefined) result.inBand = own.inBand;
  if (own?.achieved !== undefined) result.achieved = own.achieved;
  if (kr.kind === 'milestone') {
    const done = new Set(own?.milestonesDone ?? []);
    result.milestones = kr.milestones.map((m) => ({ id: m.id, title: m.title, done: done.has(m.id) }));
  }
  return { scored, result };
}
