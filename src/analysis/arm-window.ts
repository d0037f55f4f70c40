/**
 * What one variant (an arm) did in an evaluation window: requests that count, their errors,
 * latencies and outputs (bounded samples). Pure. Entries count by the one outcome
 * classification (outcome.ts): excluded entries are left out entirely; latency quantiles are
 * the shared linear ones (quantiles.ts).
 */
import { entryOutputs, type LogEntry } from '../predictions/schema.ts';
import { classifyOutcome } from './outcome.ts';
import { percentile } from './quantiles.ts';
import { Reservoir } from './reservoir.ts';

/** The first scalar of an output: a number, a label, or the first scalar inside it. */
export function scalarOutput(o: unknown): number | string | undefined {
  if (typeof o === 'number') return Number.isFinite(o) ? o : undefined;
  if (typeof o === 'string' || typeof o === 'boolean') return String(o);
  if (Array.isArray(o)) return o.length ? scalarOutput(o[0]) : undefined;
  if (o && typeof o === 'object') {
    const keys = Object.keys(o).sort();
    return keys.length ? scalarOutput((o as Record<string, unknown>)[keys[0]]) : undefined;
  }
  return undefined;
}

export const SAMPLE_CAP = 20_000;

export class ArmWindow {
  /** entries that count (excluded ones left out) */
  counted = 0;
  errors = 0;
  excluded = 0;
  readonly latencies = new Reservoir<number>(SAMPLE_CAP, 1);
  readonly outputs = new Reservoir<number | string>(SAMPLE_CAP, 2);

  add(e: LogEntry): void {
    const outcome = classifyOutcome(e);
    if (outcome === 'excluded') {
      this.excluded++;
      return;
    }
    this.counted++;
    if (outcome === 'error') this.errors++;
    if (Number.isFinite(e.latencyMs)) this.latencies.add(e.latencyMs);
    if (outcome === 'ok' && e.status < 300) for (const o of entryOutputs(e)) {
      const s = scalarOutput(o);
      if (s !== undefined) this.outputs.add(s);
    }
  }

  get errorRate(): number {
    return this.counted ? this.errors / this.counted : 0;
  }

  /** the p-th quantile (0..1) of latencies (quantiles.ts); NaN without data */
  latency(p: number): number {
    return percentile(this.latencies.values, p) ?? Number.NaN;
  }
}
