import { describe, expect, it } from 'vitest';
import { normalizedWasserstein, wasserstein1, wasserstein1Sorted } from './wasserstein.ts';

describe('wasserstein1', () => {
  it('matches scipy.stats.wasserstein_distance examples', () => {
    expect(wasserstein1([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 15);
    expect(wasserstein1([0, 1], [0, 1])).toBe(0);
    expect(wasserstein1([3.4, 3.9, 7.5, 7.8], [4.5, 1.4])).toBeCloseTo(2.7, 14);
  });

  it('equals the shift for a translated sample and is symmetric', () => {
    const u = [0.3, -1.2, 2.5, 0.9, 0.9];
    expect(wasserstein1(u, u.map((x) => x + 2))).toBeCloseTo(2, 14);
    expect(wasserstein1(u, [1, 2, 3])).toBe(wasserstein1([1, 2, 3], u));
  });

  it('validates its input', () => {
    expect(() => wasserstein1([], [1])).toThrow(RangeError);
    expect(() => wasserstein1Sorted([3, 1], [1])).toThrow(/sorted/);
  });
});

describe('normalizedWasserstein', () => {
  it('divides by the reference population standard deviation', () => {
    const reference = [1, 2, 3, 4]; // population sd = sqrt(1.25)
    const current = [2, 3, 4, 5];
    expect(normalizedWasserstein(reference, current)).toBeCloseTo(1 / Math.sqrt(1.25), 14);
  });

  it('handles a constant reference: 0 when nothing moved, Infinity otherwise', () => {
    expect(normalizedWasserstein([2, 2, 2], [2, 2])).toBe(0);
    expect(normalizedWasserstein([2, 2, 2], [2, 3])).toBe(Number.POSITIVE_INFINITY);
  });
});
