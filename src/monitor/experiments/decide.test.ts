/**
 * The verdict rule, and its error rates over seeded simulations through the whole pure path
 * (tracker -> evaluate -> decide), looking after every 100 units as an impatient analyst would.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../runtime/synthetic.ts';
import type { Comparison } from './analysis.ts';
import { decide } from './decide.ts';
import { evaluate } from './evaluate.ts';
import { planSchema, type Plan, type Verdict } from './plan.ts';
import { ExperimentTracker } from './tracker.ts';

const cmp = (arm: string, difference: number, p: number): Comparison => ({ arm, control: 'v1', difference, difference_ci: null, relative: null, p_fixed: p, p_always_valid: p, paired_units: 100 });
const base = { control: 'v1', goal: 'increase' as const, alpha: 0.05, arms: 2, required: 1000, units: [10, 10], now: 5 };

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

/** One simulated experiment: units arrive 50/50, convert at their arm's rate, report at once. */
function run(seed: number, rates: [number, number], peekEvery = 100): Verdict | undefined {
  const plan: Plan = { ...planSchema.parse({ metric: 'converted', kind: 'binary', mde: 0.02, baseline_rate: 0.1 }), arms: ['v1', 'v2'], weights: [5000, 5000] };
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
