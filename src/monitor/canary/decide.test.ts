import { describe, expect, it } from 'vitest';
import type { CheckResult } from './checks.ts';
import { applyDecision, decide } from './decide.ts';
import { parsePlan } from './plan.ts';
import type { RouteConfig } from '../../config/schema.ts';
import { manual, startDoc } from './state.ts';
import { CanaryConflict } from '../../errors.ts';

const route = { variants: [{ name: 'v1', weight: 100 }, { name: 'v2', weight: 0 }] } as unknown as RouteConfig;
const p = parsePlan({ canary: 'v2', stable: 'v1', steps: [5, 50, 100], step_min_ms: 1000, step_min_requests: 100 }, route);
if (!p.ok) throw new Error('plan');
const plan = p.plan;
const res = (check: string, status: CheckResult['status'], action: CheckResult['action'] = 'rollback'): CheckResult => ({ check, action, status, detail: `${check} ${status}` });
const pass = [res('error_rate', 'pass'), res('latency_p99', 'pass')];

describe('canary decision', () => {
  const doc = { ...startDoc('fraud', plan, 'alice', 0), config_version: 2 };

  it('advances only after step_min_ms and step_min_requests with passing checks', () => {
    expect(decide({ doc, results: pass, stepRequests: 500, now: 999 }).kind).toBe('wait');
    expect(decide({ doc, results: pass, stepRequests: 99, now: 5000 }).kind).toBe('wait');
    expect(decide({ doc, results: pass, stepRequests: 100, now: 1000 }).kind).toBe('advance');
    expect(decide({ doc: { ...doc, step: 2 }, results: pass, stepRequests: 100, now: 1000 }).kind).toBe('promote');
  });

  it('holds on insufficient data, never advancing or rolling back', () => {
    const r = decide({ doc, results: [res('error_rate', 'insufficient_data'), res('srm', 'insufficient_data', 'warn')], stepRequests: 10_000, now: 10_000 });
    expect(r).toMatchObject({ kind: 'hold', reason: 'insufficient_data' });
    // a warn-only check with too little data does not hold
    expect(decide({ doc, results: [res('srm', 'insufficient_data', 'warn'), ...pass], stepRequests: 100, now: 1000 }).kind).toBe('advance');
  });

  it('rolls back on the second breaching window, holds on the first', () => {
    const first = decide({ doc, results: [res('error_rate', 'breach')], stepRequests: 100, now: 2000 });
    expect(first).toMatchObject({ kind: 'hold', breach: 'error_rate' });
    const held = applyDecision(doc, first, 100, 100, null, 2000);
    expect(held.state).toBe('holding');
    const second = decide({ doc: held, results: [res('error_rate', 'breach')], stepRequests: 150, now: 3000 });
    expect(second.kind).toBe('rollback');
    const rolled = applyDecision(held, second, 100, 150, null, 3000);
    expect(rolled).toMatchObject({ state: 'rolled_back', weight: 0, config_version: null });
    expect(rolled.reason).toMatch(/^error_rate/);
    // a passing window in between clears the pending breach
    const cleared = applyDecision(held, decide({ doc: held, results: pass, stepRequests: 150, now: 1500 }), 100, 150, null, 1500);
    expect(cleared.breach).toBeNull();
  });

  it('treats hold and warn actions as such', () => {
    expect(decide({ doc, results: [res('output_psi', 'breach', 'hold'), ...pass], stepRequests: 100, now: 1000 })).toMatchObject({ kind: 'hold' });
    const w = decide({ doc, results: [res('srm', 'breach', 'warn'), ...pass], stepRequests: 100, now: 1000 });
    expect(w.kind).toBe('advance');
    expect(w.warnings.map((x) => x.check)).toEqual(['srm']);
  });

  it('advancing moves the weight and restarts the step', () => {
    const next = applyDecision(doc, decide({ doc, results: pass, stepRequests: 100, now: 1000 }), 100, 100, null, 1000);
    expect(next).toMatchObject({ state: 'progressing', step: 1, weight: 50, step_started_at: 1000, step_requests: 0, config_version: null });
    expect(next.history.at(-1)).toMatchObject({ from: 'progressing', to: 'progressing', step: 1, by: 'canary' });
  });

  it('manual control: pause, resume, promote, abort; terminal plans refuse', () => {
    const paused = manual(doc, 'pause', 'alice', 10, 100);
    expect(paused.state).toBe('paused');
    expect(() => manual(paused, 'pause', 'alice', 11, 100)).toThrow(CanaryConflict);
    expect(manual(paused, 'resume', 'alice', 12, 100)).toMatchObject({ state: 'progressing', step_started_at: 12 });
    expect(manual(doc, 'promote', 'bob', 13, 100)).toMatchObject({ state: 'promoted', weight: 100 });
    const aborted = manual(doc, 'abort', 'bob', 14, 100);
    expect(aborted).toMatchObject({ state: 'aborted', weight: 0 });
    expect(() => manual(aborted, 'resume', 'bob', 15, 100)).toThrow(/aborted/);
  });
});
