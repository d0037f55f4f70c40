import { describe, expect, it } from 'vitest';
import type { Comparison } from './analysis.ts';
import { checkGuardrails, firstBreach, type ArmTraffic } from './guardrails.ts';
import { guardrailSchema } from './plan.ts';

const arm = (name: string, requests: number, errors: number, p99: number | null = 10, units = requests): ArmTraffic => ({ arm: name, requests, errors, p99, units });
const g = (x: Record<string, unknown>) => guardrailSchema.parse(x);
const noOutcomes = () => new Map<string, Comparison>();

describe('checkGuardrails', () => {
  it('error rate: absolute and relative ceilings, judged after min_samples', () => {
    const rules = [g({ metric: 'error_rate', max: 0.05, max_relative: 3 })];
    expect(checkGuardrails(rules, [arm('v1', 1000, 10), arm('v2', 1000, 40)], noOutcomes, 0.05)[0].status).toBe('breached'); // 4 % > 3 × 1 %
    expect(checkGuardrails(rules, [arm('v1', 1000, 20), arm('v2', 1000, 40)], noOutcomes, 0.05)[0].status).toBe('ok');
    expect(checkGuardrails(rules, [arm('v1', 1000, 20), arm('v2', 50, 40)], noOutcomes, 0.05)[0].status).toBe('insufficient_data');
    const s = checkGuardrails(rules, [arm('v1', 1000, 0), arm('v2', 1000, 60)], noOutcomes, 0.05);
    expect(firstBreach(s)).toMatchObject({ metric: 'error_rate', arm: 'v2', value: 0.06 });
  });

  it('p99 latency', () => {
    const rules = [g({ metric: 'latency_p99', max_ms: 300 })];
    expect(checkGuardrails(rules, [arm('v1', 500, 0, 100), arm('v2', 500, 0, 350)], noOutcomes, 0.05)[0].status).toBe('breached');
    expect(checkGuardrails(rules, [arm('v1', 500, 0, 100), arm('v2', 500, 0, 250)], noOutcomes, 0.05)[0].status).toBe('ok');
  });

  it('outcome metric: a significant move in the bad direction', () => {
    const rules = [g({ metric: 'refunds', kind: 'binary', bad: 'increase' })];
    const cmp = (difference: number, p: number) => () => new Map([['v2', { arm: 'v2', control: 'v1', difference, difference_ci: null, relative: null, p_fixed: p, p_always_valid: p, paired_units: 500 }]]);
    const traffic = [arm('v1', 500, 0), arm('v2', 500, 0)];
    expect(checkGuardrails(rules, traffic, cmp(0.02, 0.01), 0.05)[0].status).toBe('breached');
    expect(checkGuardrails(rules, traffic, cmp(-0.02, 0.01), 0.05)[0].status).toBe('ok');
    expect(checkGuardrails(rules, traffic, cmp(0.02, 0.2), 0.05)[0].status).toBe('ok');
  });

  it('rejects guardrails without limits or direction', () => {
    expect(guardrailSchema.safeParse({ metric: 'error_rate' }).success).toBe(false);
    expect(guardrailSchema.safeParse({ metric: 'refunds' }).success).toBe(false);
  });
});
