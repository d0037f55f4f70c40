import { describe, expect, it } from 'vitest';
import { chi2Categorical, chi2Contingency } from './chi2.ts';

describe('chi2Contingency', () => {
  it('computes Pearson chi-squared without Yates correction', () => {
    // expected counts: row totals 50/50, column totals 40/60 -> 20, 30, 20, 30
    const r = chi2Contingency([10, 40], [30, 20]);
    const statistic = (10 - 20) ** 2 / 20 + (40 - 30) ** 2 / 30 + (30 - 20) ** 2 / 20 + (20 - 30) ** 2 / 30;
    expect(r.statistic).toBeCloseTo(statistic, 12);
    expect(r.dof).toBe(1);
    // scipy.stats.chi2_contingency([[10, 40], [30, 20]], correction=False).pvalue
    expect(r.pvalue / 4.455709060405612e-5).toBeCloseTo(1, 10);
  });

  it('drops categories that are empty in both samples', () => {
    const withEmpty = chi2Contingency([10, 0, 40], [30, 0, 20]);
    expect(withEmpty).toEqual(chi2Contingency([10, 40], [30, 20]));
  });

  it('returns scipy degenerate answer for a single non-empty category', () => {
    expect(chi2Contingency([5, 0], [7, 0])).toEqual({ statistic: 0, dof: 0, pvalue: 1 });
  });

  it('is undefined (NaN) when one sample is empty', () => {
    const r = chi2Contingency([0, 0], [3, 4]);
    expect(r.statistic).toBeNaN();
    expect(r.pvalue).toBeNaN();
    expect(r.dof).toBe(1);
  });

  it('is 0 with p 1 for identical distributions', () => {
    const r = chi2Contingency([10, 20, 30], [20, 40, 60]);
    expect(r.statistic).toBeCloseTo(0, 12);
    expect(r.pvalue).toBeCloseTo(1, 12);
  });

  it('rejects malformed counts', () => {
    expect(() => chi2Contingency([1, 2], [1])).toThrow(RangeError);
    expect(() => chi2Contingency([1, -2], [1, 2])).toThrow(RangeError);
  });
});

describe('chi2Categorical', () => {
  it('counts categories then tests them', () => {
    const reference = ['a', 'a', 'a', 'b', 'b', 'c'];
    const current = ['a', 'b', 'b', 'b', 'd'];
    expect(chi2Categorical(reference, current)).toEqual(chi2Contingency([3, 2, 1, 0], [1, 3, 0, 1]));
  });
});
