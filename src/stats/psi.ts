/**
 * Population Stability Index, DESIGN.md "Drift statistics conventions": bins from the
 * reference deciles (numpy-linear), a value's bin = number of edges <= it, proportions
 * count/n with an exact 0 replaced by epsilon (no renormalisation),
 * PSI = Σ (a - e)·ln(a / e) with e the reference share and a the current share.
 */
import { binCounts, quantileEdgesSorted } from './quantile.ts';
import { assertCounts, sortedCopy } from './sorting.ts';

export const DEFAULT_PSI_EPSILON = 1e-4;

export interface PsiOptions {
  /** number of quantile bins (default 10: nine decile edges) */
  bins?: number;
  /** share substituted for a bin with no values (default 1e-4) */
  epsilon?: number;
}

/** PSI of `current` against `reference` on the reference's quantile bins. O(n log n). */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, options: PsiOptions = {}): number {
  const { bins = 10, epsilon = DEFAULT_PSI_EPSILON } = options;
  if (current.length === 0) throw new RangeError('current must not be empty');
  const sortedReference = sortedCopy(reference, 'reference');
  const edges = quantileEdgesSorted(sortedReference, bins);
  return psiFromCounts(binCounts(sortedReference, edges), binCounts(current, edges), epsilon);
}

/** PSI from per-bin counts (same bins, same order). Each side is divided by its own total. */
export function psiFromCounts(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  epsilon = DEFAULT_PSI_EPSILON,
): number {
  const k = referenceCounts.length;
  if (currentCounts.length !== k) throw new RangeError('referenceCounts and currentCounts differ in length');
  if (!(epsilon > 0)) throw new RangeError('epsilon must be positive');
  assertCounts(referenceCounts, 'referenceCounts');
  assertCounts(currentCounts, 'currentCounts');
  const referenceTotal = total(referenceCounts);
  const currentTotal = total(currentCounts);
  if (referenceTotal === 0 || currentTotal === 0) throw new RangeError('counts must not all be zero');
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const e = referenceCounts[i] === 0 ? epsilon : referenceCounts[i] / referenceTotal;
    const a = currentCounts[i] === 0 ? epsilon : currentCounts[i] / currentTotal;
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

export type PsiLevel = 'stable' | 'moderate' | 'significant';

export interface PsiThresholds {
  moderate?: number;
  significant?: number;
}

/** 'stable' below `moderate` (0.1), 'significant' above `significant` (0.2), else 'moderate'. */
export function psiLevel(value: number, thresholds: PsiThresholds = {}): PsiLevel {
  const { moderate = 0.1, significant = 0.2 } = thresholds;
  if (value > significant) return 'significant';
  if (value >= moderate) return 'moderate';
  return 'stable';
}

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i];
  return sum;
}
