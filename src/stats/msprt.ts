/**
 * Always-valid p-values of the mixture sequential probability ratio test (Johari et al.,
 * "Always Valid Inference", normal mixture) on paired observations of two arms.
 *
 * With V = 2σ² (variance of one difference b_i - a_i) and d_n = mean(b_1..b_n) - mean(a_1..a_n):
 *   Λ_n = sqrt(V / (V + nτ²)) · exp(n²τ²d_n² / (2V(V + nτ²)))
 *   p_0 = 1,  p_n = min(p_{n-1}, 1/Λ_n)
 * Λ_n is kept as a logarithm so large n or large effects cannot overflow.
 */
export function msprtPValues(a: ArrayLike<number>, b: ArrayLike<number>, sigma: number, tau: number): number[] {
  if (a.length !== b.length) throw new RangeError('a and b must have the same length (paired observations)');
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError('sigma must be a positive number');
  if (!(tau > 0) || !Number.isFinite(tau)) throw new RangeError('tau must be a positive number');
  const V = 2 * sigma * sigma;
  const tau2 = tau * tau;
  const logV = Math.log(V);
  const out = new Array<number>(a.length);
  let sumA = 0;
  let sumB = 0;
  let p = 1;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    const bi = b[i];
    if (!Number.isFinite(ai) || !Number.isFinite(bi)) throw new RangeError(`observation ${i} is not finite`);
    sumA += ai;
    sumB += bi;
    const n = i + 1;
    const d = sumB / n - sumA / n;
    const spread = V + n * tau2;
    const logLambda = 0.5 * (logV - Math.log(spread)) + (n * n * tau2 * d * d) / (2 * V * spread);
    const candidate = Math.exp(-logLambda);
    if (candidate < p) p = candidate;
    out[i] = p;
  }
  return out;
}
