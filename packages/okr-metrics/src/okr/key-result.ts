import type { CheckIn, Diagnostic, KeyResult } from '@hubspoke/core';
import { diagnostic } from '../internal/diagnostic.js';
import { clamp, finiteOrNull, ratio } from '../internal/math.js';
import { DAY_MS } from '../internal/time.js';

/** A check-in with its instant, only those at or before `asOf`, oldest first. */
export interface TimedCheckIn {
  at: number;
  checkIn: CheckIn;
}

export function checkInsUntil(kr: KeyResult, asOf: number): TimedCheckIn[] {
  return kr.checkIns
    .map((checkIn) => ({ at: Date.parse(checkIn.at), checkIn }))
    .filter((c) => c.at <= asOf)
    .sort((a, b) => a.at - b.at);
}

/** The latest check-in carrying a given field. */
export function latest<K extends 'value' | 'done' | 'achieved' | 'confidence'>(
  checkIns: readonly TimedCheckIn[],
  field: K,
): { at: number; value: NonNullable<CheckIn[K]> } | undefined {
  for (let i = checkIns.length - 1; i >= 0; i--) {
    const c = checkIns[i];
    const value = c?.checkIn[field];
    if (c !== undefined && value !== undefined) return { at: c.at, value: value };
  }
  return undefined;
}

export interface Window {
  /** Period start and end (exclusive) as instants. */
  start: number;
  end: number;
  asOf: number;
}

/** Linear expected progress by date: the elapsed share of the period, 0–1. */
export function expectedProgress(w: Window): number {
  return clamp((w.asOf - w.start) / (w.end - w.start), 0, 1);
}

/**
 * progress = clamp((current − baseline) / (target − baseline), 0, ceiling). The same ratio
 * serves decrease-to key results (both differences are negative). Equal endpoints → `null`.
 */
export function linearProgress(current: number, baseline: number, target: number, ceiling: number): number | null {
  const share = ratio(current - baseline, target - baseline);
  return share === null ? null : clamp(share, 0, ceiling);
}

/**
 * Share of time inside the band, from the first reading (or the period start, when a reading
 * precedes it) to `until`. A reading holds until the next one; time before the first
 * reading is not counted. A window of zero length scores whether the last reading is inside.
 * With `holdTo`, the last reading is assumed to hold until then (the forecast).
 */
export function shareInBand(
  readings: readonly { at: number; value: number }[],
  band: { min: number; max: number },
  from: number,
  until: number,
  holdTo = until,
): number | null {
  const last = readings[readings.length - 1];
  if (last === undefined) return null;
  const inside = (v: number): boolean => v >= band.min && v <= band.max;
  let before: { at: number; value: number } | undefined;
  const steps: { at: number; value: number }[] = [];
  for (const r of readings) {
    if (r.at <= from) before = r;
    else if (r.at < until) steps.push(r);
  }
  if (before !== undefined) steps.unshift({ at: from, value: before.value });
  const first = steps[0];
  if (first === undefined || holdTo <= first.at) return inside(last.value) ? 1 : 0;
  let insideMs = 0;
  steps.forEach((step, i) => {
    const next = steps[i + 1]?.at ?? holdTo;
    if (inside(step.value)) insideMs += next - step.at;
  });
  return clamp(insideMs / (holdTo - first.at), 0, 1);
}

/**
 * Least-squares slope of value over time (per day) through the readings; `null` with fewer
 * than two distinct instants.
 */
export function trendPerDay(points: readonly { at: number; value: number }[]): number | null {
  const n = points.length;
  if (n < 2) return null;
  const origin = points[0]?.at ?? 0;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += (p.at - origin) / DAY_MS;
    sy += p.value;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    const dx = (p.at - origin) / DAY_MS - mx;
    sxy += dx * (p.value - my);
    sxx += dx * dx;
  }
  return sxx > 0 ? finiteOrNull(sxy / sxx) : null;
}

