/**
 * One shadow's numbers over a window, joined to the live answers by request id. Pure.
 * Agreement: numbers within the shadow's tolerance, labels by equality, on every output of
 * the request (as the gateway's own comparison). A pair is compared only when both the live
 * and the shadow request succeeded and have the same number of outputs. Errors: backend 5xx
 * and UPSTREAM_* codes; copies the gateway itself gave up on (its in-flight cap) are counted
 * as dropped, never as errors of the shadow.
 */
import { classifyOutcome } from '../../analysis/outcome.ts';
import { percentiles } from '../../analysis/quantiles.ts';
import { Reservoir } from '../../analysis/reservoir.ts';
import { compareOutputLists } from '../../upstream/compare.ts';

export interface Pair {
  liveOutputs: unknown[] | null;
  shadowOutputs: unknown[];
  shadow: { status: number; error: string | undefined; latencyMs: number };
  liveLatencyMs: number | null;
}

/** 'agree' | 'disagree' | 'incomparable', and the mean |difference| (numbers) or null: the gateway's comparison (upstream/compare.ts). */
export function compareEntryOutputs(live: unknown[], shadow: unknown[], tolerance: number): { result: 'agree' | 'disagree' | 'incomparable'; diff: number | null } {
  const c = compareOutputLists(live, shadow, tolerance);
  return { result: c.result, diff: c.absDiff ?? null };
}

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
    const outcome = classifyOutcome(p.shadow);
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
    const ps = { p50: 0.5, p90: 0.9, p99: 0.99 };
    const pct = (r: Reservoir<number>) => {
      const q = percentiles(r.values, ps);
      return { p50: r4(q.p50), p90: r4(q.p90), p99: r4(q.p99) };
    };
    const maxDiff = this.diffs.values.reduce<number | null>((m, x) => (m === null || x > m ? x : m), null);
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
      diff: { mean: this.diffN ? r4(this.diffSum / this.diffN) : null, ...pct(this.diffs), max: r4(maxDiff) },
      latency_ms: pct(this.latencies),
      live_latency_ms: pct(this.liveLatencies),
    };
  }
}
