/**
 * The number a logged output stands for, as the route's `performance` block describes (pure):
 *
 * - `output` names the part: a key of an object output (`{"score": 0.91}`) or an index of an
 *   array output (`[0.09, 0.91]` with `output: 1`).
 * - Without it: a number is itself; a one-element array its element; an object with exactly
 *   one numeric value that value. For `binary`, a two-element array is [p(0), p(1)] and gives
 *   p(1); for `classes`, an array of numbers is a score per class and gives its argmax.
 * - `binary` needs a score in [0, 1]; labels are 0 or 1. `classes` compares class numbers.
 *
 * Returns undefined when the output has no such number (counted as `invalid_prediction`).
 */
import type { PerformanceConfig } from '../../config/schema.ts';

export type { Task } from '../../outcomes/label-rules.ts';
export const DEFAULT_PERFORMANCE: PerformanceConfig = Object.freeze({ task: 'binary', threshold: 0.5 });

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function argmax(a: readonly unknown[]): number | undefined {
  let best = -1;
  for (let i = 0; i < a.length; i++) {
    if (!finite(a[i])) return undefined;
    if (best < 0 || (a[i] as number) > (a[best] as number)) best = i;
  }
  return best < 0 ? undefined : best;
}

function pick(out: unknown, cfg: PerformanceConfig): number | undefined {
  if (cfg.output !== undefined) {
    if (typeof cfg.output === 'number') return Array.isArray(out) && finite(out[cfg.output]) ? out[cfg.output] : undefined;
    if (typeof out === 'object' && out !== null && !Array.isArray(out)) {
      const v = (out as Record<string, unknown>)[cfg.output];
      return finite(v) ? v : cfg.task === 'classes' && Array.isArray(v) ? argmax(v) : undefined;
    }
    return undefined;
  }
  if (finite(out)) return out;
  if (Array.isArray(out)) {
    if (out.length === 1) return finite(out[0]) ? out[0] : undefined;
    if (cfg.task === 'binary' && out.length === 2) return finite(out[1]) ? out[1] : undefined;
    if (cfg.task === 'classes') return argmax(out);
    return undefined;
  }
  if (typeof out === 'object' && out !== null) {
    const nums = Object.values(out as Record<string, unknown>).filter(finite);
    return nums.length === 1 ? nums[0] : undefined;
  }
  return undefined;
}

/** the prediction as a number for the task, or undefined */
export function predictionValue(out: unknown, cfg: PerformanceConfig): number | undefined {
  const v = pick(out, cfg);
  if (v === undefined) return undefined;
  if (cfg.task === 'binary' && (v < 0 || v > 1)) return undefined;
  return v;
}

export { labelProblem } from '../../outcomes/label-rules.ts';
