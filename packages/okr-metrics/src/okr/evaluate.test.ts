import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateOkrs, type KeyResultResult } from './evaluate.js';
import { colorOf, gradeOf } from './scoring.js';

// Q1 2026: 90 days, 2026-01-01T00:00Z to 2026-04-01T00:00Z (end dates are inclusive).
const period = { start: '2026-01-01', end: '2026-03-31' };
const at = (date: string) => `${date}T00:00:00Z`;

function evaluateOne(
  keyResults: unknown[],
  options: Parameters<typeof evaluateOkrs>[1] = {},
  extra: Record<string, unknown> = {},
) {
  return evaluateOkrs(
    {
      id: 'q1',
      name: 'Q1',
      objectives: [{ id: 'o', title: 'O', owners: [{ team: 'hq' }], period, keyResults, ...extra }],
    },
    { asOf: '2026-02-15', ...options },
  );
}
function kr(
  keyResult: Record<string, unknown>,
  options: Parameters<typeof evaluateOkrs>[1] = {},
  extra: Record<string, unknown> = {},
): KeyResultResult {
  const result = evaluateOne([{ id: 'k', title: 'K', ...keyResult }], options, extra).objectives[0]?.keyResults[0];
  if (result === undefined) throw new Error('no key result');
  return result;
}

describe('progress = clamp((current − baseline) / (target − baseline))', () => {
  it('increase: 50 → 70, now 62 → 0.6', () => {
    const r = kr({ kind: 'increase', baseline: 50, target: 70, checkIns: [{ at: at('2026-02-01'), value: 62 }] });
    expect(r).toMatchObject({
      progress: 0.6,
      score: 0.6,
      grade: 0.6,
      color: 'yellow',
      current: 62,
      currentAt: '2026-02-01T00:00:00.000Z',
    });
  });

  it('decrease: 10 → 5, now 7 → 0.6', () => {
    expect(
      kr({ kind: 'decrease', baseline: 10, target: 5, checkIns: [{ at: at('2026-02-01'), value: 7 }] }).progress,
    ).toBeCloseTo(0.6, 12);
  });

  it('clamps: past the target → 1 (or the ceiling), moving the wrong way → 0', () => {
    const base = { kind: 'increase', baseline: 50, target: 70 };
    expect(kr({ ...base, checkIns: [{ at: at('2026-02-01'), value: 80 }] }).progress).toBe(1);
    const over = kr({ ...base, checkIns: [{ at: at('2026-02-01'), value: 80 }] }, { progressCeiling: 1.5 });
    expect(over).toMatchObject({ progress: 1.5, score: 1 });
    expect(kr({ ...base, checkIns: [{ at: at('2026-02-01'), value: 40 }] }).progress).toBe(0);
    expect(
      kr({ kind: 'decrease', baseline: 10, target: 5, checkIns: [{ at: at('2026-02-01'), value: 12 }] }).progress,
    ).toBe(0);
  });

  it('scores 0 with a warning when target equals baseline, and warns when the direction contradicts the kind', () => {
    const result = evaluateOne([
      { id: 'k', title: 'K', kind: 'increase', baseline: 5, target: 5, checkIns: [{ at: at('2026-02-01'), value: 9 }] },
      { id: 'd', title: 'D', kind: 'decrease', baseline: 5, target: 9 },
    ]);
    expect(result.objectives[0]?.keyResults[0]?.progress).toBe(0);
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['okr/equal-endpoints', 'okr/direction-mismatch']);
  });

  it('uses the latest check-in at or before asOf', () => {
    const checkIns = [
      { at: at('2026-02-10'), value: 60 },
      { at: at('2026-01-10'), value: 55 },
      { at: at('2026-03-01'), value: 70 },
    ];
    expect(kr({ kind: 'increase', baseline: 50, target: 70, checkIns }).current).toBe(60);
    expect(kr({ kind: 'increase', baseline: 50, target: 70, checkIns }, { asOf: '2026-03-02' }).current).toBe(70);
  });
});

