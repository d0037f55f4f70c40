/**
 * Compares a shadow's output with the live output (pure). Outputs are flattened to scalars:
 * KServe V1 `predictions`, OIP V2 `outputs[*].data`, else the whole body. Numbers agree within
 * `tolerance` (the mean absolute difference is reported); labels agree when equal. The shadow
 * mirror parses a body only after its depth check (limits.max_json_depth); flattening is
 * iterative anyway.
 */
import type { ComparisonResult } from '../gateway/events.ts';

export interface Comparison {
  result: ComparisonResult;
  /** mean absolute difference over numeric outputs, when there are any */
  absDiff?: number;
}

/** Scalars of `v` in order (object keys sorted), with an explicit stack: no depth can overflow it. */
function flatten(v: unknown, out: unknown[]): void {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
    else if (x !== null && typeof x === 'object') {
      const keys = Object.keys(x).sort();
      for (let i = keys.length - 1; i >= 0; i--) stack.push((x as Record<string, unknown>)[keys[i]]);
    } else out.push(x);
  }
}

export function outputsOf(body: unknown): unknown[] | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const out: unknown[] = [];
  if (Array.isArray(b.predictions)) flatten(b.predictions, out);
  else if (Array.isArray(b.outputs)) for (const o of b.outputs) flatten((o as { data?: unknown })?.data, out);
  else return undefined;
  return out;
}

export function compareOutputs(live: unknown, shadow: unknown, tolerance = 1e-6): Comparison {
  const a = outputsOf(live);
  const b = outputsOf(shadow);
  if (!a || !b) return { result: 'incomparable' };
  return compareScalars(a, b, tolerance);
}

/**
 * Compares two lists of outputs as logged in the prediction stream (one per instance, any
 * shape): flattened the same way, then compared as compareOutputs does. The shadow report
 * (monitor/shadow-report) uses it, so the report and the gateway agree on what "agree" means.
 */
export function compareOutputLists(live: readonly unknown[], shadow: readonly unknown[], tolerance = 1e-6): Comparison & { result: 'agree' | 'disagree' | 'incomparable' } {
  const a: unknown[] = [];
  const b: unknown[] = [];
  flatten(live, a);
  flatten(shadow, b);
  return compareScalars(a, b, tolerance);
}

function compareScalars(a: unknown[], b: unknown[], tolerance: number): Comparison & { result: 'agree' | 'disagree' | 'incomparable' } {
  if (a.length !== b.length || a.length === 0) return { result: 'incomparable' };
  let numeric = 0;
  let sum = 0;
  let agree = true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      const d = Math.abs(x - y);
      numeric++;
      sum += d;
      if (!(d <= tolerance)) agree = false;
    } else if (x !== y) agree = false;
  }
  return numeric > 0 ? { result: agree ? 'agree' : 'disagree', absDiff: sum / numeric } : { result: agree ? 'agree' : 'disagree' };
}
