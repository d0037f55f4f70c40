/** Units per arm needed to tell two proportions apart (two-sided z-test, pooled variance). */
import { normalQuantile } from './distributions.ts';

/**
 * n = (z_{1-α/2}·√(2·p̄(1-p̄)) + z_{1-β}·√(p1(1-p1) + p2(1-p2)))² / (p2 - p1)², p̄ = (p1+p2)/2,
 * rounded up. `power` is 1 - β.
 */
export function sampleSizeTwoProportions(p1: number, p2: number, alpha = 0.05, power = 0.8): number {
  if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1)) throw new RangeError('p1 and p2 must lie in (0, 1)');
  if (p1 === p2) throw new RangeError('p1 and p2 must differ');
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must lie in (0, 1)');
  if (!(power > 0 && power < 1)) throw new RangeError('power must lie in (0, 1)');
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const pBar = (p1 + p2) / 2;
  const numerator = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil(numerator ** 2 / (p2 - p1) ** 2);
}