describe("Google's scale", () => {
  it.each([
    [0, 0, 'red'],
    [0.3, 0.3, 'red'],
    [0.34, 0.3, 'red'],
    [0.35, 0.4, 'yellow'],
    [0.6, 0.6, 'yellow'],
    [0.65, 0.7, 'green'],
    [0.7, 0.7, 'green'],
    [1, 1, 'green'],
  ] as const)('score %d grades %d, %s', (score, grade, color) => {
    expect(gradeOf(score)).toBe(grade);
    expect(colorOf(gradeOf(score))).toBe(color);
  });

  it('expects 1.0 from committed objectives and 0.7 from aspirational ones', () => {
    const objective = (type: string, value: number) =>
      evaluateOne(
        [
          {
            id: 'k',
            title: 'K',
            kind: 'increase',
            baseline: 0,
            target: 10,
            checkIns: [{ at: at('2026-02-01'), value }],
          },
        ],
        {},
        { type },
      ).objectives[0];
    expect(objective('committed', 10)).toMatchObject({ expectedScore: 1, meetsExpectation: true });
    expect(objective('committed', 9)).toMatchObject({ expectedScore: 1, meetsExpectation: false });
    expect(objective('aspirational', 7)).toMatchObject({ expectedScore: 0.7, meetsExpectation: true, color: 'green' });
    expect(objective('aspirational', 6)).toMatchObject({ meetsExpectation: false, color: 'yellow' });
  });
});

describe('objective scores: weighted mean of key results', () => {
  const scored = (id: string, value: number, weight?: number) => ({
    id,
    title: id,
    kind: 'increase',
    baseline: 0,
    target: 10,
    ...(weight === undefined ? {} : { weight }),
    checkIns: [{ at: at('2026-02-01'), value }],
  });

  it('averages equally by default (Google)', () => {
    expect(evaluateOne([scored('a', 6), scored('b', 10), scored('c', 2)]).objectives[0]?.score).toBeCloseTo(0.6, 12);
  });

  it('weights, and weight 0 is tracked but not counted', () => {
    const result = evaluateOne([scored('a', 10, 3), scored('b', 2, 1), scored('c', 0, 0)]);
    expect(result.objectives[0]?.score).toBeCloseTo(0.8, 12);
    expect(result.objectives[0]?.keyResults[2]).toMatchObject({ counted: false, score: 0 });
  });

  it('scores 0 with a warning when nothing counts', () => {
    const result = evaluateOne([scored('a', 10, 0)]);
    expect(result.objectives[0]?.score).toBe(0);
    expect(result.diagnostics.map((d) => d.ruleId)).toContain('okr/nothing-counted');
    expect(evaluateOne([]).objectives[0]).toMatchObject({ score: 0, health: 'no-data' });
  });
});

