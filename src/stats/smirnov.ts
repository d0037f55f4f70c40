/**
 * One-sided Smirnov survival function Pr(D+_n > x), as scipy.special.smirnov.
 *
 * @stdlib has no such function. This follows scipy's cephes `_smirnov`
 * (scipy/special/cephes/kolmogorov.c, van Mulbregt 2018): the same special cases and the
 * same Birnbaum–Tingey lower sum
 *   sf = x · Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
 * with the same early stop. scipy evaluates the terms in double-double arithmetic; here each
 * term is formed in log space (all terms are positive, so there is no cancellation), which
 * keeps the relative error near 1e-12 for n up to 10^6. The upper-sum variant scipy uses for
 * x <= 0.5/√n is not needed: the two-sided Kolmogorov code only calls this for n·x² >= 2.2
 * or x >= 0.5, where scipy takes the lower sum too.
 */
const EPS = 2.220446049250313e-16;
/** cephes MINLOG: log of the smallest subnormal double. */
const MINLOG = -745.1332191019412;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  let nxfl = Math.floor(nx);
  let alpha = nx - nxfl;
  if (alpha === 1) {
    nxfl += 1;
    alpha = 0;
  }
  // x <= 1/n: sf = 1 - x (1 + x)^(n-1)
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return (1 - x) ** n;
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  const nTerms = n - nxfl; // v = 0 .. n - nxfl - 1
  const logX = Math.log(x);
  let logBinomial = 0; // log C(n, v)
  let logBinomialError = 0;
  let sum = Math.exp(n * Math.log1p(-x) - logX); // v = 0: (1-x)^n / x
  for (let v = 1; v < nTerms; v++) {
    // Compensated (Kahan) accumulation: log C(n, v) reaches ~1e5 for large n and plain
    // running sums would lose ~1e-11 per step.
    const increment = Math.log((n - v + 1) / v) - logBinomialError;
    const next = logBinomial + increment;
    logBinomialError = next - logBinomial - increment;
    logBinomial = next;
    const upper = x + v / n;
    // log(1 - x - v/n): log1p keeps precision while it is near 0, the exact split once it is not.
    const logLower = upper < 0.5 ? Math.log1p(-upper) : Math.log(oneMinusXMinusVOverN(n, x, v));
    const term = Number.isFinite(logLower)
      ? Math.exp(logBinomial + (v - 1) * Math.log(upper) + (n - v) * logLower)
      : 0;
    sum += term;
    if (term !== 0) {
      if (4 * (nTerms - v) * term < EPS * sum && v !== nTerms - 1) break;
    } else if (v > n / 2) {
      break;
    }
  }
  const sf = x * sum;
  return sf < 0 ? 0 : sf > 1 ? 1 : sf;
}

/** (n - v)/n - x with the product n·x split exactly (Dekker), so small results stay accurate. */
function oneMinusXMinusVOverN(n: number, x: number, v: number): number {
  const hi = n * x;
  const lo = twoProductError(n, x, hi);
  return (n - v - hi - lo) / n;
}

const SPLITTER = 134217729; // 2^27 + 1

function twoProductError(a: number, b: number, product: number): number {
  let t = SPLITTER * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = SPLITTER * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  return aLo * bLo - (product - aHi * bHi - aHi * bLo - aLo * bHi);
}
