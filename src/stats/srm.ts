/**
 * Sample ratio mismatch: chi-squared goodness of fit of per-arm assignment counts against the
 * configured weights, as scipy.stats.chisquare(observed, f_exp = total · w / Σw).
 */
import { chi2Sf } from './distributions.ts';
import { assertCounts } from './sorting.ts';

export interface SrmResult {
  statistic: number;
  pvalue: number;
}

export interface SrmAlarmOptions {
  /** alarm threshold on the p-value (default 0.001, DESIGN.md) */
  alpha?: number;
  /** every arm with positive weight needs at least this many units first (default 8) */
  minPerArm?: number;
}

/**
 * Weights may be on any positive scale. Arms with weight 0 and no units are ignored; an arm
 * with weight 0 that received units is an unbounded mismatch (statistic Infinity, p 0).
 * With fewer than two weighted arms there is nothing to compare (statistic 0, p 1). With no
 * units at all the expected counts are 0 and the test is undefined (NaN), as in scipy.
 */
export function srmTest(observed: ArrayLike<number>, weights: ArrayLike<number>): SrmResult {
  const k = observed.length;
  if (weights.length !== k) throw new RangeError('observed and weights differ in length');
  assertCounts(observed, 'observed');
  assertCounts(weights, 'weights');
  let total = 0;
  let weightTotal = 0;
  let arms = 0;
  for (let i = 0; i < k; i++) {
    total += observed[i];
    weightTotal += weights[i];
    if (weights[i] > 0) arms++;
    else if (observed[i] > 0) return { statistic: Number.POSITIVE_INFINITY, pvalue: 0 };
  }
  if (total === 0) return { statistic: Number.NaN, pvalue: Number.NaN };
  if (arms < 2) return { statistic: 0, pvalue: 1 };
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    if (weights[i] === 0) continue;
    const expected = (total * weights[i]) / weightTotal;
    const d = observed[i] - expected;
    statistic += (d * d) / expected;
  }
  return { statistic, pvalue: chi2Sf(statistic, arms - 1) };
}

/** srmTest plus the alarm rule: p < alpha once every weighted arm has >= minPerArm units. */
export function srmAlarm(
  observed: ArrayLike<number>,
  weights: ArrayLike<number>,
  options: SrmAlarmOptions = {},
): SrmResult & { alarm: boolean } {
  const { alpha = 0.001, minPerArm = 8 } = options;
  const result = srmTest(observed, weights);
  let enough = true;
  for (let i = 0; i < observed.length; i++) {
    if (weights[i] > 0 && observed[i] < minPerArm) enough = false;
  }
  return { ...result, alarm: enough && result.pvalue < alpha };
}
