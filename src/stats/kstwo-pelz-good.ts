/**
 * Pelz–Good (1976) asymptotic series for Pr(D_n <= x): the Li-Chien/Korolyuk expansion
 * K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5, z = x√n, with each K rewritten through Jacobi
 * theta functions so it converges fast for small z. A translation of scipy's
 * `_kolmogn_PelzGood` (scipy/stats/_ksstats.py); @stdlib has no equivalent.
 */
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const MIN_LOG = -708;

export function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI_SQUARED / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIX * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOUR * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Horner scheme for sum c_i q^(i^2) over odd i.
  let K0 = 0;
  let K1 = 0;
  let K2 = 0;
  let K3 = 0;
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    K0 = K0 * qpower + 1;
    K1 = K1 * qpower + (k1a + k1b * m2);
    K2 = K2 * qpower + (k2a + k2b * m2 + k2c * m4);
    K3 = K3 * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const scale = q * SQRT2PI;
  K0 = (K0 * scale) / z;
  K1 = (K1 * scale) / (6 * z4);
  K2 = (K2 * scale) / (72 * z ** 7);
  K3 = (K3 * scale) / (6480 * z ** 10);

  // Remaining terms over all integers k: K2 gets (π²k²) q^(k²), K3 (3π²k²z² - π⁴k⁴) q^(k²).
  q = Math.exp(-PI_SQUARED / 2 / z2);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ksq = k * k;
    const qk = q ** ksq;
    const kpi = Math.PI * k;
    k2extra += ksq * qk;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * ksq * qk;
  }
  K2 += k2extra * ((PI_SQUARED * SQRT2PI) / (-36 * z3));
  K3 += k3extra * ((PI_SQUARED * SQRT2PI) / (216 * z6));
  return K0 + K1 / Math.sqrt(n) + K2 / n + K3 / n ** 1.5;
}