describe('maintain: score = share of time inside the band', () => {
  const band = { kind: 'maintain', band: { min: 0, max: 0.1 } };
  const readings = [
    { at: at('2026-01-01'), value: 0.05 },
    { at: at('2026-01-20'), value: 0.2 },
    { at: at('2026-01-30'), value: 0.08 },
  ];

  it('counts each reading until the next one: 35 of 45 days by Feb 15', () => {
    const r = kr({ ...band, checkIns: readings });
    expect(r.score).toBeCloseTo(35 / 45, 12);
    expect(r.progress).toBeCloseTo(35 / 45, 12);
    expect(r.inBand).toBe(true);
    expect(r.forecast?.score).toBeCloseTo(80 / 90, 12);
  });

  it('over the whole period: 80 of 90 days, accomplished only when always inside', () => {
    expect(kr({ ...band, checkIns: readings }, { asOf: '2026-04-15' }, { type: 'committed' })).toMatchObject({
      health: 'at-risk',
    });
    expect(kr({ ...band, checkIns: readings }, { asOf: '2026-04-15' }, { type: 'aspirational' })).toMatchObject({
      health: 'on-track',
    });
    expect(kr({ ...band, checkIns: readings }, { asOf: '2026-04-15' }).score).toBeCloseTo(80 / 90, 12);
    expect(kr({ ...band, checkIns: [{ at: at('2026-01-01'), value: 0.01 }] }, { asOf: '2026-04-15' })).toMatchObject({
      score: 1,
      health: 'accomplished',
    });
    expect(kr({ ...band, checkIns: [{ at: at('2026-01-01'), value: 0.01 }] }).health).toBe('on-track');
  });

  it('does not count the time before the first reading', () => {
    expect(kr({ ...band, checkIns: [{ at: at('2026-01-11'), value: 0.05 }] }, { asOf: '2026-01-21' }).score).toBe(1);
    expect(
      kr(
        {
          ...band,
          checkIns: [
            { at: at('2026-01-11'), value: 0.2 },
            { at: at('2026-01-16'), value: 0.05 },
          ],
        },
        { asOf: '2026-01-21' },
      ).score,
    ).toBeCloseTo(0.5, 12);
  });

  it('holds a reading from before the period start from the start', () => {
    expect(
      kr(
        {
          ...band,
          checkIns: [
            { at: '2025-12-20T00:00:00Z', value: 0.5 },
            { at: at('2026-01-10'), value: 0.05 },
          ],
        },
        { asOf: '2026-01-19' },
      ).score,
    ).toBeCloseTo(9 / 18, 12);
  });
});

describe('milestones, binary, rollup', () => {
  const milestones = {
    kind: 'milestone',
    milestones: ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id.toUpperCase() })),
  };

  it('milestone progress is the share of milestones done (latest check-in)', () => {
    const r = kr({
      ...milestones,
      checkIns: [
        { at: at('2026-01-10'), done: ['a'] },
        { at: at('2026-02-01'), done: ['a', 'b'] },
      ],
    });
    expect(r.progress).toBe(0.5);
    expect(r.milestones?.map((m) => m.done)).toEqual([true, true, false, false]);
    expect(r.forecast?.score).toBe(1);
  });

  it('warns about milestones done out of order and unknown milestone ids', () => {
    const result = evaluateOne([
      { id: 'k', title: 'K', ...milestones, checkIns: [{ at: at('2026-02-01'), done: ['a', 'c', 'zz'] }] },
    ]);
    expect(result.objectives[0]?.keyResults[0]?.progress).toBe(0.5);
    expect(result.diagnostics.map((d) => d.ruleId).sort()).toEqual([
      'okr/milestone-out-of-order',
      'okr/unknown-milestone',
    ]);
  });

  it('binary is 1 when achieved, else 0', () => {
    expect(kr({ kind: 'binary', checkIns: [{ at: at('2026-02-01'), achieved: true }] })).toMatchObject({
      progress: 1,
      score: 1,
      achieved: true,
      health: 'accomplished',
    });
    expect(kr({ kind: 'binary', checkIns: [{ at: at('2026-02-01'), achieved: false }] })).toMatchObject({
      progress: 0,
      achieved: false,
      forecast: null,
      health: 'on-track',
    });
  });

  it('warns when a check-in carries a field its kind ignores', () => {
    const result = evaluateOne([
      { id: 'k', title: 'K', kind: 'binary', checkIns: [{ at: at('2026-02-01'), value: 3 }] },
    ]);
    expect(result.diagnostics[0]).toMatchObject({
      ruleId: 'okr/check-in-ignored',
      location: { path: 'okrSet.objectives[0].keyResults[0].checkIns[0].value' },
    });
  });

  it('rolls up child key results and objectives by their rollup weights', () => {
    const result = evaluateOkrs(
      {
        id: 'q1',
        name: 'Q1',
        objectives: [
          {
            id: 'top',
            title: 'Top',
            owners: [{ team: 'hq' }],
            period,
            keyResults: [
              {
                id: 'r',
                title: 'R',
                kind: 'rollup',
                children: [
                  { ref: 'x', type: 'keyResult' },
                  { ref: 'sub', type: 'objective', weight: 3 },
                  { ref: 'ignored', type: 'keyResult', weight: 0 },
                ],
              },
            ],
          },
          {
            id: 'sub',
            title: 'Sub',
            owners: [{ team: 'emea' }],
            period,
            keyResults: [
              {
                id: 'x',
                title: 'X',
                kind: 'increase',
                baseline: 0,
                target: 10,
                checkIns: [{ at: at('2026-02-01'), value: 6 }],
              },
              {
                id: 'done',
                title: 'Done',
                kind: 'binary',
                weight: 0,
                checkIns: [{ at: at('2026-02-01'), achieved: true }],
              },
              { id: 'ignored', title: 'Ignored', kind: 'binary', weight: 0 },
            ],
          },
        ],
      },
      { asOf: '2026-02-15' },
    );
    // sub = 0.6 (only x counts); rollup = (0.6·1 + 0.6·3) / 4.
    expect(result.objectives[1]?.score).toBeCloseTo(0.6, 12);
    expect(result.objectives[0]?.keyResults[0]?.score).toBeCloseTo(0.6, 12);
    expect(result.objectives[0]?.keyResults[0]).toMatchObject({
      kind: 'rollup',
      nextCheckInDue: null,
      overdue: false,
      current: null,
    });
  });
});