/** What one key result's own check-ins say (rollups are computed from their children elsewhere). */
export interface OwnMeasure {
  /** The latest measured value (numeric kinds). */
  current: number | null;
  currentAt: number | null;
  progress: number;
  /** Google's 0.0–1.0 grade input: progress capped at 1 (maintain: share inside the band). */
  score: number;
  /** Forecast score at period end, `null` when the check-ins cannot say. */
  forecastScore: number | null;
  /** Forecast value at period end (increase/decrease). */
  forecastValue: number | null;
  hasData: boolean;
  inBand?: boolean;
  achieved?: boolean;
  milestonesDone?: string[];
}

interface MeasureContext {
  window: Window;
  ceiling: number;
  path: string;
  diagnostics: Diagnostic[];
}

/** Check-in fields each kind does not read: reported, never silently dropped. */
const IGNORED: Record<Exclude<KeyResult['kind'], 'rollup'>, readonly ('value' | 'done' | 'achieved')[]> = {
  increase: ['done', 'achieved'],
  decrease: ['done', 'achieved'],
  maintain: ['done', 'achieved'],
  milestone: ['value', 'achieved'],
  binary: ['value', 'done'],
};

function warnIgnored(
  kr: Exclude<KeyResult, { kind: 'rollup' }>,
  checkIns: readonly TimedCheckIn[],
  ctx: MeasureContext,
): void {
  if (checkIns.length === 0) return;
  for (const field of IGNORED[kr.kind]) {
    const i = kr.checkIns.findIndex((c) => c[field] !== undefined);
    if (i >= 0)
      ctx.diagnostics.push(
        diagnostic(
          'okr/check-in-ignored',
          'warning',
          `Key result ${kr.id} (${kr.kind}) ignores the "${field}" of its check-ins`,
          `${ctx.path}.checkIns[${i}].${field}`,
        ),
      );
  }
}

function measureNumeric(
  kr: KeyResult & { kind: 'increase' | 'decrease' },
  checkIns: readonly TimedCheckIn[],
  ctx: MeasureContext,
): OwnMeasure {
  const { baseline, target } = kr;
  if (target === baseline) {
    ctx.diagnostics.push(
      diagnostic(
        'okr/equal-endpoints',
        'warning',
        `Key result ${kr.id} has its target equal to its baseline: progress stays 0`,
        `${ctx.path}.target`,
      ),
    );
  } else if ((kr.kind === 'increase') !== target > baseline) {
    ctx.diagnostics.push(
      diagnostic(
        'okr/direction-mismatch',
        'warning',
        `Key result ${kr.id} is "${kr.kind}" but its target is ${target > baseline ? 'above' : 'below'} its baseline`,
        `${ctx.path}.target`,
      ),
    );
  }
  const readings = checkIns.flatMap((c) =>
    c.checkIn.value === undefined ? [] : [{ at: c.at, value: c.checkIn.value }],
  );
  const last = readings[readings.length - 1];
  const progressOf = (value: number): number => linearProgress(value, baseline, target, ctx.ceiling) ?? 0;
  const progress = last === undefined ? 0 : progressOf(last.value);
  let forecastValue: number | null = null;
  if (last !== undefined) {
    if (ctx.window.asOf >= ctx.window.end || last.at >= ctx.window.end) forecastValue = last.value;
    else {
      // The baseline anchors the trend at the period start unless a reading already does.
      const anchored =
        readings[0] !== undefined && readings[0].at <= ctx.window.start
          ? readings
          : [{ at: ctx.window.start, value: baseline }, ...readings];
      const slope = trendPerDay(anchored);
      forecastValue = slope === null ? null : finiteOrNull(last.value + (slope * (ctx.window.end - last.at)) / DAY_MS);
    }
  }
  return {
    current: last?.value ?? null,
    currentAt: last?.at ?? null,
    progress,
    score: Math.min(1, progress),
    forecastValue,
    forecastScore: forecastValue === null ? null : Math.min(1, progressOf(forecastValue)),
    hasData: last !== undefined,
  };
}

