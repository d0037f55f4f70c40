/**
 * The reference sample kept for KS and Wasserstein, and summary moments. Pure.
 */
import { quantileSorted } from '../../stats/index.ts';

/**
 * A sorted sample of at most `max` values standing for a sorted reference: every value when it
 * is small enough, else `max` evenly spaced quantiles (a deterministic sketch: KS and
 * Wasserstein against it are close to the full reference, and KS p-values are conservative,
 * since the sketch has less sampling noise than a random sample of its size).
 */
export function sketchSorted(sorted: ArrayLike<number>, max: number): number[] {
  if (sorted.length <= max) return Array.from(sorted);
  const out = new Array<number>(max);
  for (let i = 0; i < max; i++) out[i] = quantileSorted(sorted, (i + 0.5) / max);
  return out;
}

/** Mean and population standard deviation (ddof = 0). */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}
