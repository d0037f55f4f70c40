/**
 * Guardrail checks (pure), each treatment arm against its limits and the control arm:
 *   error_rate   errors / requests (analysis/outcome.ts: UPSTREAM_* codes and backend 5xx) > max, or > max_relative × control
 *   latency_p99  p99 of recent latencies > max_ms, or > max_relative × control's p99
 *   <outcome>    the metric moved in its `bad` direction with an always-valid p-value below the
 *                plan's alpha (sequential, so checking it on every look is safe)
 * An arm is judged once it has `min_samples` requests (outcome metrics: units).
 */
import type { Comparison } from './analysis.ts';
import type { Guardrail, GuardrailBreach } from './plan.ts';

export interface ArmTraffic {
  arm: string;
  requests: number;
  errors: number;
  p99: number | null;
  units: number;
}

export interface GuardrailStatus {
  metric: string;
  arm: string;
  status: 'ok' | 'breached' | 'insufficient_data';
  value: number | null;
  control: number | null;
  limit: string;
}

/** The comparison of an outcome guardrail's metric for each treatment arm (by arm name). */
export type OutcomeComparisons = (metric: string, kind: 'binary' | 'continuous') => Map<string, Comparison>;

function ceiling(abs: number | undefined, rel: number | undefined, control: number | null): { limit: number; text: string } {
  const parts: string[] = [];
  let limit = Infinity;
  if (abs !== undefined) {
    limit = abs;
    parts.push(`max ${abs}`);
  }
  if (rel !== undefined && control !== null) {
    const r = rel * control;
    if (r < limit) limit = r;
    parts.push(`${rel}× control (${+r.toPrecision(4)})`);
  }
  return { limit, text: parts.join(', ') || 'none' };
}

export function checkGuardrails(guardrails: readonly Guardrail[], traffic: readonly ArmTraffic[], outcomes: OutcomeComparisons, alpha: number): GuardrailStatus[] {
  const out: GuardrailStatus[] = [];
  const control = traffic[0];
  for (const g of guardrails) {
    const byArm = g.metric === 'error_rate' || g.metric === 'latency_p99' ? undefined : outcomes(g.metric, g.kind ?? 'continuous');
    for (const t of traffic.slice(1)) {
      if (g.metric === 'error_rate' || g.metric === 'latency_p99') {
        const isErr = g.metric === 'error_rate';
        const value = isErr ? (t.requests ? t.errors / t.requests : null) : t.p99;
        const base = isErr ? (control.requests ? control.errors / control.requests : null) : control.p99;
        // a control with no errors still allows a little: the relative limit uses at least 0.1 %
        const { limit, text } = ceiling(isErr ? g.max : g.max_ms, g.max_relative, base === null ? null : isErr ? Math.max(base, 0.001) : base);
        const enough = t.requests >= g.min_samples && (g.max_relative === undefined || control.requests >= g.min_samples || (isErr ? g.max : g.max_ms) !== undefined);
        out.push({ metric: g.metric, arm: t.arm, value, control: base, limit: text, status: !enough || value === null ? 'insufficient_data' : value > limit ? 'breached' : 'ok' });
        continue;
      }
      const cmp = byArm?.get(t.arm);
      const d = cmp?.difference ?? null;
      const enough = t.units >= g.min_samples && control.units >= g.min_samples && d !== null;
      const harmful = d !== null && (g.bad === 'increase' ? d > 0 : d < 0);
      const breached = enough && harmful && (cmp?.p_always_valid ?? 1) < alpha;
      out.push({ metric: g.metric, arm: t.arm, value: d, control: null, limit: `no significant ${g.bad} (always-valid p < ${alpha})`, status: !enough ? 'insufficient_data' : breached ? 'breached' : 'ok' });
    }
  }
  return out;
}

/** The first breach, if any. */
export function firstBreach(statuses: readonly GuardrailStatus[]): GuardrailBreach | undefined {
  const b = statuses.find((s) => s.status === 'breached');
  return b ? { metric: b.metric, arm: b.arm, value: b.value ?? NaN, limit: b.limit } : undefined;
}