function measureMaintain(
  kr: KeyResult & { kind: 'maintain' },
  checkIns: readonly TimedCheckIn[],
  ctx: MeasureContext,
): OwnMeasure {
  const readings = checkIns.flatMap((c) =>
    c.checkIn.value === undefined ? [] : [{ at: c.at, value: c.checkIn.value }],
  );
  const last = readings[readings.length - 1];
  const { start, end, asOf } = ctx.window;
  const until = Math.min(Math.max(asOf, start), end);
  const share = shareInBand(readings, kr.band, start, until) ?? 0;
  const forecast = last === undefined ? null : shareInBand(readings, kr.band, start, until, end);
  const measure: OwnMeasure = {
    current: last?.value ?? null,
    currentAt: last?.at ?? null,
    progress: share,
    score: share,
    forecastValue: null,
    forecastScore: forecast,
    hasData: last !== undefined,
  };
  if (last !== undefined) measure.inBand = last.value >= kr.band.min && last.value <= kr.band.max;
  return measure;
}

function measureMilestones(
  kr: KeyResult & { kind: 'milestone' },
  checkIns: readonly TimedCheckIn[],
  ctx: MeasureContext,
): OwnMeasure {
  const state = latest(checkIns, 'done');
  const done = new Set(state?.value ?? []);
  const ids = kr.milestones.map((m) => m.id);
  for (const id of done) {
    if (!ids.includes(id))
      ctx.diagnostics.push(
        diagnostic(
          'okr/unknown-milestone',
          'warning',
          `Key result ${kr.id} has no milestone ${id}; it is ignored`,
          `${ctx.path}.checkIns`,
          { milestone: id },
        ),
      );
  }
  const doneIds = ids.filter((id) => done.has(id));
  const firstOpen = ids.findIndex((id) => !done.has(id));
  if (firstOpen >= 0 && ids.slice(firstOpen).some((id) => done.has(id))) {
    ctx.diagnostics.push(
      diagnostic(
        'okr/milestone-out-of-order',
        'warning',
        `Key result ${kr.id}: a later milestone is done before ${ids[firstOpen] ?? ''}`,
        `${ctx.path}.milestones[${firstOpen}]`,
      ),
    );
  }
  const progress = doneIds.length / ids.length;
  const elapsed = expectedProgress(ctx.window);
  const forecastScore =
    state === undefined
      ? null
      : progress >= 1 || ctx.window.asOf >= ctx.window.end
        ? progress
        : elapsed > 0
          ? Math.min(1, progress / elapsed)
          : null;
  return {
    current: null,
    currentAt: state?.at ?? null,
    progress,
    score: progress,
    forecastValue: null,
    forecastScore,
    hasData: state !== undefined,
    milestonesDone: doneIds,
  };
}

function measureBinary(checkIns: readonly TimedCheckIn[]): OwnMeasure {
  const state = latest(checkIns, 'achieved');
  const achieved = state?.value === true;
  const measure: OwnMeasure = {
    current: null,
    currentAt: state?.at ?? null,
    progress: achieved ? 1 : 0,
    score: achieved ? 1 : 0,
    forecastValue: null,
    forecastScore: achieved ? 1 : null,
    hasData: state !== undefined,
  };
  if (state !== undefined) measure.achieved = achieved;
  return measure;
}

/** Measures a non-rollup key result from its own check-ins. */
export function measureOwn(
  kr: Exclude<KeyResult, { kind: 'rollup' }>,
  checkIns: readonly TimedCheckIn[],
  ctx: MeasureContext,
): OwnMeasure {
  warnIgnored(kr, checkIns, ctx);
  switch (kr.kind) {
    case 'increase':
    case 'decrease':
      return measureNumeric(kr, checkIns, ctx);
    case 'maintain':
      return measureMaintain(kr, checkIns, ctx);
    case 'milestone':
      return measureMilestones(kr, checkIns, ctx);
    case 'binary':
      return measureBinary(checkIns);
  }
}