describe('confidence is kept apart from progress', () => {
  it('does not change progress or score, and only low confidence flags risk', () => {
    const base = { kind: 'increase', baseline: 0, target: 10 };
    const low = kr(
      { ...base, checkIns: [{ at: at('2026-02-01'), value: 9, confidence: 0.1 }] },
      {},
      { type: 'aspirational' },
    );
    const high = kr(
      { ...base, checkIns: [{ at: at('2026-02-01'), value: 9, confidence: 0.9 }] },
      {},
      { type: 'aspirational' },
    );
    expect(low.progress).toBe(high.progress);
    expect(low.score).toBe(high.score);
    expect(low).toMatchObject({ confidence: 0.1, atRisk: true, atRiskReasons: ['low-confidence'] });
    expect(high).toMatchObject({ confidence: 0.9, atRisk: false });
    expect(
      kr(
        { ...base, checkIns: [{ at: at('2026-02-01'), value: 9, confidence: 0.3 }] },
        { lowConfidenceBelow: 0.2 },
        { type: 'aspirational' },
      ).atRisk,
    ).toBe(false);
  });
});

describe('time: expected progress, pace, forecast, rhythm', () => {
  const base = { kind: 'increase', baseline: 0, target: 100 };

  it('expects linear progress by date and computes pace', () => {
    const r = kr({ ...base, checkIns: [{ at: at('2026-02-01'), value: 60 }] });
    expect(r.expectedProgress).toBe(0.5);
    expect(r.pace).toBeCloseTo(1.2, 12);
    expect(kr(base, { asOf: '2025-12-01' })).toMatchObject({ expectedProgress: 0, pace: null });
    expect(kr(base, { asOf: '2026-06-01' }).expectedProgress).toBe(1);
  });

  it('forecasts from the trend: baseline anchors the line at the start', () => {
    const r = kr({ ...base, checkIns: [{ at: at('2026-01-31'), value: 30 }] }, {}, { type: 'aspirational' });
    expect(r.forecast?.value).toBeCloseTo(90, 9);
    expect(r.forecast?.score).toBeCloseTo(0.9, 9);
    expect(r.atRisk).toBe(false);
    const committed = kr({ ...base, checkIns: [{ at: at('2026-01-31'), value: 30 }] }, {}, { type: 'committed' });
    expect(committed).toMatchObject({ atRisk: true, atRiskReasons: ['forecast-below-expectation'], health: 'at-risk' });
  });

  it('fits a least-squares line through all check-ins', () => {
    const checkIns = [
      { at: at('2026-01-11'), value: 10 },
      { at: at('2026-01-21'), value: 25 },
      { at: at('2026-01-31'), value: 30 },
    ];
    // Points (0,0) (10,10) (20,25) (30,30): slope 525/500 = 1.05 per day; 30 + 1.05 × 60 = 93.
    expect(kr({ ...base, checkIns }).forecast?.value).toBeCloseTo(93, 9);
    // A reading at the start replaces the baseline anchor.
    expect(
      kr({
        ...base,
        checkIns: [
          { at: at('2026-01-01'), value: 20 },
          { at: at('2026-01-31'), value: 30 },
        ],
      }).forecast?.value,
    ).toBeCloseTo(50, 9);
  });

  it('after the period ends the forecast is the final value', () => {
    expect(kr({ ...base, checkIns: [{ at: at('2026-03-30'), value: 40 }] }, { asOf: '2026-04-10' }).forecast).toEqual({
      score: 0.4,
      value: 40,
    });
  });

  it('has no forecast or risk without data, and reports no-data', () => {
    expect(kr(base)).toMatchObject({ forecast: null, atRisk: false, health: 'no-data', current: null, checkIns: 0 });
  });

  it('flags check-ins overdue for their cadence', () => {
    const last = [{ at: at('2026-01-31'), value: 30 }];
    expect(kr({ ...base, checkIns: last })).toMatchObject({
      cadence: 'P7D',
      nextCheckInDue: '2026-02-07T00:00:00.000Z',
      overdue: true,
      lastCheckInAt: '2026-01-31T00:00:00.000Z',
    });
    expect(kr({ ...base, cadence: 'P2W', checkIns: last })).toMatchObject({
      nextCheckInDue: '2026-02-14T00:00:00.000Z',
      overdue: true,
    });
    expect(kr({ ...base, cadence: 'P3W', checkIns: last }).overdue).toBe(false);
    expect(kr({ ...base, checkIns: last }, { asOf: '2026-02-07' }).overdue).toBe(false);
    expect(kr(base).nextCheckInDue).toBe('2026-01-08T00:00:00.000Z');
    expect(kr({ ...base, checkIns: last }, { asOf: '2026-05-01' }).overdue).toBe(false);
  });

  it("gives an objective its weakest key result's health", () => {
    const result = evaluateOne(
      [
        { id: 'a', title: 'A', kind: 'binary', checkIns: [{ at: at('2026-02-01'), achieved: true }] },
        { id: 'b', title: 'B', ...base, checkIns: [{ at: at('2026-01-31'), value: 5 }] },
        {
          id: 'c',
          title: 'C',
          kind: 'binary',
          weight: 0,
          checkIns: [{ at: at('2026-02-01'), achieved: false, confidence: 0 }],
        },
      ],
      {},
      { type: 'committed' },
    );
    expect(result.objectives[0]?.keyResults.map((k) => k.health)).toEqual(['accomplished', 'at-risk', 'at-risk']);
    expect(result.objectives[0]).toMatchObject({ health: 'at-risk', atRisk: true });
  });
});

