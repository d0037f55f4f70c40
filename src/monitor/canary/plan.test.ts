import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../../config/schema.ts';
import { DEFAULT_CHECKS, fullWeight, parsePlan, weightsAt } from './plan.ts';

const route = (weights: Record<string, number>) => ({ variants: Object.entries(weights).map(([name, weight]) => ({ name, weight, backend: 'http://127.0.0.1:1', version: '' })) }) as unknown as RouteConfig;

describe('canary plan', () => {
  it('accepts the DESIGN.md example and fills defaults', () => {
    const r = parsePlan({ canary: 'v2', stable: 'v1', steps: [5, 25, 50, 100], step_min_ms: 60000, step_min_requests: 500, checks: { error_rate: { max: 0.02, max_relative: 2.0, action: 'rollback' }, latency_p99: { max_ms: 300, max_relative: 1.5, action: 'rollback' }, output_psi: { max: 0.2, action: 'hold' }, srm: { action: 'warn' } } }, route({ v1: 100, v2: 0 }));
    expect(r.ok).toBe(true);
    const d = parsePlan({ canary: 'v2', stable: 'v1', steps: [10, 100] }, route({ v1: 100, v2: 0 }));
    expect(d.ok && d.plan).toMatchObject({ step_min_ms: 60000, step_min_requests: 500, checks: DEFAULT_CHECKS });
  });

  it('reports every problem at once, with paths', () => {
    const r = parsePlan({ canary: 'v9', stable: 'v1', steps: [50, 25, 101], step_min_ms: -1, checks: { error_rate: { action: 'explode' }, nope: {} }, extra: 1 }, route({ v1: 100, v2: 0 }));
    expect(r.ok).toBe(false);
    const paths = !r.ok ? r.problems.map((p) => p.path) : [];
    expect(paths).toEqual(expect.arrayContaining(['canary', 'steps[1]', 'steps[2]', 'step_min_ms', 'checks.error_rate.action', 'checks.error_rate', 'checks.nope', 'extra']));
  });

  it('leaves variants outside the plan alone and caps the canary below them', () => {
    const r = route({ v1: 80, v2: 0, v3: 20 });
    expect(weightsAt(r, { canary: 'v2', stable: 'v1' }, 30)).toEqual({ v1: 50, v2: 30, v3: 20 });
    expect(fullWeight(r, { canary: 'v2', stable: 'v1' })).toBe(80);
    const bad = parsePlan({ canary: 'v2', stable: 'v1', steps: [50, 100] }, r);
    expect(!bad.ok && bad.problems[0]).toMatchObject({ path: 'steps[1]' });
  });
});
