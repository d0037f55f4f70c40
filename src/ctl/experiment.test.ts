import { describe, expect, it } from 'vitest';
import { formatExperiment } from '../monitor/experiments/format.ts';
import { planSchema } from '../monitor/experiments/plan.ts';
import { experimentView } from '../monitor/experiments/view.ts';
import { planFromOptions } from './experiment.ts';

describe('planFromOptions', () => {
  it('builds a plan from flags, guardrails included', () => {
    const p = planFromOptions({ metric: 'converted', kind: 'binary', baselineRate: '0.10', mde: '0.02', arms: 'v1, v2', maxErrorRate: '0.05', maxP99Ms: '300', guardrail: ['refunds:increase:binary'], onGuardrail: 'zero_losing_arm' });
    expect(p).toEqual({
      metric: 'converted', kind: 'binary', baseline_rate: 0.1, mde: 0.02, arms: ['v1', 'v2'], on_guardrail: 'zero_losing_arm',
      guardrails: [{ metric: 'error_rate', max: 0.05 }, { metric: 'latency_p99', max_ms: 300 }, { metric: 'refunds', bad: 'increase', kind: 'binary' }],
    });
    expect(planSchema.safeParse(p).success).toBe(true);
  });

  it('takes --min-days (default 7 from the schema, 0 allowed, negative refused)', () => {
    expect(planFromOptions({ metric: 'c', mde: '0.02', minDays: '14' })).toMatchObject({ min_days: 14 });
    expect(planSchema.parse(planFromOptions({ metric: 'c', mde: '0.02' })).min_days).toBe(7);
    expect(planSchema.parse(planFromOptions({ metric: 'c', mde: '0.02', minDays: '0' })).min_days).toBe(0);
    expect(planSchema.safeParse(planFromOptions({ metric: 'c', mde: '0.02', minDays: '-1' })).success).toBe(false);
    expect(() => planFromOptions({ metric: 'c', mde: '0.02', minDays: 'a week' })).toThrow(/--min-days must be a number/);
  });

  it('reads a YAML or JSON file, flags overriding it, and explains bad input', () => {
    const file = 'metric: revenue\nkind: continuous\nmde: 0.5\nsd: 2\nguardrails: [{ metric: error_rate, max: 0.1 }]\n';
    expect(planFromOptions({ file: 'plan.yaml', mde: '0.25' }, () => file)).toMatchObject({ metric: 'revenue', mde: 0.25, sd: 2, guardrails: [{ metric: 'error_rate', max: 0.1 }] });
    expect(() => planFromOptions({ metric: 'c', mde: 'x' })).toThrow(/--mde must be a number/);
    expect(() => planFromOptions({ mde: '0.1' })).toThrow(/--metric/);
    expect(() => planFromOptions({ metric: 'c', mde: '0.1', guardrail: ['refunds:up'] })).toThrow(/METRIC:increase\|decrease/);
  });
});

describe('formatExperiment', () => {
  it('shows the plan, planning and the absence of results before the first look', () => {
    const plan = { ...planSchema.parse({ metric: 'converted', mde: 0.02, baseline_rate: 0.1 }), arms: ['v1', 'v2'], weights: [5000, 5000] };
    const text = formatExperiment(experimentView({ id: 'abc', route: 'fraud', plan, status: 'running', started_at: 0, started_by: 'alice' }, null, 1000));
    expect(text).toContain('route fraud: experiment abc running');
    expect(text).toContain('planning: 3841 units per arm (plan, baseline rate 0.1)');
    expect(text).toContain('no results yet');
    expect(text).toContain('minimum runtime 7 day(s): winner can be declared after 1970-01-08 00:00:00Z');
  });

  it('shows the verdict held by the minimum runtime', () => {
    const plan = { ...planSchema.parse({ metric: 'converted', mde: 0.02, baseline_rate: 0.1, min_days: 7 }), arms: ['v1', 'v2'], weights: [5000, 5000] };
    const S = Date.parse('2026-12-02T09:30:00Z');
    const doc = { id: 'abc', route: 'fraud', plan, status: 'running' as const, started_at: S, started_by: 'alice' };
    const pending = { min_days: 7, not_before: S + 7 * 86_400_000, reached: false, pending: { decision: 'winner' as const, winner: 'v2', reason: 'always_valid' as const, always_valid_p: 0.001 } };
    const results = { experiment_id: 'abc', planning: experimentView(doc, null, S).planning, always_valid: {}, min_runtime: pending } as never;
    const view = experimentView(doc, results, S + 86_400_000);
    expect(view.min_runtime).toEqual(pending);
    expect(formatExperiment({ ...view, results: null })).toContain('minimum runtime 7 day(s): winner can be declared after 2026-12-09 09:30:00Z; pending: v2 wins (always-valid p 0.001), held until then');
    // once the minimum has passed the view no longer shows a pending verdict
    expect(experimentView(doc, results, S + 8 * 86_400_000).min_runtime).toEqual({ min_days: 7, not_before: S + 7 * 86_400_000, reached: true });
  });
});
