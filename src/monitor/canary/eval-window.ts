/**
 * The controller's evaluation window: canary and stable entries over the same span, taken
 * only from entries routed by the config version that applied the current step (the `cfg`
 * field), so a step is judged on its own traffic. A window that had too little data for a
 * verdict is not thrown away: it keeps filling until it has enough. Pure.
 */
import type { LogEntry } from '../../predictions/schema.ts';
import { ArmWindow } from '../../analysis/arm-window.ts';
import { AssignmentCounts } from './assignment-counts.ts';
import type { WindowSample } from './checks.ts';
import type { WindowSummary } from './state.ts';
import type { CheckResult } from './checks.ts';

export class EvalWindow {
  readonly canary = new ArmWindow();
  readonly stable = new ArmWindow();
  readonly assigned = new AssignmentCounts();
  /** wall-clock start, and the span of entry timestamps seen */
  readonly openedAt: number;
  firstTs = Number.POSITIVE_INFINITY;
  lastTs = 0;

  constructor(
    readonly canaryName: string,
    readonly stableName: string,
    /** entries routed by an older config version are not part of the step */
    readonly minConfigVersion: number,
    now: number,
  ) {
    this.openedAt = now;
  }

  /** Adds a live entry of the step; returns true when it was a counted canary request. */
  add(e: LogEntry): boolean {
    if (e.role !== 'live') return false;
    const cfg = Number(e.fields.cfg);
    if (Number.isFinite(cfg) && cfg < this.minConfigVersion) return false;
    this.assigned.add(e);
    if (e.ts < this.firstTs) this.firstTs = e.ts;
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    if (e.variant === this.canaryName) {
      const before = this.canary.counted;
      this.canary.add(e);
      return this.canary.counted > before;
    }
    if (e.variant === this.stableName) this.stable.add(e);
    return false;
  }

  sample(weights: Record<string, number>, canaryFeatureStatus?: WindowSample['canaryFeatureStatus'], quality?: WindowSample['quality']): WindowSample {
    const assigned: Record<string, number> = {};
    for (const v of this.assigned.variants()) assigned[v] = this.assigned.count(v);
    return { canary: this.canary, stable: this.stable, assigned, weights, canaryFeatureStatus, quality };
  }

  summary(checks: CheckResult[], now: number): WindowSummary {
    const arm = (a: ArmWindow) => ({ requests: a.counted, errors: a.errors, error_rate: a.counted ? Math.round((a.errors / a.counted) * 1e4) / 1e4 : 0, p99_ms: a.counted ? Math.round(a.latency(0.99) * 1000) / 1000 : null });
    return { start_ts: Number.isFinite(this.firstTs) ? this.firstTs : this.openedAt, end_ts: this.lastTs || now, canary: arm(this.canary), stable: arm(this.stable), checks };
  }
}
