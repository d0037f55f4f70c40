/**
 * Pr(D_n <= d) by the Durbin matrix method as organised by Marsaglia, Tsang & Wang (2003):
 * the (k,k) entry of H^n · n!/n^n, with H the (2k-1)×(2k-1) matrix built from d = (k - h)/n.
 * A translation of scipy's `_kolmogn_DMTW` (scipy/stats/_ksstats.py) — @stdlib has no
 * Kolmogorov distribution. Intermediate powers are rescaled by 2^±128 and the exponent kept
 * aside, as scipy does (scipy keeps part of the final product in long double; the difference
 * is at the 1e-16 level).
 */
import { ldexp } from './numeric.ts';

const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;

export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;

  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)];
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let power: Float64Array = identity(m);
  let nn = n;
  let exponent = 0;
  let hExponent = 0;
  const centre = (k - 1) * m + (k - 1);
  while (nn > 0) {
    if (nn % 2 === 1) {
      power = multiply(power, H, m);
      exponent += hExponent;
    }
    H = multiply(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[centre]) > P128) {
      for (let i = 0; i < H.length; i++) H[i] /= P128;
      hExponent += E128;
    }
    nn = Math.floor(nn / 2);
  }

  let p = power[centre];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < M128) {
      p *= P128;
      exponent -= E128;
    }
  }
  if (exponent !== 0) p = ldexp(p, exponent);
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

function identity(m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) out[i * m + i] = 1;
  return out;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const row = i * m;
    for (let k = 0; k < m; k++) {
      const aik = a[row + k];
      if (aik === 0) continue;
      const bRow = k * m;
      for (let j = 0; j < m; j++) out[row + j] += aik * b[bRow + j];
    }
  }
  return out;
}
