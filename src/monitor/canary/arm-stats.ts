/**
 * What one variant (an arm) did in an evaluation window: requests that count, their 5xx,
 * latencies and outputs (bounded samples). Pure. Errors the gateway itself generated (a
 * client abort, the in-flight cap, a body too large, ...) never count against a variant:
 * such entries are left out entirely. UPSTREAM_* errors and backend 5xx count.
 */
import { entryOutputs, type LogEntry } from '../runtime/entry.ts';

export type EntryOutcome = 'ok' | 'error' | 'excluded';

/** How an entry counts for its variant. */
export function entryOutcome(e: Pick<LogEntry, 'error' | 'status'>): EntryOutcome {
  if (e.error !== undefined) return e.error.startsWith('UPSTREAM_') ? 'error' : 'excluded';
  if (!(e.status >= 100)) return 'excluded';
  return e.status >= 500 ? 'error' : 'ok';
}

/** A fixed-size uniform sample of a stream of values (reservoir sampling, seeded: reproducible). */
export class Reservoir<T> {
  readonly values: T[] = [];
  seen = 0;
  private state: number;
  constructor(
    private readonly cap: number,
    seed = 0x9e3779b9,
  ) {
    this.state = seed >>> 0;
  }
  add(v: T): void {
    this.seen++;
    if (this.values.length < this.cap) {
      this.values.push(v);
      return;
    }
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    const j = this.state % this.seen;
    if (j < this.cap) this.values[j] = v;
  }
}

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

export class ArmStats {
  /** entries that count (excluded ones left out) */
  counted = 0;
  errors = 0;
  excluded = 0;
  readonly latencies = new Reservoir<number>(SAMPLE_CAP, 1);
  readonly outputs = new Reservoir<number | string>(SAMPLE_CAP, 2);

  add(e: LogEntry): void {
    const outcome = entryOutcome(e);
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

  /** the p-th percentile (0..1) of latencies, nearest rank; NaN without data */
  latency(p: number): number {
    const xs = [...this.latencies.values].sort((a, b) => a - b);
    if (!xs.length) return Number.NaN;
    return xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))];
  }
}
