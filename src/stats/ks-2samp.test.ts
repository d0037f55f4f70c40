import { describe, expect, it } from 'vitest';
import { ks2samp, ks2sampSorted, ksStatisticSorted } from './ks-2samp.ts';

describe('ks2samp', () => {
  it('matches scipy on a small example', () => {
    // scipy.stats.ks_2samp([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]) -> (0.5, 0.35714285714285715)
    const r = ks2samp([5, 4, 3, 2, 1], [8, 7, 6, 5, 4, 3]);
    expect(r.statistic).toBe(0.5);
    expect(r.pvalue).toBeCloseTo(0.35714285714285715, 14);
  });

  it('gives D = 1 for disjoint samples and D = 0, p = 1 for identical ones', () => {
    expect(ks2samp([1, 2], [3, 4]).statistic).toBe(1);
    expect(ks2samp([1, 2, 2, 3], [3, 2, 1, 2])).toEqual({ statistic: 0, pvalue: 1 });
  });

  it('evaluates both ECDFs after all tied values', () => {
    // pooled value 1 appears in both samples: F1(1) = 2/3, F2(1) = 1/2
    expect(ksStatisticSorted([1, 1, 2], [1, 2])).toBeCloseTo(2 / 3 - 1 / 2, 15);
  });

  it('is symmetric in its arguments', () => {
    const x = [0.1, 0.5, 0.9, 1.3, 2.2, 2.4];
    const y = [0.3, 0.31, 1.1, 1.9];
    expect(ks2samp(x, y)).toEqual(ks2samp(y, x));
  });

  it('rejects empty, non-finite or unsorted input', () => {
    expect(() => ks2samp([], [1])).toThrow(RangeError);
    expect(() => ks2samp([1], [Number.NaN])).toThrow(RangeError);
    expect(() => ks2sampSorted([2, 1], [1])).toThrow(/sorted/);
  });
});
