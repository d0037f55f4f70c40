/**
 * The canary checks over one evaluation window, canary against stable over the same span.
 * Pure. Each check answers pass, breach, insufficient_data (too few requests to say) or
 * skipped (not applicable: relative limits at 100 %, where there is no stable traffic).
 */
import { psi, psiCategorical } from '../../stats/index.ts';
import { labelsSoFar, latestComparable, type QualitySample } from '../performance/quality-comparison.ts';
import { srmVerdict } from './assignment-counts.ts';
import type { ArmWindow } from '../../analysis/arm-window.ts';
import type { CanaryPlan, CheckAction } from './plan.ts';

export type CheckStatus = 'pass' | 'breach' | 'insufficient_data' | 'skipped';
export type DriftStatus = 'stable' | 'moderate' | 'significant' | 'insufficient_data';

export interface CheckResult {
  check: string;
  action: CheckAction;
  status: CheckStatus;
  /** the measured value and the limit it was held to, when there is one */
  value?: number | null;
  limit?: number;
  detail: string;
}

export interface WindowSample {
  canary: ArmWindow;
  stable: ArmWindow;
  /** distinct hash-assigned units per variant, and the weights they were routed with */
  assigned: Record<string, number>;
  weights: Record<string, number>;
  /** worst feature status of the canary in the monitor's drift report, when known */
  canaryFeatureStatus?: DriftStatus;
  /** labelled-prediction figures of both variants, when a quality check is planned */
  quality?: QualitySample;
}

export interface CheckOptions {
  /** the canary holds all the traffic it can: only absolute limits apply */
  full: boolean;
  /** requests per arm a window needs for a verdict */
  minRequests: number;
  srmAlpha: number;
}

const round = (x: number, d = 4) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

/** Folds absolute and relative parts: any breach wins, then missing data, then pass. */
function fold(check: string, action: CheckAction, parts: CheckResult[]): CheckResult {
  const live = parts.filter((p) => p.status !== 'skipped');
  const pick = live.find((p) => p.status === 'breach') ?? live.find((p) => p.status === 'insufficient_data') ?? live[0];
  return pick ?? { check, action, status: 'skipped', detail: 'no limit applies at this step' };
}

function errorRate(plan: CanaryPlan, s: WindowSample, o: CheckOptions): CheckResult | undefined {
  const c = plan.checks.error_rate;
  if (!c) return undefined;
  const check = 'error_rate';
  const parts: CheckResult[] = [];
  const few = (who: string, n: number): CheckResult => ({ check, action: c.action, status: 'insufficient_data', detail: `${who} served ${n} < ${o.minRequests} requests in the window` });
  if (c.max !== undefined) {
    if (s.canary.counted < o.minRequests) parts.push(few('canary', s.canary.counted));
    else {
      const v = s.canary.errorRate;
      parts.push({ check, action: c.action, status: v > c.max ? 'breach' : 'pass', value: round(v), limit: c.max, detail: `canary 5xx share ${round(v * 100, 2)}% (limit ${c.max * 100}%)` });
    }
  }
  if (c.max_relative !== undefined && !o.full) {
    if (s.canary.counted < o.minRequests) parts.push(few('canary', s.canary.counted));
    else if (s.stable.counted < o.minRequests) parts.push(few('stable', s.stable.counted));
    else {
      const floor = c.floor ?? 0.01;
      const ratio = s.canary.errorRate / Math.max(s.stable.errorRate, floor);
      parts.push({ check, action: c.action, status: ratio > c.max_relative ? 'breach' : 'pass', value: round(ratio), limit: c.max_relative, detail: `canary 5xx share ${round(s.canary.errorRate * 100, 2)}% vs stable ${round(s.stable.errorRate * 100, 2)}% (x${round(ratio, 2)}, limit x${c.max_relative}, stable floor ${floor * 100}%)` });
    }
  }
  return fold(check, c.action, parts);
}

function latency(plan: CanaryPlan, s: WindowSample, o: CheckOptions): CheckResult | undefined {
  const c = plan.checks.latency_p99;
  if (!c) return undefined;
  const check = 'latency_p99';
  const parts: CheckResult[] = [];
  // a p99 of fewer than 100 values is the maximum: one slow request is not a verdict
  const min = Math.max(o.minRequests, c.min_requests ?? 100);
  const few = (who: string, n: number): CheckResult => ({ check, action: c.action, status: 'insufficient_data', detail: `${who} served ${n} < ${min} requests in the window` });
  const p99 = s.canary.latency(0.99);
  if (c.max_ms !== undefined) {
    if (s.canary.counted < min) parts.push(few('canary', s.canary.counted));
    else parts.push({ check, action: c.action, status: p99 > c.max_ms ? 'breach' : 'pass', value: round(p99, 3), limit: c.max_ms, detail: `canary p99 ${round(p99, 1)} ms (limit ${c.max_ms} ms)` });
  }
  if (c.max_relative !== undefined && !o.full) {
    if (s.canary.counted < min) parts.push(few('canary', s.canary.counted));
    else if (s.stable.counted < min) parts.push(few('stable', s.stable.counted));
    else {
      const floor = c.floor_ms ?? 10;
      const stable = s.stable.latency(0.99);
      const ratio = p99 / Math.max(stable, floor);
      parts.push({ check, action: c.action, status: ratio > c.max_relative ? 'breach' : 'pass', value: round(ratio), limit: c.max_relative, detail: `canary p99 ${round(p99, 1)} ms vs stable ${round(stable, 1)} ms (x${round(ratio, 2)}, limit x${c.max_relative}, stable floor ${floor} ms)` });
    }
  }
  return fold(check, c.action, parts);
}

