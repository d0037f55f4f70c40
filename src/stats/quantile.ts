/**
 * Quantile bin edges, as numpy's default `np.quantile(a, q)` (method 'linear', Hyndman & Fan
 * type 7), and assignment of values to the bins those edges define.
 */
import { assertSorted, sortedCopy } from './sorting.ts';

/**
 * The q-quantile of an ascending sample, reproducing numpy's arithmetic exactly: virtual
 * index (n - 1)·q, then numpy's `_lerp`, which interpolates from the upper neighbour when
 * the fraction is >= 0.5 so the result is monotone and exact at the end points.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1];
  if (virtualIndex <= 0) return sorted[0];
  const lo = Math.floor(virtualIndex);
  const gamma = virtualIndex - lo;
  const a = sorted[lo];
  const b = sorted[lo + 1];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/**
 * `bins - 1` inner edges at the quantiles i/bins (i = 1 .. bins-1) of `reference`: for the
 * default 10 bins, the 9 deciles, equal to `np.quantile(reference, np.arange(1, 10) / 10)`.
 */
export function quantileEdges(reference: ArrayLike<number>, bins = 10): number[] {
  return quantileEdgesSorted(sortedCopy(reference, 'reference'), bins);
}

/** quantileEdges for a reference already in ascending order. */
export function quantileEdgesSorted(sortedReference: ArrayLike<number>, bins = 10): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError('bins must be a positive integer');
  assertSorted(sortedReference, 'reference');
  const edges = new Array<number>(bins - 1);
  for (let i = 1; i < bins; i++) edges[i - 1] = quantileSorted(sortedReference, i / bins);
  return edges;
}

/**
 * The bin of `value`: the number of edges <= value (binary search), so a value equal to an
 * edge goes to the bin on its right and the outer bins are open-ended.
 */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per bin (edges.length + 1 bins) of `values`; rejects non-finite values. */
export function binCounts(values: ArrayLike<number>, edges: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`values[${i}] is not a finite number`);
    counts[binIndex(edges, v)]++;
  }
  return counts;
}
