/**
 * Jensen-Shannon distance in base 2, as scipy.spatial.distance.jensenshannon(p, q, base=2):
 * both vectors are normalised to sum 1, m = (p + q)/2, and the distance is
 * sqrt((KL(p‖m) + KL(q‖m)) / (2 ln 2)), which lies in [0, 1].
 */
import { assertCounts } from './sorting.ts';

export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const k = p.length;
  if (q.length !== k) throw new RangeError('p and q differ in length');
  assertCounts(p, 'p');
  assertCounts(q, 'q');
  let pTotal = 0;
  let qTotal = 0;
  for (let i = 0; i < k; i++) {
    pTotal += p[i];
    qTotal += q[i];
  }
  // All-zero input: scipy divides 0/0 and answers NaN; so do we.
  if (pTotal === 0 || qTotal === 0) return Number.NaN;
  let left = 0;
  let right = 0;
  for (let i = 0; i < k; i++) {
    const pi = p[i] / pTotal;
    const qi = q[i] / qTotal;
    const mi = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / mi);
    if (qi > 0) right += qi * Math.log(qi / mi);
  }
  const js = (left + right) / Math.LN2;
  // Rounding can leave a tiny negative sum for near-identical inputs, where scipy's sqrt
  // yields NaN; the true value is 0.
  return Math.sqrt(Math.max(js / 2, 0));
}
