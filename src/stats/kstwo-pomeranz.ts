/**
 * Pr(D_n <= x) by Pomeranz's (1974) recursion: each row of an n×(2n+2) table is a
 * convolution of the previous one with (almost) Poisson probabilities; only two rows and a
 * band of non-zero entries are kept. A translation of scipy's `_kolmogn_Pomeranz`
 * (scipy/stats/_ksstats.py), including its 2^±128 rescaling — @stdlib has no equivalent.
 */
import { ldexp } from './numeric.ts';

const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;

function rowBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

export function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1;
  twogpower[0] = 1;
  onem2gpower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * gOverN) / m;
    twogpower[m] = (twogpower[m - 1] * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * oneMinusTwoGOverN) / m;
  }

  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let exponent = 0;
  let [j1, j2] = rowBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = rowBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 === 1 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 <= 0) continue;
    // conv = np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]); take conv[j1-k1 : j2-k1+1]
    const aStart = k1 - V0s;
    const aLen = Math.min(ln2, npwrs - aStart);
    const bLen = Math.min(ln2, npwrs);
    const convStart = j1 - k1;
    const convLen = j2 - j1 + 1;
    let max = 0;
    for (let c = 0; c < convLen; c++) {
      const idx = convStart + c;
      let acc = 0;
      const lo = Math.max(0, idx - bLen + 1);
      const hi = Math.min(idx, aLen - 1);
      for (let a = lo; a <= hi; a++) acc += V0[aStart + a] * pwrs[idx - a];
      V1[c] = acc;
      if (acc > max) max = acc;
    }
    if (max > 0 && max < M128) {
      for (let c = 0; c < npwrs; c++) V1[c] *= P128;
      exponent -= E128;
    }
    V1s = V0s + j1 - k1;
  }

  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > P128) {
      ans *= M128;
      exponent += E128;
    }
    ans *= m;
  }
  if (exponent !== 0) ans = ldexp(ans, exponent);
  return ans < 0 ? 0 : ans > 1 ? 1 : ans;
}
