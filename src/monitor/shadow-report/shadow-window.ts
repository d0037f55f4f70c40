/**
 * One shadow's numbers over a window, joined to the live answers by request id. Pure.
 * Agreement: numbers within the shadow's tolerance, labels by equality, on every output of
 * the request (as the gateway's own comparison). A pair is compared only when both the live
 * and the shadow request succeeded and have the same number of outputs. Errors: backend 5xx
 * and UPSTREAM_* codes; copies the gateway itself gave up on (its in-flight cap) are counted
 * as dropped, never as errors of the shadow.
 */
import { entryOutcome, Reservoir } from '../canary/arm-stats.ts';

export interface Pair {
  liveOutputs: unknown[] | null;
  shadowOutputs: unknown[];
  shadow: { status: number; error: string | undefined; latencyMs: number };
  liveLatencyMs: number | null;
}

function flatten(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v).sort()) flatten((v as Record<string, unknown>)[k], out);
  else out.push(v);
}

/** 'agree' | 'disagree' | 'incomparable', and the mean |difference| (numbers) or null. */
export function compareEntryOutputs(live: unknown[], shadow: unknown[], tolerance: number): { result: 'agree' | 'disagree' | 'incomparable'; diff: number | null } {
  const a: unknown[] = [];
  const b: unknown[] = [];
  flatten(live, a);
  flatten(shadow, b);
  if (a.length === 0 || a.length !== b.length) return { result: 'incomparable', diff: null };
  let agree = true;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      const d = Math.abs(x - y);
      sum += d;
      n++;
      if (!(d <= tolerance)) agree = false;
    } else if (x !== y) agree = false;
  }
  return { result: agree ? 'agree' : 'disagree', diff: n ? sum / n : null };
}

const q = (sorted: number[], p: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] : null);
const r4 = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);

export interface ShadowWindowSummary {
  start_ts: number;
  end_ts: number;
  entries: number;
  /** shadow requests that reached the shadow (not dropped) */
  requests: number;
  errors: number;
  error_share: number | null;
  dropped: number;
  compared: number;
  agreed: number;
  agreement_rate: number | null;
  incomparable: number;
  /** shadow entries whose live entry was not seen */
  unmatched: number;
  tolerance: number;
  diff: { mean: number | null; p50: number | null; p90: number | null; p99: number | null; max: number | null };
  latency_ms: { p50: number | null; p90: number | null; p99: number | null };
  live_latency_ms: { p50: number | null; p90: number | null; p99: number | null };
}

export class ShadowWindow {
  entries = 0;
  requests = 0;
  errors = 0;
  dropped = 0;
  compared = 0;
  agreed = 0;
  incomparable = 0;
  unmatched = 0;
  firstTs = 0;
  lastTs = 0;
  openedAt = 0;
  private diffSum = 0;
  private diffN = 0;
  private readonly diffs = new Reservoir<number>(10_000, 3);
  private readonly latencies = new Reservoir<number>(10_000, 4);
  private readonly liveLatencies = new Reservoir<number>(10_000, 5);

  constructor(readonly tolerance: number) {}

  add(p: Pair, ts: number, now: number): void {
    if (this.entries === 0) {
      this.firstTs = ts;
      this.openedAt = now;
    }
    this.entries++;
    if (ts > this.lastTs) this.lastTs = ts;
    const outcome = entryOutcome(p.shadow);
    if (outcome === 'excluded') {
      this.dropped++;
      return;
    }
    this.requests++;
    this.latencies.add(p.shadow.latencyMs);
    if (p.liveLatencyMs !== null) this.liveLatencies.add(p.liveLatencyMs);
    if (outcome === 'error') {
      this.errors++;
      return;
    }
    if (p.liveOutputs === null) {
      this.unmatched++;
      return;
    }
    const c = compareEntryOutputs(p.liveOutputs, p.shadowOutputs, this.tolerance);
    if (c.result === 'incomparable') {
      this.incomparable++;
      return;
    }
    this.compared++;
    if (c.result === 'agree') this.agreed++;
    if (c.diff !== null) {
      this.diffs.add(c.diff);
      this.diffSum += c.diff;
      this.diffN++;
    }
  }

  summary(): ShadowWindowSummary {
    const sorted = (r: Reservoir<number>) => [...r.values].sort((a, b) => a - b);
    const d = sorted(this.diffs);
    const l = sorted(this.latencies);
    const ll = sorted(this.liveLatencies);
    const pct = (xs: number[]) => ({ p50: r4(q(xs, 0.5)), p90: r4(q(xs, 0.9)), p99: r4(q(xs, 0.99)) });
    return {
      start_ts: this.firstTs,
      end_ts: this.lastTs,
      entries: this.entries,
      requests: this.requests,
      errors: this.errors,
      error_share: this.requests ? r4(this.errors / this.requests) : null,
      dropped: this.dropped,
      compared: this.compared,
      agreed: this.agreed,
      agreement_rate: this.compared ? r4(this.agreed / this.compared) : null,
      incomparable: this.incomparable,
      unmatched: this.unmatched,
      tolerance: this.tolerance,
      diff: { mean: this.diffN ? r4(this.diffSum / this.diffN) : null, ...pct(d), max: d.length ? r4(d[d.length - 1]) : null },
      latency_ms: pct(l),
      live_latency_ms: pct(ll),
    };
  }
}
