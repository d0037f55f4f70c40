/**
 * Compares a shadow's output with the live output (pure). Outputs are flattened to scalars:
 * KServe V1 `predictions`, OIP V2 `outputs[*].data`, else the whole body. Numbers agree within
 * `tolerance` (the mean absolute difference is reported); labels agree when equal.
 */
import type { ComparisonResult } from '../gateway/events.ts';

export interface Comparison {
  result: ComparisonResult;
  /** mean absolute difference over numeric outputs, when there are any */
  absDiff?: number;
}

function flatten(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v).sort()) flatten((v as Record<string, unknown>)[k], out);
  else out.push(v);
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
  if (!a || !b || a.length !== b.length || a.length === 0) return { result: 'incomparable' };
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
