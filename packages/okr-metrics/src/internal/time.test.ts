import { describe, expect, it } from 'vitest';
import { cadenceMs, DAY_MS, instantOption, isoWeek, periodBounds } from './time.js';
import { roundTo, weightedMean, ratio } from './math.js';

describe('time helpers', () => {
  it.each([
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    ['2024-12-30', '2025-W01'],
    ['2021-01-03', '2020-W53'],
    ['2027-01-01', '2026-W53'],
    ['2026-03-02', '2026-W10'],
  ])('ISO week of %s is %s', (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });

  it('treats period end dates as inclusive', () => {
    const { start, end } = periodBounds({ start: '2026-01-01', end: '2026-03-31' });
    expect((end - start) / DAY_MS).toBe(90);
  });

  it('reads cadences and instants', () => {
    expect(cadenceMs('P7D')).toBe(7 * DAY_MS);
    expect(cadenceMs('P2W')).toBe(14 * DAY_MS);
    expect(instantOption('2026-02-15', 'asOf', () => 0)).toBe(Date.UTC(2026, 1, 15));
    expect(instantOption(new Date(5), 'asOf', () => 0)).toBe(5);
    expect(instantOption(undefined, 'asOf', () => 42)).toBe(42);
    // No offset means UTC, whatever the machine's time zone.
    expect(instantOption('2026-02-15T10:00:00', 'asOf', () => 0)).toBe(Date.UTC(2026, 1, 15, 10));
    expect(instantOption('2026-02-15T10:00:00+02:00', 'asOf', () => 0)).toBe(Date.UTC(2026, 1, 15, 8));
    expect(() => instantOption('2026-02-30T99:00:00Z', 'asOf', () => 0)).toThrow(
      /asOf: expected a Date or an ISO date/,
    );
  });
});

describe('math helpers', () => {
  it('never returns NaN or Infinity', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.MAX_VALUE, 1e-300)).toBeNull();
    expect(weightedMean([{ weight: 0, value: 5 }])).toBeNull();
    expect(
      weightedMean([
        { weight: 1, value: 0.2 },
        { weight: 3, value: 1 },
      ]),
    ).toBeCloseTo(0.8, 12);
    expect(roundTo(0.35, 1)).toBe(0.4);
    expect(roundTo(0.349, 1)).toBe(0.3);
  });
});
