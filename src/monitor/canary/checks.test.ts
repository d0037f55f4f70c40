import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../predictions/schema.ts';
import { ArmWindow } from '../../analysis/arm-window.ts';
import { classifyOutcome } from '../../analysis/outcome.ts';
import { runChecks, type WindowSample } from './checks.ts';
import { parsePlan, type CanaryPlan } from './plan.ts';
import type { RouteConfig } from '../../config/schema.ts';

const entry = (o: Partial<LogEntry> & { out?: number }): LogEntry =>
  ({ id: '1-0', ts: 1, rid: 'r', variant: 'v', version: '', role: 'live', assign: 'hash', status: 200, error: undefined, latencyMs: 10, featuresJson: '', predictionJson: JSON.stringify([o.out ?? 0.5]), fields: {}, ...o }) as LogEntry;

function arm(n: number, f: (i: number) => Partial<LogEntry> & { out?: number }): ArmWindow {
  const a = new ArmWindow();
  for (let i = 0; i < n; i++) a.add(entry(f(i)));
  return a;
}

const route = { variants: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] } as unknown as RouteConfig;
const plan = (checks: unknown): CanaryPlan => {
  const r = parsePlan({ canary: 'v2', stable: 'v1', steps: [10, 100], checks }, route);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
};
const sample = (canary: ArmWindow, stable: ArmWindow): WindowSample => ({ canary, stable, assigned: { v1: 900, v2: 100 }, weights: { v1: 90, v2: 10 } });
const opts = { full: false, minRequests: 50, srmAlpha: 0.001 };

describe('canary checks', () => {
  it('never counts gateway-generated errors against a variant', () => {
    expect(classifyOutcome({ error: 'CLIENT_CLOSED_REQUEST', status: 499 })).toBe('excluded');
    expect(classifyOutcome({ error: 'OVER_CAPACITY', status: 503 })).toBe('excluded');
    expect(classifyOutcome({ error: 'PAYLOAD_TOO_LARGE', status: 413 })).toBe('excluded');
    expect(classifyOutcome({ error: 'UPSTREAM_TIMEOUT', status: 504 })).toBe('error');
    expect(classifyOutcome({ error: undefined, status: 500 })).toBe('error');
    expect(classifyOutcome({ error: undefined, status: 404 })).toBe('ok');
    const a = arm(100, (i) => (i % 2 ? { error: 'OVER_CAPACITY', status: 503 } : {}));
    expect([a.counted, a.errors, a.excluded]).toEqual([50, 0, 50]);
  });

  it('judges 5xx share absolutely and against stable, with a floor', () => {
    const p = plan({ error_rate: { max: 0.05, max_relative: 2 } });
    const bad = runChecks(p, sample(arm(100, (i) => (i % 5 === 0 ? { status: 500 } : {})), arm(900, () => ({}))), opts);
    expect(bad[0]).toMatchObject({ check: 'error_rate', status: 'breach', action: 'rollback' });
    // 1 % vs 0 %: under the absolute limit and the relative limit (stable floor 1 %)
    const ok = runChecks(p, sample(arm(100, (i) => (i === 0 ? { status: 502 } : {})), arm(900, () => ({}))), opts);
    expect(ok[0].status).toBe('pass');
  });

  it('judges p99 latency against stable; at 100 % only the absolute limit', () => {
    const p = plan({ latency_p99: { max_ms: 500, max_relative: 1.5 } });
    const slow = runChecks(p, sample(arm(100, () => ({ latencyMs: 90 })), arm(900, () => ({ latencyMs: 30 }))), opts);
    expect(runChecks(p, sample(arm(99, () => ({ latencyMs: 90 })), arm(900, () => ({ latencyMs: 30 }))), opts)[0].status).toBe('insufficient_data');
    expect(slow[0]).toMatchObject({ status: 'breach', value: 3 });
    const full = runChecks(p, sample(arm(100, () => ({ latencyMs: 90 })), new ArmWindow()), { ...opts, full: true });
    expect(full[0]).toMatchObject({ status: 'pass', limit: 500 });
  });

  it('says insufficient_data, not pass or breach, with too few requests', () => {
    const p = plan({ error_rate: { max: 0.05, max_relative: 2 }, latency_p99: { max_relative: 1.5 } });
    const r = runChecks(p, sample(arm(10, () => ({ status: 500 })), arm(900, () => ({}))), opts);
    expect(r.map((x) => x.status)).toEqual(['insufficient_data', 'insufficient_data']);
  });

  it('compares canary outputs with stable outputs of the same window (PSI)', () => {
    const p = plan({ output_psi: { max: 0.2, action: 'hold' } });
    const same = runChecks(p, sample(arm(500, (i) => ({ out: (i % 100) / 100 })), arm(500, (i) => ({ out: ((i + 7) % 100) / 100 }))), opts);
    expect(same[0].status).toBe('pass');
    const shifted = runChecks(p, sample(arm(500, (i) => ({ out: 0.5 + (i % 100) / 200 })), arm(500, (i) => ({ out: (i % 100) / 100 }))), opts);
    expect(shifted[0]).toMatchObject({ status: 'breach', action: 'hold' });
  });

  it('raises SRM when assignment counts do not match the weights', () => {
    const p = plan({ srm: { action: 'hold' } });
    const s = { ...sample(new ArmWindow(), new ArmWindow()), assigned: { v1: 800, v2: 200 } };
    expect(runChecks(p, s, opts)[0]).toMatchObject({ check: 'srm', status: 'breach' });
    expect(runChecks(p, sample(new ArmWindow(), new ArmWindow()), opts)[0].status).toBe('pass');
  });
});