function outputPsi(plan: CanaryPlan, s: WindowSample, o: CheckOptions): CheckResult | undefined {
  const c = plan.checks.output_psi;
  if (!c) return undefined;
  const check = 'output_psi';
  if (o.full) return { check, action: c.action, status: 'skipped', detail: 'no stable traffic to compare with at this step' };
  const a = s.canary.outputs.values;
  const b = s.stable.outputs.values;
  if (a.length < o.minRequests || b.length < o.minRequests) return { check, action: c.action, status: 'insufficient_data', detail: `outputs: canary ${a.length}, stable ${b.length} (need ${o.minRequests} each)` };
  const numeric = a.every((x) => typeof x === 'number') && b.every((x) => typeof x === 'number');
  const v = numeric ? psi(b as number[], a as number[]) : psiCategorical(b.map(String), a.map(String));
  return { check, action: c.action, status: v > c.max ? 'breach' : 'pass', value: round(v), limit: c.max, detail: `output PSI canary vs stable ${round(v)} (limit ${c.max})` };
}

function featureDrift(plan: CanaryPlan, s: WindowSample): CheckResult | undefined {
  const c = plan.checks.feature_drift;
  if (!c) return undefined;
  const check = 'feature_drift';
  const status = s.canaryFeatureStatus;
  if (!status || status === 'insufficient_data') return { check, action: c.action, status: 'insufficient_data', detail: 'no drift verdict for the canary yet (is a baseline set?)' };
  const order = { stable: 0, moderate: 1, significant: 2 };
  const max = c.max_status ?? 'moderate';
  return { check, action: c.action, status: order[status] > order[max] ? 'breach' : 'pass', detail: `canary feature drift ${status} (tolerated: ${max})` };
}

function srm(plan: CanaryPlan, s: WindowSample, o: CheckOptions): CheckResult | undefined {
  const c = plan.checks.srm;
  if (!c) return undefined;
  const v = srmVerdict(s.assigned, s.weights, c.alpha ?? o.srmAlpha);
  if (!v.enough) return { check: 'srm', action: c.action, status: o.full ? 'skipped' : 'insufficient_data', value: v.pvalue, detail: `assignment counts ${JSON.stringify(v.counts)}: too few units per arm` };
  return { check: 'srm', action: c.action, status: v.alarm ? 'breach' : 'pass', value: v.pvalue, limit: c.alpha ?? o.srmAlpha, detail: `units ${JSON.stringify(v.counts)} vs weights ${JSON.stringify(v.weights)}: p = ${v.pvalue?.toExponential(2)}` };
}

const DEFAULT_MIN_LABELS = 100;

/**
 * auc_drop and log_loss_increase: canary against stable in the newest window of prediction
 * time overlapping the step where both have `min_labels` labels. Labels arrive late, so these
 * answer insufficient_data (and a step waits) until enough have joined.
 */
function quality(plan: CanaryPlan, s: WindowSample, o: CheckOptions, check: 'auc_drop' | 'log_loss_increase'): CheckResult | undefined {
  const c = plan.checks[check];
  if (!c) return undefined;
  if (o.full) return { check, action: c.action, status: 'skipped', detail: 'no stable traffic to compare with at this step' };
  const min = c.min_labels ?? DEFAULT_MIN_LABELS;
  const q = s.quality ?? { canary: [], stable: [], since: 0 };
  const pair = latestComparable(q, min);
  if (!pair) {
    const n = labelsSoFar(q);
    return { check, action: c.action, status: 'insufficient_data', detail: `labelled predictions in one window of this step: canary ${n.canary}, stable ${n.stable} (need ${min} each)` };
  }
  const span = `window ${new Date(pair.start).toISOString()}, ${pair.canary.labels}/${pair.stable.labels} labels`;
  if (check === 'auc_drop') {
    const a = pair.canary.auc;
    const b = pair.stable.auc;
    if (a == null || b == null) return { check, action: c.action, status: 'insufficient_data', detail: `AUC undefined (one class only) in ${span}` };
    const drop = b - a;
    const max = (c as { max: number }).max;
    return { check, action: c.action, status: drop > max ? 'breach' : 'pass', value: round(drop), limit: max, detail: `canary AUC ${round(a)} vs stable ${round(b)} (drop ${round(drop)}, limit ${max}; ${span})` };
  }
  const l = c as { max?: number; max_relative?: number };
  const a = pair.canary.log_loss;
  const b = pair.stable.log_loss;
  if (a == null || b == null) return { check, action: c.action, status: 'insufficient_data', detail: `log loss undefined in ${span}` };
  const parts: CheckResult[] = [];
  if (l.max !== undefined) parts.push({ check, action: c.action, status: a - b > l.max ? 'breach' : 'pass', value: round(a - b), limit: l.max, detail: `canary log loss ${round(a)} vs stable ${round(b)} (+${round(a - b)} nats, limit ${l.max}; ${span})` });
  if (l.max_relative !== undefined) {
    const ratio = a / Math.max(b, 1e-6);
    parts.push({ check, action: c.action, status: ratio > l.max_relative ? 'breach' : 'pass', value: round(ratio), limit: l.max_relative, detail: `canary log loss ${round(a)} vs stable ${round(b)} (x${round(ratio, 2)}, limit x${l.max_relative}; ${span})` });
  }
  return fold(check, c.action, parts);
}

export function runChecks(plan: CanaryPlan, s: WindowSample, o: CheckOptions): CheckResult[] {
  return [errorRate(plan, s, o), latency(plan, s, o), outputPsi(plan, s, o), featureDrift(plan, s), srm(plan, s, o), quality(plan, s, o, 'auc_drop'), quality(plan, s, o, 'log_loss_increase')].filter((r): r is CheckResult => r !== undefined);
}
