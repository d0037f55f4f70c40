/**
 * Live results of one metric (pure): per arm the estimate with its confidence interval; per
 * treatment arm the difference to control with its interval, a fixed-horizon p-value and an
 * always-valid p-value. Intervals are normal approximations at level 1 - alpha/(arms - 1).
 *
 *   binary      unit value 1 when it converted; fixed-horizon p: pooled two-proportion z-test
 *   continuous  unit value = sum of its outcome values (0 without any); fixed p: Welch z-test
 *
 * Always-valid p (mSPRT, stats/msprt.ts): the formula is for paired observations, so the first
 * n = min(n_control, n_treatment) units of each arm in arrival order are paired (unit i of
 * control with unit i of treatment; the extra units of the larger arm wait for a partner).
 * σ is estimated from all units of both arms (binary: Laplace-smoothed pooled rate p̄,
 * σ² = p̄(1-p̄); continuous: pooled variance), τ is the plan's (default: the MDE). The p-value
 * is the running minimum over every prefix and over every earlier look (`previous`), and is
 * reported as 1 until both arms have min_units units.
 */
import { chi2Sf, msprtPValues, normalQuantile } from '../../stats/index.ts';

export interface MetricSpec {
  kind: 'binary' | 'continuous';
  alpha: number;
  tau: number;
  /** tau is in units of the estimated sigma (tau·σ̂) instead of the metric's units */
  tauInSd?: boolean;
  minUnits: number;
}

export interface ArmEstimate {
  arm: string;
  units: number;
  estimate: number | null;
  ci: [number, number] | null;
}

export interface Comparison {
  arm: string;
  control: string;
  difference: number | null;
  difference_ci: [number, number] | null;
  relative: number | null;
  p_fixed: number | null;
  p_always_valid: number;
  paired_units: number;
}

export interface MetricResults {
  arms: ArmEstimate[];
  comparisons: Comparison[];
}

interface Moments {
  n: number;
  mean: number;
  variance: number;
  sum: number;
}

function moments(xs: Float64Array, binary: boolean): Moments {
  const n = xs.length;
  let sum = 0;
  let sumsq = 0;
  for (const x of xs) {
    sum += x;
    sumsq += x * x;
  }
  const mean = n ? sum / n : 0;
  const variance = binary ? mean * (1 - mean) : n > 1 ? Math.max(0, (sumsq - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, variance, sum };
}

const twoSidedP = (z: number) => chi2Sf(z * z, 1);

export function pairedSigma(c: Moments, t: Moments, binary: boolean): number {
  if (binary) {
    const p = (c.sum + t.sum + 1) / (c.n + t.n + 2);
    return Math.sqrt(p * (1 - p));
  }
  const dof = c.n + t.n - 2;
  return dof > 0 ? Math.sqrt(((c.n - 1) * c.variance + (t.n - 1) * t.variance) / dof) : 0;
}

export function alwaysValidP(control: Float64Array, treatment: Float64Array, sigma: number, tau: number): number {
  const n = Math.min(control.length, treatment.length);
  if (n === 0 || !(sigma > 0)) return 1;
  const ps = msprtPValues(control.subarray(0, n), treatment.subarray(0, n), sigma, tau);
  return ps[n - 1];
}

/** `values[i]`: per-unit values of arm i in arrival order (arm 0 is control). */
export function analyseMetric(names: readonly string[], values: readonly Float64Array[], spec: MetricSpec, previous: readonly (number | undefined)[] = []): MetricResults {
  const binary = spec.kind === 'binary';
  const alphaEach = spec.alpha / Math.max(1, names.length - 1);
  const z = normalQuantile(1 - alphaEach / 2);
  const m = values.map((v) => moments(v, binary));
  const arms: ArmEstimate[] = names.map((arm, i) => {
    const a = m[i];
    if (a.n === 0) return { arm, units: 0, estimate: null, ci: null };
    const se = Math.sqrt(a.variance / a.n);
    return { arm, units: a.n, estimate: a.mean, ci: [a.mean - z * se, a.mean + z * se] };
  });
  const c = m[0];
  const comparisons: Comparison[] = [];
  for (let i = 1; i < names.length; i++) {
    const t = m[i];
    const paired = Math.min(c.n, t.n);
    const cmp: Comparison = { arm: names[i], control: names[0], difference: null, difference_ci: null, relative: null, p_fixed: null, p_always_valid: previous[i] ?? 1, paired_units: paired };
    comparisons.push(cmp);
    if (c.n < 2 || t.n < 2) continue;
    const d = t.mean - c.mean;
    const se = Math.sqrt(c.variance / c.n + t.variance / t.n);
    cmp.difference = d;
    cmp.difference_ci = [d - z * se, d + z * se];
    cmp.relative = c.mean !== 0 ? d / c.mean : null;
    if (binary) {
      const p = (c.sum + t.sum) / (c.n + t.n);
      const se0 = Math.sqrt(p * (1 - p) * (1 / c.n + 1 / t.n));
      cmp.p_fixed = se0 > 0 ? twoSidedP(d / se0) : 1;
    } else cmp.p_fixed = se > 0 ? twoSidedP(d / se) : 1;
    if (c.n >= spec.minUnits && t.n >= spec.minUnits) {
      const sigma = pairedSigma(c, t, binary);
      const p = alwaysValidP(values[0], values[i], sigma, spec.tauInSd ? spec.tau * sigma : spec.tau);
      cmp.p_always_valid = Math.min(cmp.p_always_valid, p);
    }
  }
  return { arms, comparisons };
}