describe('canary quality checks (delayed labels)', () => {
  const w = (start: number, labels: number, auc: number | null, log_loss: number | null) => ({ start, end: start + 1000, labels, overflow: 0, auc, log_loss });
  const withQuality = (canary: ReturnType<typeof w>[], stable: ReturnType<typeof w>[], since = 0): WindowSample => ({ ...sample(new ArmWindow(), new ArmWindow()), quality: { canary, stable, since } });

  it('auc_drop compares the newest window of the step where both have enough labels', () => {
    const p = plan({ auc_drop: { max: 0.02, min_labels: 100 } });
    // window 2000: canary has too few labels yet; window 1000 is the newest comparable one
    const s = withQuality([w(0, 500, 0.9, 0.3), w(1000, 300, 0.85, 0.4), w(2000, 20, 0.5, 0.9)], [w(0, 500, 0.9, 0.3), w(1000, 900, 0.88, 0.35), w(2000, 400, 0.9, 0.3)]);
    const [r] = runChecks(p, s, opts);
    expect(r).toMatchObject({ check: 'auc_drop', status: 'breach', value: 0.03, limit: 0.02, action: 'rollback' });
    expect(runChecks(plan({ auc_drop: { max: 0.05 } }), s, opts)[0].status).toBe('pass');
    // windows that ended before the step started do not count
    expect(runChecks(p, withQuality([w(0, 500, 0.5, 1)], [w(0, 500, 0.9, 0.3)], 1000), opts)[0]).toMatchObject({ status: 'insufficient_data' });
    expect(runChecks(p, withQuality([w(0, 500, null, 1)], [w(0, 500, 0.9, 0.3)]), opts)[0].status).toBe('insufficient_data');
    expect(runChecks(p, { ...sample(new ArmWindow(), new ArmWindow()) }, opts)[0].status).toBe('insufficient_data');
    expect(runChecks(p, s, { ...opts, full: true })[0].status).toBe('skipped');
  });

  it('log_loss_increase holds canary minus stable and their ratio to limits', () => {
    const s = withQuality([w(0, 200, 0.8, 0.5)], [w(0, 200, 0.8, 0.4)]);
    expect(runChecks(plan({ log_loss_increase: { max: 0.05 } }), s, opts)[0]).toMatchObject({ status: 'breach', value: 0.1 });
    expect(runChecks(plan({ log_loss_increase: { max: 0.2 } }), s, opts)[0].status).toBe('pass');
    expect(runChecks(plan({ log_loss_increase: { max_relative: 1.2 } }), s, opts)[0]).toMatchObject({ status: 'breach', value: 1.25 });
    expect(runChecks(plan({ log_loss_increase: { max: 0.2, max_relative: 1.3 } }), s, opts)[0].status).toBe('pass');
  });

  it('validates the settings', () => {
    const bad = parsePlan({ canary: 'v2', stable: 'v1', steps: [10], checks: { auc_drop: { min_labels: 1.5 }, log_loss_increase: {} } }, route);
    expect(bad.ok ? [] : bad.problems.map((x) => x.path)).toEqual(['checks.auc_drop.min_labels', 'checks.auc_drop.max', 'checks.log_loss_increase']);
  });
});
