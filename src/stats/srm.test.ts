import { describe, expect, it } from 'vitest';
import { srmAlarm, srmTest } from './srm.ts';

describe('srmTest', () => {
  it('is a chi-squared goodness of fit against normalised weights', () => {
    // scipy.stats.chisquare([520, 480], [500, 500]) -> statistic 1.6, p 0.20590321073206466
    const r = srmTest([520, 480], [1, 1]);
    expect(r.statistic).toBeCloseTo(1.6, 14);
    expect(r.pvalue).toBeCloseTo(0.20590321073206466, 14);
    expect(srmTest([520, 480], [50, 50])).toEqual(r);
  });

  it('ignores idle zero-weight arms and flags units on a zero-weight arm', () => {
    expect(srmTest([520, 480, 0], [1, 1, 0])).toEqual(srmTest([520, 480], [1, 1]));
    expect(srmTest([500, 500, 3], [1, 1, 0])).toEqual({ statistic: Number.POSITIVE_INFINITY, pvalue: 0 });
  });

  it('has nothing to test with one arm and is undefined with no units', () => {
    expect(srmTest([10], [1])).toEqual({ statistic: 0, pvalue: 1 });
    const r = srmTest([0, 0], [1, 1]);
    expect(r.statistic).toBeNaN();
    expect(r.pvalue).toBeNaN();
  });

  it('rejects malformed input', () => {
    expect(() => srmTest([1, 2], [1])).toThrow(RangeError);
    expect(() => srmTest([1, 2], [1, -1])).toThrow(RangeError);
  });
});

describe('srmAlarm', () => {
  it('alarms at p < 0.001 once every weighted arm has 8 units', () => {
    expect(srmAlarm([5000, 5400], [1, 1]).alarm).toBe(true);
    expect(srmAlarm([520, 480], [1, 1]).alarm).toBe(false);
  });

  it('stays quiet while an arm has fewer than minPerArm units, however small p is', () => {
    const early = srmAlarm([400, 7], [1, 1]);
    expect(early.pvalue).toBeLessThan(1e-50);
    expect(early.alarm).toBe(false);
    expect(srmAlarm([400, 7], [1, 1], { minPerArm: 5 }).alarm).toBe(true);
  });

  it('honours alpha and ignores zero-weight arms in the minimum', () => {
    const r = srmAlarm([540, 460, 0], [1, 1, 0], { alpha: 0.05 });
    expect(r.pvalue).toBeLessThan(0.05);
    expect(r.alarm).toBe(true);
  });
});
