/**
 * The verdict rule, and its error rates over seeded simulations through the whole pure path
 * (tracker -> evaluate -> decide), looking after every 100 units as an impatient analyst would.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../runtime/synthetic.ts';
import type { Comparison } from './analysis.ts';
import { candidate, DAY_MS, decide, verdictNotBefore } from './decide.ts';
import { evaluate } from './evaluate.ts';
import { planSchema, type Plan, type Verdict } from './plan.ts';
import { ExperimentTracker } from './tracker.ts';

const cmp = (arm: string, difference: number, p: number): Comparison => ({ arm, control: 'v1', difference, difference_ci: null, relative: null, p_fixed: p, p_always_valid: p, paired_units: 100 });
const base = { control: 'v1', goal: 'increase' as const, alpha: 0.05, arms: 2, required: 1000, units: [10, 10], now: 5, startedAt: 0, minDays: 0 };

describe('decide', () => {
  it('names the better arm once the always-valid p crosses alpha, and only then', () => {
    expect(decide({ ...base, comparisons: [cmp('v2', 0.02, 0.06)] })).toBeUndefined();
    expect(decide({ ...base, comparisons: [cmp('v2', 0.02, 0.04)] })).toMatchObject({ decision: 'winner', winner: 'v2', reason: 'always_valid' });
    expect(decide({ ...base, comparisons: [cmp('v2', -0.02, 0.04)] })).toMatchObject({ decision: 'winner', winner: 'v1' });
    expect(decide({ ...base, goal: 'decrease', comparisons: [cmp('v2', -0.02, 0.04)] })).toMatchObject({ winner: 'v2' });
  });

  it('is inconclusive at the planned sample without a crossing; no verdict while the plan is unknown', () => {
    expect(decide({ ...base, units: [1000, 999], comparisons: [cmp('v2', 0.02, 0.2)] })).toBeUndefined();
    expect(decide({ ...base, units: [1000, 1000], comparisons: [cmp('v2', 0.02, 0.2)] })).toMatchObject({ decision: 'inconclusive', reason: 'planned_sample' });
    expect(decide({ ...base, required: null, units: [1e6, 1e6], comparisons: [cmp('v2', 0.02, 0.2)] })).toBeUndefined();
  });

  it('splits alpha over treatments and picks the best significant one', () => {
    const three = { ...base, arms: 3, units: [10, 10, 10] };
    expect(decide({ ...three, comparisons: [cmp('v2', 0.02, 0.03), cmp('v3', 0.03, 0.2)] })).toBeUndefined();
    expect(decide({ ...three, comparisons: [cmp('v2', 0.02, 0.01), cmp('v3', 0.03, 0.02)] })).toMatchObject({ winner: 'v3' });
  });
});

describe('minimum runtime (min_days), on an injected clock', () => {
  const S = Date.parse('2026-12-02T09:30:00Z');
  const week = { ...base, startedAt: S, minDays: 7, comparisons: [cmp('v2', 0.05, 0.001)] };

  it('declares no winner before min_days have passed since the start, and does at that moment', () => {
    expect(verdictNotBefore(S, 7)).toBe(Date.parse('2026-12-09T09:30:00Z'));
    expect(decide({ ...week, now: S })).toBeUndefined();
    expect(decide({ ...week, now: S + 7 * DAY_MS - 1 })).toBeUndefined();
    expect(decide({ ...week, now: S + 7 * DAY_MS })).toMatchObject({ decision: 'winner', winner: 'v2', at: S + 7 * DAY_MS });
    // what the rule gives already, shown as pending
    expect(candidate({ ...week, now: S + DAY_MS })).toMatchObject({ decision: 'winner', winner: 'v2' });
  });

  it('holds an inconclusive end at the planned sample too; fractional days and 0 work', () => {
    const reached = { ...week, units: [1000, 1000], comparisons: [cmp('v2', 0.01, 0.3)] };
    expect(decide({ ...reached, now: S + 6 * DAY_MS })).toBeUndefined();
    expect(decide({ ...reached, now: S + 7 * DAY_MS })).toMatchObject({ decision: 'inconclusive' });
    expect(decide({ ...week, minDays: 0.5, now: S + 12 * 3_600_000 - 1 })).toBeUndefined();
    expect(decide({ ...week, minDays: 0.5, now: S + 12 * 3_600_000 })).toMatchObject({ winner: 'v2' });
    expect(decide({ ...week, minDays: 0, now: S })).toMatchObject({ winner: 'v2' });
  });

  it('through evaluate: a clear winner on day 1 stays pending until day 7; a guardrail breach stops on day 0', () => {
    const plan: Plan = { ...planSchema.parse({ metric: 'converted', mde: 0.02, baseline_rate: 0.1, guardrails: [{ metric: 'error_rate', max: 0.05 }] }), arms: ['v1', 'v2'], weights: [5000, 5000] };
    expect(plan.min_days).toBe(7);
    const rand = mulberry32(77);
    const t = new ExperimentTracker(plan.arms, 100_000);
    let previous: Record<string, number> = {};
    let firstPending: number | undefined;
    let verdict: Verdict | undefined;
    // 14 days of traffic, one unit every 2 minutes; 10 % vs 30 % conversion
    for (let i = 1; i <= 14 * 720 && !verdict; i++) {
      const now = S + i * 120_000;
      const arm = rand() < 0.5 ? 0 : 1;
      t.expose({ rid: `r${i}`, unit: `u${i}`, variant: plan.arms[arm], assign: 'hash', ts: now, status: 200, error: undefined, latencyMs: 1 });
      if (rand() < (arm ? 0.3 : 0.1)) t.outcome({ rid: `r${i}`, metric: 'converted', value: 1 }, now);
      if (i % 100) continue;
      const look = evaluate('x', plan, t, S, now, previous, 0.001);
      previous = look.results.always_valid;
      expect(look.breach).toBeUndefined();
      expect(look.results.min_runtime).toMatchObject({ min_days: 7, not_before: S + 7 * DAY_MS, reached: now >= S + 7 * DAY_MS });
      if (look.results.min_runtime.pending && firstPending === undefined) firstPending = now;
      if (look.verdict) expect(look.results.min_runtime.pending).toBeUndefined();
      verdict = look.verdict;
    }
    expect(firstPending).toBeDefined();
    expect(firstPending!).toBeLessThan(S + DAY_MS);
    expect(verdict).toMatchObject({ decision: 'winner', winner: 'v2' });
    // declared at the first look (every 100 units = 200 min) at or after day 7
    expect(verdict!.at).toBeGreaterThanOrEqual(S + 7 * DAY_MS);
    expect(verdict!.at).toBeLessThan(S + 7 * DAY_MS + 200 * 60_000);

    const bad = new ExperimentTracker(plan.arms, 100_000);
    for (let i = 1; i <= 400; i++) bad.expose({ rid: `b${i}`, unit: `b${i}`, variant: plan.arms[i % 2], assign: 'hash', ts: S + i, status: i % 2 && i % 4 === 1 ? 500 : 200, error: undefined, latencyMs: 1 });
    const look = evaluate('y', plan, bad, S, S + 1000, {}, 0.001);
    expect(look.breach).toMatchObject({ metric: 'error_rate', arm: 'v2' });
    expect(look.verdict).toBeUndefined();
  });
});

/** One simulated experiment: units arrive 50/50, convert at their arm's rate, report at once. */
function run(seed: number, rates: [number, number], peekEvery = 100): Verdict | undefined {
  const plan: Plan = { ...planSchema.parse({ metric: 'converted', kind: 'binary', mde: 0.02, baseline_rate: 0.1, min_days: 0 }), arms: ['v1', 'v2'], weights: [5000, 5000] };
  const rand = mulberry32(seed);
  const t = new ExperimentTracker(plan.arms, 100_000);
  let previous: Record<string, number> = {};
  for (let i = 1; i <= 20_000; i++) {
    const arm = rand() < 0.5 ? 0 : 1;
    t.expose({ rid: `r${i}`, unit: `u${i}`, variant: plan.arms[arm], assign: 'hash', ts: i, status: 200, latencyMs: 1 });
    if (rand() < rates[arm]) t.outcome({ rid: `r${i}`, metric: 'converted', value: 1 }, i);
    if (i % peekEvery) continue;
    const look = evaluate('x', plan, t, 0, i, previous, 0.001);
    previous = look.results.always_valid;
    if (look.verdict) return look.verdict;
  }
  return undefined;
}

describe('verdicts over many peeks (40 seeded runs each)', () => {
  it('equal rates: no false winner in at least 95 % of runs (mSPRT bounds it by alpha)', () => {
    const verdicts = Array.from({ length: 40 }, (_, s) => run(1000 + s, [0.1, 0.1]));
    const false_ = verdicts.filter((v) => v?.decision === 'winner').length;
    expect(false_).toBeLessThanOrEqual(2);
    // every run ended at the planned sample (3841 per arm) as inconclusive, or earlier with a (false) winner
    expect(verdicts.every((v) => v !== undefined)).toBe(true);
  });

  it('10 % vs 12 %: never the wrong arm, and the right one in most runs before the planned sample', () => {
    const verdicts = Array.from({ length: 40 }, (_, s) => run(2000 + s, [0.1, 0.12]));
    expect(verdicts.filter((v) => v?.winner === 'v1')).toHaveLength(0);
    // mSPRT power at the fixed-horizon sample is about 50 % (simulated); 12 of 40 is far below it
    expect(verdicts.filter((v) => v?.winner === 'v2').length).toBeGreaterThanOrEqual(12);
  });
});
