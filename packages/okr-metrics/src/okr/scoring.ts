import { roundTo } from '../internal/math.js';

/** Google's colour bands on the 0.0–1.0 grade: 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green. */
export type ScoreColor = 'red' | 'yellow' | 'green';

/** Google grades to one decimal: the score rounded half up (0.35 → 0.4, 0.65 → 0.7). */
export function gradeOf(score: number): number {
  return roundTo(score, 1);
}

export function colorOf(grade: number): ScoreColor {
  return grade >= 0.7 ? 'green' : grade >= 0.4 ? 'yellow' : 'red';
}

/** Committed OKRs are expected to reach 1.0; aspirational ones about 0.7. */
export function expectedScoreOf(type: 'committed' | 'aspirational'): number {
  return type === 'committed' ? 1 : 0.7;
}
