/** Small floating-point helpers shared by the statistics code. */

/** Round half to even, as numpy's `np.round` and Python's `round`. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round sends halves up; pull exact halves with an odd result back down.
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** x · 2^e without intermediate overflow/underflow of the power of two (C's ldexp). */
export function ldexp(x: number, e: number): number {
  let out = x;
  let rest = e;
  while (rest > 1000) {
    out *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    out *= 2 ** -1000;
    rest += 1000;
  }
  return out * 2 ** rest;
}

/** Clip a probability into [0, 1] (NaN stays NaN). */
export function clipProbability(p: number): number {
  if (p < 0) return 0;
  if (p > 1) return 1;
  return p;
}

/** Arithmetic mean and population standard deviation (ddof = 0, numpy's default). */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    squares += d * d;
  }
  return { mean, std: Math.sqrt(squares / n) };
}
