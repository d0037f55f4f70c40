/**
 * First Wasserstein (earth mover's) distance between two empirical distributions, as
 * scipy.stats.wasserstein_distance(u, v) on raw, unweighted samples: the integral of
 * |F_u - F_v| over the pooled sample, one sort per sample and a merge walk.
 */
import { meanAndStd } from './numeric.ts';
import { assertSorted, sortedCopy } from './sorting.ts';

export function wasserstein1(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return wasserstein1Sorted(sortedCopy(u, 'u'), sortedCopy(v, 'v'));
}

/** wasserstein1 for samples already in ascending order. */
export function wasserstein1Sorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  assertSorted(u, 'u');
  assertSorted(v, 'v');
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let previous = Math.min(u[0], v[0]);
  let gap = 0; // |F_u - F_v| on [previous, next value)
  while (i < nu || j < nv) {
    const value = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    sum += gap * (value - previous);
    while (i < nu && u[i] === value) i++;
    while (j < nv && v[j] === value) j++;
    gap = Math.abs(i / nu - j / nv);
    previous = value;
  }
  return sum;
}

/**
 * wasserstein1 divided by the reference sample's population standard deviation (ddof = 0,
 * numpy's default), giving a unit-free effect size: "how many reference standard deviations
 * of mass moved". A constant reference has sd 0: the result is then 0 when the distance is
 * 0 too and +Infinity otherwise (any movement away from a constant is unbounded in sd units).
 */
export function normalizedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const distance = wasserstein1(reference, current);
  const { std } = meanAndStd(reference);
  if (std === 0) return distance === 0 ? 0 : Number.POSITIVE_INFINITY;
  return distance / std;
}
