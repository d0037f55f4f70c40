/**
 * Exact two-sided p-value of the two-sample Kolmogorov-Smirnov statistic, following scipy
 * 1.10–1.17 `_attempt_exact_2kssamp` (scipy/stats/_stats_py.py) step for step, with
 * `_compute_prob_outside_square` for equal sizes and the pythran kernel
 * `_compute_outer_prob_inside_method` (scipy/stats/_stats_pythran.py: Hodges' inside method
 * rewritten by Viehmann to produce 1 - p directly) otherwise. Same operations in the same
 * order, so results match scipy to the last bits.
 */
import { roundHalfEven } from './numeric.ts';

export interface ExactKsResult {
  /** false when scipy would give up and fall back to the asymptotic distribution. */
  success: boolean;
  /** the statistic snapped to a multiple of 1/lcm(n1, n2), as scipy returns it. */
  statistic: number;
  pvalue: number;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function exactKsPValue(n1: number, n2: number, d: number): ExactKsResult {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { success: true, statistic, pvalue: 1 };
  const pvalue = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  // scipy: `if not (0 <= prob <= 1): return False, d, prob` (also catches NaN).
  const success = pvalue >= 0 && pvalue <= 1;
  return { success, statistic, pvalue };
}

/**
 * Pr(D_{n,n} >= h/n) = 2 (A0 (1 - A1 (1 - A2 (...)))), each Ai a ratio of h simple terms
 * evaluated by a Horner-like scheme to avoid the alternating binomial sum's cancellation.
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm,
 * computed column by column over a sliding window (scipy's pythran kernel).
 */
export function outerProbInside(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, Math.min(maxj, lenA));
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    const width = maxj - minj;
    const shift = minj - lastminj;
    for (let jj = 0; jj < width; jj++) {
      const j = jj + minj;
      val = (A[jj + shift] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = width;
    if (lastlen > curlen) A.fill(1, width, Math.min(width + (lastlen - curlen), lenA));
  }
  return A[maxj - minj - 1];
}
