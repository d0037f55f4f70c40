/** Bonferroni adjustment for m simultaneous tests: min(1, p·m) for each p-value. */
export function bonferroni(pvalues: ArrayLike<number>): number[] {
  const m = pvalues.length;
  const out = new Array<number>(m);
  for (let i = 0; i < m; i++) out[i] = Math.min(1, pvalues[i] * m);
  return out;
}
