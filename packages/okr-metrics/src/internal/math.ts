/** Limits `value` to `[min, max]`. */
export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** `numerator / denominator`, or `null` when the denominator is 0 or the result is not finite. */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : null;
}

/** `value` when finite, else `null`: the last guard before anything is output. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export interface Weighted {
  weight: number;
  value: number;
}

/** Weighted mean; items with weight 0 are tracked, not counted. `null` when no weight counts. */
export function weightedMean(items: readonly Weighted[]): number | null {
  let total = 0;
  let sum = 0;
  for (const item of items) {
    if (item.weight <= 0) continue;
    total += item.weight;
    sum += item.weight * item.value;
  }
  return total > 0 ? finiteOrNull(sum / total) : null;
}

/** Rounds half up to `digits` decimals, tolerant of binary artefacts (0.35 → 0.4 at one decimal). */
export function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale + 1e-9) / scale;
}
