import { HubspokeError } from '@hubspoke/core';
import { erfc, normalQuantile } from './normal.js';

export interface Interval {
  low: number;
  high: number;
}

/** The two-sided critical value z for a confidence level, e.g. 0.95 → 1.95996. */
export function zForConfidence(confidence: number): number {
  if (!(typeof confidence === 'number' && confidence > 0 && confidence < 1)) {
    throw new HubspokeError(
      'E_VALIDATION',
      `confidence: expected a number between 0 and 1 (exclusive), like 0.95, got ${String(confidence)}`,
      { path: 'confidence' },
    );
  }
  return normalQuantile(1 - (1 - confidence) / 2);
}

function assertCounts(successes: number, trials: number, path: string): void {
  if (!(
    Number.isSafeInteger(successes) &&
    Number.isSafeInteger(trials) &&
    successes >= 0 &&
    trials >= 0 &&
    successes <= trials
  )) {
    throw new HubspokeError(
      'E_VALIDATION',
      `${path}: expected whole numbers with 0 ≤ successes ≤ trials, got ${String(successes)} of ${String(trials)}`,
      {
        path,
        details: { successes, trials },
      },
    );
  }
}

/**
 * Wilson score interval for a proportion:
 * centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
 * `null` when there are no trials.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval | null {
  assertCounts(successes, trials, 'wilsonInterval');
  const z = zForConfidence(confidence);
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface ZTest {
  /** p̂a − p̂b. */
  difference: number;
  /** (p̂a − p̂b) / √(p(1−p)(1/na + 1/nb)) with the pooled p; `null` when the pooled variance is 0. */
  z: number | null;
  /** Two-sided p-value; `null` when `z` is. */
  pValue: number | null;
}

/**
 * Two-proportion z-test with a pooled proportion p = (xa + xb) / (na + nb). `null` when
 * either group has no trials.
 */
export function twoProportionZTest(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
): ZTest | null {
  assertCounts(a.successes, a.trials, 'twoProportionZTest.a');
  assertCounts(b.successes, b.trials, 'twoProportionZTest.b');
  if (a.trials === 0 || b.trials === 0) return null;
  const pa = a.successes / a.trials;
  const pb = b.successes / b.trials;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (!(se > 0)) return { difference: pa - pb, z: null, pValue: null };
  const z = (pa - pb) / se;
  return { difference: pa - pb, z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}
