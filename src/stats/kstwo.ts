/**
 * Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n,
 * Pr(D_n > x), as scipy.stats.kstwo.sf(x, n) — the distribution scipy's ks_2samp uses in its
 * asymptotic mode with n = round(n1·n2/(n1+n2)).
 *
 * @stdlib has no such function, so this is a translation of scipy's `_kolmogn(n, x, cdf=False)`
 * (scipy/stats/_ksstats.py, after Simard & L'Ecuyer 2011), keeping its choice of method per
 * region: Ruben-Gambino closed forms near the ends, 2·smirnov for large x, the Durbin matrix
 * (Marsaglia-Tsang-Wang) or Pomeranz recursion for small n, Pelz-Good for large n.
 */
import { kolmogorovCdfDurbin } from './kstwo-durbin.ts';
import { kolmogorovCdfPelzGood } from './kstwo-pelz-good.ts';
import { kolmogorovCdfPomeranz } from './kstwo-pomeranz.ts';
import { clipProbability } from './numeric.ts';
import { smirnovSf } from './smirnov.ts';

const LOG_2PI = Math.log(2 * Math.PI);
// Stirling series coefficients B_{2j}/(2j)/(2j-1) for j = 8 .. 1 (highest power first).
const STIRLING_COEFFS = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
  8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
  -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

/** log(n!/n^n) by Stirling's series with the n·log(n) term removed up front. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * y + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

export function kstwoSf(x: number, n: number): number {
  if (Number.isNaN(x) || !Number.isInteger(n) || n <= 0) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben-Gambino: 1/(2n) <= x <= 1/n, cdf = n!/n^n (2t-1)^n
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clipProbability(1 - cdf);
  }
  if (t >= n - 1) return clipProbability(2 * (1 - x) ** n);
  if (x >= 0.5) return clipProbability(2 * smirnovSf(n, x));

  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clipProbability(1 - kolmogorovCdfDurbin(n, x));
    if (nxSquared <= 4) return clipProbability(1 - kolmogorovCdfPomeranz(n, x));
    return clipProbability(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clipProbability(2 * smirnovSf(n, x));
  const cdf =
    n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clipProbability(1 - clipProbability(cdf));
}
