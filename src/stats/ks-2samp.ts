/**
 * Two-sample, two-sided Kolmogorov-Smirnov test with scipy.stats.ks_2samp's default
 * method='auto': exact when max(n1, n2) <= 10000 (falling back to the asymptotic
 * distribution where scipy's exact computation gives up), otherwise kstwo.sf(d, round(en))
 * with en = n1·n2/(n1+n2).
 */
import { exactKsPValue } from './ks-exact.ts';
import { kstwoSf } from './kstwo.ts';
import { clipProbability, roundHalfEven } from './numeric.ts';
import { assertSorted, sortedCopy } from './sorting.ts';

export interface KsResult {
  statistic: number;
  pvalue: number;
}

/** scipy's MAX_AUTO_N: above this sample size 'auto' uses the asymptotic distribution. */
const MAX_AUTO_N = 10_000;

export function ks2samp(x: ArrayLike<number>, y: ArrayLike<number>): KsResult {
  return ks2sampSorted(sortedCopy(x, 'x'), sortedCopy(y, 'y'));
}

/** ks2samp for samples already in ascending order (lets a caller sort a reference once). */
export function ks2sampSorted(x: ArrayLike<number>, y: ArrayLike<number>): KsResult {
  assertSorted(x, 'x');
  assertSorted(y, 'y');
  const n1 = x.length;
  const n2 = y.length;
  const d = ksStatisticSorted(x, y);
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const exact = exactKsPValue(n1, n2, d);
    if (exact.success) return { statistic: exact.statistic, pvalue: clipProbability(exact.pvalue) };
    return asymptotic(n1, n2, exact.statistic);
  }
  return asymptotic(n1, n2, d);
}

function asymptotic(n1: number, n2: number, d: number): KsResult {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, pvalue: clipProbability(kstwoSf(d, roundHalfEven(en))) };
}

/**
 * max |F1 - F2| over the pooled sample, each ECDF evaluated as count/n after all ties, as
 * scipy's searchsorted(..., side='right') formulation; ties between samples are handled by
 * consuming every copy of a value from both samples before comparing.
 */
export function ksStatisticSorted(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let maxDiff = 0; // max(cdf1 - cdf2)
  let minDiff = 0; // min(cdf1 - cdf2)
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] === value) i++;
    while (j < n2 && y[j] === value) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(-minDiff, 1);
  return minS > maxDiff ? minS : maxDiff;
}
