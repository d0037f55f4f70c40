/**
 * One look at a running experiment (pure, over the in-memory tracker): per-arm aggregates of
 * every metric seen, the primary metric's estimates and tests, planning, SRM, guardrails,
 * and the verdict or breach this look produces.
 */
import { srmAlarm } from '../../stats/index.ts';
import { analyseMetric, type Comparison, type MetricResults } from './analysis.ts';
import type { MetricSummary } from './arm-stats.ts';
import { candidate, decide, verdictNotBefore, type DecisionInput } from './decide.ts';
import { checkGuardrails, firstBreach, type ArmTraffic, type GuardrailStatus } from './guardrails.ts';
import type { GuardrailBreach, Plan, Verdict } from './plan.ts';
import { planExperiment, type Planning } from './planning.ts';
import type { ExperimentTracker, JoinCounters } from './tracker.ts';

export interface ArmReport {
  units: number;
  requests: number;
  errors: number;
  error_rate: number | null;
  latency_p99_ms: number | null;
  metrics: Record<string, MetricSummary>;
}

export interface Results {
  experiment_id: string;
  updated_at: number;
  primary: { metric: string; kind: 'binary' | 'continuous' } & MetricResults;
  arms: Record<string, ArmReport>;
  planning: Planning;
  srm: { statistic: number | null; pvalue: number | null; alarm: boolean; units: Record<string, number>; expected_share: Record<string, number> };
  guardrails: GuardrailStatus[];
  join: JoinCounters & { pending: number };
  /** the running minimum of each arm's always-valid p-value (kept across looks) */
  always_valid: Record<string, number>;
  min_runtime: MinRuntime;
}

/** The pre-registered minimum runtime: when a verdict may be declared, and the one waiting for it. */
export interface MinRuntime {
  min_days: number;
  /** ms since the epoch: no verdict before */
  not_before: number;
  reached: boolean;
  /** the verdict the rule already gives, held until not_before */
  pending?: Pick<Verdict, 'decision' | 'winner' | 'reason' | 'always_valid_p'>;
}

export interface Look {
  results: Results;
  verdict?: Verdict;
  breach?: GuardrailBreach;
}

/** outcome guardrails have no MDE of their own: their mSPRT mixes over effects of ~0.1 sd */
export const GUARDRAIL_TAU_SD = 0.1;

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function evaluate(id: string, plan: Plan, t: ExperimentTracker, startedAt: number, now: number, previous: Record<string, number>, srmAlpha: number): Look {
  const names = plan.arms;
  const tau = plan.tau ?? plan.mde;
  const analyse = (metric: string, kind: 'binary' | 'continuous', prev: (number | undefined)[] = []) =>
    analyseMetric(names, names.map((_, i) => t.values(i, metric, kind === 'binary')), metric === plan.metric ? { kind, alpha: plan.alpha, tau, minUnits: plan.min_units } : { kind, alpha: plan.alpha, tau: GUARDRAIL_TAU_SD, tauInSd: true, minUnits: plan.min_units }, prev);
  const primary = analyse(plan.metric, plan.kind, names.map((n) => previous[n]));

  const metricNames = new Set<string>([plan.metric]);
  for (const a of t.arms) for (const m of a.metricNames()) metricNames.add(m);
  const arms: Record<string, ArmReport> = {};
  const traffic: ArmTraffic[] = [];
  t.arms.forEach((a, i) => {
    const metrics: Record<string, MetricSummary> = {};
    for (const m of metricNames) metrics[m] = a.summary(m);
    const p99 = a.latencyQuantile(0.99);
    arms[names[i]] = { units: a.unitCount, requests: a.requests, errors: a.errors, error_rate: a.requests ? a.errors / a.requests : null, latency_p99_ms: p99, metrics };
    traffic.push({ arm: names[i], requests: a.requests, errors: a.errors, p99, units: a.unitCount });
  });

  const units = t.arms.map((a) => a.unitCount);
  const control = t.arms[0].summary(plan.metric);
  const pooled = pooledSd(t.arms.map((a) => a.summary(plan.metric)));
  const planning = planExperiment(plan, { units, controlRate: control.conversion_rate, pooledSd: pooled }, startedAt, now);

  const srm = srmAlarm(units, plan.weights, { alpha: srmAlpha });
  const share: Record<string, number> = {};
  const wsum = plan.weights.reduce((s, w) => s + w, 0);
  names.forEach((n, i) => (share[n] = wsum ? plan.weights[i] / wsum : 0));

  const outcomeCmp = (metric: string, kind: 'binary' | 'continuous') => new Map<string, Comparison>(analyse(metric, kind).comparisons.map((c) => [c.arm, c]));
  const guardrails = checkGuardrails(plan.guardrails, traffic, outcomeCmp, plan.alpha);

  const always: Record<string, number> = {};
  for (const c of primary.comparisons) always[c.arm] = c.p_always_valid;
  const results: Results = {
    experiment_id: id,
    updated_at: now,
    primary: { metric: plan.metric, kind: plan.kind, ...primary },
    arms,
    planning,
    srm: { statistic: finite(srm.statistic), pvalue: finite(srm.pvalue), alarm: srm.alarm, units: Object.fromEntries(names.map((n, i) => [n, units[i]])), expected_share: share },
    guardrails,
    join: { ...t.counters, pending: t.pending },
    always_valid: always,
    min_runtime: minRuntime(plan, startedAt, now),
  };
  const breach = firstBreach(guardrails);
  const input: DecisionInput = { control: names[0], goal: plan.goal, alpha: plan.alpha, arms: names.length, comparisons: primary.comparisons, required: planning.units_per_arm, units, now, startedAt, minDays: plan.min_days ?? 0 };
  const verdict = breach ? undefined : decide(input);
  const pending = breach || verdict ? undefined : candidate(input);
  if (pending) results.min_runtime.pending = { decision: pending.decision, ...(pending.winner ? { winner: pending.winner } : {}), reason: pending.reason, always_valid_p: pending.always_valid_p };
  return { results, verdict, breach };
}

/** Plans stored before `min_days` existed were registered without a minimum: 0. */
export function minRuntime(plan: Pick<Plan, 'min_days'>, startedAt: number, now: number): MinRuntime {
  const min_days = plan.min_days ?? 0;
  const not_before = verdictNotBefore(startedAt, min_days);
  return { min_days, not_before, reached: now >= not_before };
}

function pooledSd(s: MetricSummary[]): number | null {
  let num = 0;
  let dof = 0;
  for (const a of s) {
    if (a.variance === null) continue;
    num += (a.units - 1) * a.variance;
    dof += a.units - 1;
  }
  return dof > 0 ? Math.sqrt(num / dof) : null;
}
