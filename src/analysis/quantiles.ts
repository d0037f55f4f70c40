/**
 * Percentiles of an unsorted sample (latency p99 and the like), the one definition every
 * analysis uses: numpy's default linear quantile (src/stats/quantile.ts). Pure.
 */
import { quantileSorted } from '../stats/quantile.ts';

/** The p-quantile (0..1) of `values`, or null without any. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  return quantileSorted(Float64Array.from(values).sort(), p);
}

/** Several quantiles of one sample, sorting it once. */
export function percentiles<K extends string>(values: readonly number[], ps: Record<K, number>): Record<K, number | null> {
  const sorted = Float64Array.from(values).sort();
  const out = {} as Record<K, number | null>;
  for (const k of Object.keys(ps) as K[]) out[k] = sorted.length ? quantileSorted(sorted, ps[k]) : null;
  return out;
}
