import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.js';
import { twoProportionZTest, wilsonInterval, zForConfidence } from './significance.js';

// Reference values computed independently with Python's math.erfc.
describe('normal distribution', () => {
  it('matches known quantiles and the CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 7);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.5758293035489, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 7);
    expect(zForConfidence(0.9)).toBeCloseTo(1.6448536269514722, 7);
  });

  it('rejects impossible confidence levels', () => {
    expect(() => zForConfidence(1)).toThrow(/confidence: expected a number between 0 and 1/);
    expect(() => zForConfidence(Number.NaN)).toThrow(/confidence/);
  });
});

describe('wilsonInterval', () => {
  it.each([
    [0, 10, 0, 0.2775327998628892],
    [81, 263, 0.2552885198782742, 0.36620957698280004],
    [10, 10, 0.7224672001371107, 1],
    [2, 3, 0.20765960080204765, 0.9385080552796037],
    [300, 10000, 0.026832804617312578, 0.03352815385112342],
  ])('%d of %d → [%d, %d]', (x, n, low, high) => {
    const interval = wilsonInterval(x, n);
    expect(interval?.low).toBeCloseTo(low, 7);
    expect(interval?.high).toBeCloseTo(high, 7);
  });

  it('is null without trials and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(5, 3)).toThrow(/0 ≤ successes ≤ trials/);
    expect(() => wilsonInterval(-1, 3)).toThrow(/E_VALIDATION|successes/);
    expect(() => wilsonInterval(1.5, 3)).toThrow(/whole numbers/);
  });

  it('always lies within [0, 1] and contains the observed rate (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (n, share, confidence) => {
          const x = Math.floor(n * share);
          const interval = wilsonInterval(x, n, confidence);
          expect(interval).not.toBeNull();
          if (interval === null) return;
          expect(interval.low).toBeGreaterThanOrEqual(0);
          expect(interval.high).toBeLessThanOrEqual(1);
          expect(interval.low).toBeLessThanOrEqual(x / n + 1e-12);
          expect(interval.high).toBeGreaterThanOrEqual(x / n - 1e-12);
        },
      ),
    );
  });
});

describe('twoProportionZTest', () => {
  it.each([
    [45, 100, 30, 100, 2.1908902300206647, 0.02845973691631057],
    [120, 5000, 150, 5000, -1.850899987562877, 0.06418394255379382],
    [350, 10000, 300, 10000, 1.993828681848599, 0.04617077997251373],
  ])('%d/%d vs %d/%d → z %d, p %d', (xa, na, xb, nb, z, p) => {
    const test = twoProportionZTest({ successes: xa, trials: na }, { successes: xb, trials: nb });
    expect(test?.z).toBeCloseTo(z, 9);
    expect(test?.pValue).toBeCloseTo(p, 6);
    expect(test?.difference).toBeCloseTo(xa / na - xb / nb, 12);
  });

  it('has no z without variance and no test without trials (never NaN)', () => {
    expect(twoProportionZTest({ successes: 0, trials: 10 }, { successes: 0, trials: 20 })).toEqual({
      difference: 0,
      z: null,
      pValue: null,
    });
    expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 1, trials: 20 })).toBeNull();
  });

  it('p-values stay within [0, 1] (property)', () => {
    const group = fc
      .integer({ min: 1, max: 1e7 })
      .chain((n) => fc.record({ trials: fc.constant(n), successes: fc.integer({ min: 0, max: n }) }));
    fc.assert(
      fc.property(group, group, (a, b) => {
        const test = twoProportionZTest(a, b);
        if (test?.pValue != null) {
          expect(test.pValue).toBeGreaterThanOrEqual(0);
          expect(test.pValue).toBeLessThanOrEqual(1);
        }
        expect(test?.z === null || Number.isFinite(test?.z)).toBe(true);
      }),
    );
  });
});
