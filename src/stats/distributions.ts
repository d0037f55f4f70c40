/**
 * The two distribution functions the tests need, as thin wrappers.
 *
 * normalQuantile goes through `@stdlib` erfcinv on the smaller tail rather than
 * `@stdlib/stats-base-dists-normal-quantile`, which forms 2p - 1 and so loses precision in
 * the lower tail (relative error 4e-8 at p = 7e-12) and answers -Infinity below p ≈ 5e-17.
 * chi2Sf is Q(dof/2, x/2), the same identity scipy's `chi2.sf` (cephes `chdtrc`) uses.
 */
import erfcinv from '@stdlib/math-base-special-erfcinv';
import { regularizedGammaQ } from './gamma-q.ts';

/** Standard normal quantile Φ⁻¹(p), as scipy.stats.norm.ppf / scipy.special.ndtri. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // 1 - p is exact for p >= 0.5, so each tail keeps full relative precision.
  return p < 0.5 ? -Math.SQRT2 * erfcinv(2 * p) : Math.SQRT2 * erfcinv(2 * (1 - p));
}

/** Chi-squared survival function P(X > x) for `dof` degrees of freedom (scipy.stats.chi2.sf). */
export function chi2Sf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}