describe('aligned objectives', () => {
  const set = {
    id: 'q1',
    name: 'Q1',
    objectives: [
      {
        id: 'parent',
        title: 'P',
        owners: [{ team: 'hq' }],
        period,
        keyResults: [{ id: 'p', title: 'P', kind: 'binary', checkIns: [{ at: at('2026-02-01'), achieved: true }] }],
      },
      {
        id: 'child',
        title: 'C',
        owners: [{ team: 'emea' }],
        period,
        alignsTo: ['parent'],
        keyResults: [{ id: 'c', title: 'C', kind: 'binary', checkIns: [{ at: at('2026-02-01'), achieved: false }] }],
      },
    ],
  };

  it('does not count aligned objectives by default (no double counting), but can', () => {
    expect(evaluateOkrs(set, { asOf: '2026-02-15' }).objectives[0]).toMatchObject({
      score: 1,
      alignedChildren: ['child'],
    });
    expect(evaluateOkrs(set, { asOf: '2026-02-15', objectiveScoreFrom: 'both' }).objectives[0]?.score).toBe(0.5);
    expect(
      evaluateOkrs(set, { asOf: '2026-02-15', objectiveScoreFrom: 'alignedObjectives' }).objectives[0]?.score,
    ).toBe(0);
  });
});

describe('bad options', () => {
  it('throws E_VALIDATION with the path', () => {
    expect(() => evaluateOne([], { asOf: 'yesterday' })).toThrow(/options\.asOf: expected a Date or an ISO date/);
    expect(() => evaluateOne([], { asOf: new Date('nope') })).toThrow(/options\.asOf/);
    expect(() => evaluateOne([], { progressCeiling: 0.5 })).toThrow(/options\.progressCeiling/);
    expect(() => evaluateOne([], { objectiveScoreFrom: 'children' as never })).toThrow(/options\.objectiveScoreFrom/);
    expect(() => evaluateOne([], { extra: true } as never)).toThrow(/options\.extra: unknown key/);
  });
});

function allNumbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allNumbers(v, out);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) allNumbers(v, out);
  return out;
}

describe('never NaN or Infinity (property)', () => {
  const value = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom(0, 1e308, -1e308, 5e-324),
  );
  const day = fc
    .integer({ min: -20, max: 120 })
    .map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString());
  const checkIn = fc.record(
    {
      at: day,
      value,
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      achieved: fc.boolean(),
      done: fc.subarray(['a', 'b', 'c']),
    },
    { requiredKeys: ['at'] },
  );
  const keyResult = fc.oneof(
    fc.record({
      kind: fc.constantFrom('increase', 'decrease'),
      baseline: value,
      target: value,
      checkIns: fc.array(checkIn, { maxLength: 5 }),
    }),
    fc.record({
      kind: fc.constant('maintain'),
      band: fc.tuple(value, value).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
      checkIns: fc.array(checkIn, { maxLength: 5 }),
    }),
    fc.record({
      kind: fc.constant('milestone'),
      milestones: fc.constant([
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B' },
      ]),
      checkIns: fc.array(checkIn, { maxLength: 5 }),
    }),
    fc.record({ kind: fc.constant('binary'), checkIns: fc.array(checkIn, { maxLength: 5 }) }),
  );
  const weight = fc.constantFrom(0, 1, 2.5, 1000);

  it('every number in an evaluation is finite and scores stay within 0–1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyResult, weight), { maxLength: 5 }),
        fc.constantFrom('committed', 'aspirational'),
        day,
        (krs, type, asOf) => {
          const keyResults: unknown[] = krs.map(([k, w], i) => ({ id: `k${i}`, title: `K${i}`, weight: w, ...k }));
          if (krs.length > 0)
            keyResults.push({
              id: 'roll',
              title: 'Roll',
              kind: 'rollup',
              children: krs.map(([, w], i) => ({ ref: `k${i}`, type: 'keyResult', weight: w })),
            });
          const result = evaluateOkrs(
            {
              id: 'q',
              name: 'Q',
              objectives: [{ id: 'o', title: 'O', owners: [{ team: 't' }], period, type, keyResults }],
            },
            { asOf, progressCeiling: 1.2 },
          );
          for (const n of allNumbers(result)) expect(Number.isFinite(n)).toBe(true);
          for (const o of result.objectives) {
            expect(o.score).toBeGreaterThanOrEqual(0);
            expect(o.score).toBeLessThanOrEqual(1);
            for (const k of o.keyResults) {
              expect(k.score).toBeGreaterThanOrEqual(0);
              expect(k.score).toBeLessThanOrEqual(1);
              expect(k.progress).toBeLessThanOrEqual(1.2);
            }
          }
          expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
