import { describe, expect, it } from 'vitest';
import { msprtPValues } from '../../stats/index.ts';
import { alwaysValidP, analyseMetric, pairedSigma } from './analysis.ts';

const binary = (n: number, x: number) => Float64Array.from({ length: n }, (_, i) => (i < x ? 1 : 0));
const spec = { kind: 'binary' as const, alpha: 0.05, tau: 0.02, minUnits: 100 };

describe('analyseMetric', () => {
  it('matches the pooled two-proportion z-test and Wald intervals (scipy reference)', () => {
    const r = analyseMetric(['v1', 'v2'], [binary(1000, 100), binary(1000, 130)], spec);
    const c = r.comparisons[0];
    expect(c.difference).toBeCloseTo(0.03, 12);
    expect(c.p_fixed).toBeCloseTo(0.03548845046647471, 9); // 2·norm.sf(2.102740605622114)
    expect(c.relative).toBeCloseTo(0.3, 12);
    const se = Math.sqrt((0.1 * 0.9) / 1000);
    expect(r.arms[0].ci?.[0]).toBeCloseTo(0.1 - 1.959963984540054 * se, 12);
    const seD = Math.sqrt((0.1 * 0.9 + 0.13 * 0.87) / 1000);
    expect(c.difference_ci?.[1]).toBeCloseTo(0.03 + 1.959963984540054 * seD, 12);
  });

  it('uses a Welch z-test for continuous metrics (scipy reference)', () => {
    const r = analyseMetric(['a', 'b'], [Float64Array.from([1, 2, 3, 4]), Float64Array.from([2, 3, 4, 5, 6])], { ...spec, kind: 'continuous', minUnits: 2 });
    expect(r.comparisons[0].p_fixed).toBeCloseTo(0.11718508719813801, 9);
    expect(r.arms[1].estimate).toBe(4);
  });

  it('pairs the first min(n_c, n_t) units of each arm for the mSPRT, and keeps the running minimum', () => {
    const c = binary(300, 20);
    const t = binary(400, 60);
    const sigma = pairedSigma({ n: 300, mean: 20 / 300, variance: 0, sum: 20 }, { n: 400, mean: 0.15, variance: 0, sum: 60 }, true);
    expect(sigma).toBeCloseTo(Math.sqrt((81 / 702) * (1 - 81 / 702)), 12);
    const expected = msprtPValues(c, t.subarray(0, 300), sigma, 0.02)[299];
    expect(alwaysValidP(c, t, sigma, 0.02)).toBeCloseTo(expected, 14);
    const r = analyseMetric(['v1', 'v2'], [c, t], spec);
    expect(r.comparisons[0].p_always_valid).toBeCloseTo(expected, 14);
    expect(r.comparisons[0].paired_units).toBe(300);
    const again = analyseMetric(['v1', 'v2'], [binary(300, 60), binary(300, 60)], spec, [undefined, 0.001]);
    expect(again.comparisons[0].p_always_valid).toBe(0.001);
  });

  it('reports p = 1 until both arms have min_units units', () => {
    const r = analyseMetric(['v1', 'v2'], [binary(99, 0), binary(500, 400)], spec);
    expect(r.comparisons[0].p_always_valid).toBe(1);
    expect(r.comparisons[0].p_fixed).toBeLessThan(1e-6);
  });
});
