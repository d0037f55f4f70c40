import { describe, expect, it } from 'vitest';
import { sampleSizeTwoProportions } from '../../stats/index.ts';
import { planSchema, type Plan } from './plan.ts';
import { planExperiment, requiredUnits } from './planning.ts';

const plan = (p: Record<string, unknown>, arms = ['v1', 'v2']): Plan => ({ ...planSchema.parse(p), arms, weights: arms.map(() => 10_000 / arms.length) });
const none = { units: [0, 0], controlRate: null, pooledSd: null };

describe('planning', () => {
  it('binary: the pooled two-proportion formula at baseline and baseline + mde', () => {
    const r = requiredUnits(plan({ metric: 'c', mde: 0.02, baseline_rate: 0.1 }), none);
    expect(r.units_per_arm).toBe(sampleSizeTwoProportions(0.1, 0.12, 0.05, 0.8));
    expect(r.units_per_arm).toBe(3841);
    // three arms: alpha is split over the two comparisons
    expect(requiredUnits(plan({ metric: 'c', mde: 0.02, baseline_rate: 0.1 }, ['a', 'b', 'c']), { ...none, units: [0, 0, 0] }).units_per_arm).toBe(sampleSizeTwoProportions(0.1, 0.12, 0.025, 0.8));
    // a decrease goal plans for baseline - mde
    expect(requiredUnits(plan({ metric: 'c', mde: 0.02, baseline_rate: 0.1, goal: 'decrease' }), none).units_per_arm).toBe(sampleSizeTwoProportions(0.1, 0.08));
  });

  it('binary without a baseline uses the control rate once it has min_units', () => {
    const p = plan({ metric: 'c', mde: 0.05 });
    expect(requiredUnits(p, { units: [50, 50], controlRate: 0.2, pooledSd: null }).units_per_arm).toBeNull();
    expect(requiredUnits(p, { units: [100, 90], controlRate: 0.2, pooledSd: null })).toMatchObject({ units_per_arm: sampleSizeTwoProportions(0.2, 0.25), basis: 'observed' });
  });

  it('continuous: 2(z_{1-α/2}+z_power)²σ²/mde² (scipy reference: 252 for σ=2, mde=0.5)', () => {
    expect(requiredUnits(plan({ metric: 'rev', kind: 'continuous', mde: 0.5, sd: 2 }), none).units_per_arm).toBe(252);
    expect(requiredUnits(plan({ metric: 'rev', kind: 'continuous', mde: 0.5 }), { units: [200, 200], controlRate: null, pooledSd: 2 })).toMatchObject({ units_per_arm: 252, basis: 'observed' });
  });

  it('expected duration: the slowest arm at its rate since start', () => {
    const p = plan({ metric: 'c', mde: 0.02, baseline_rate: 0.1 });
    const r = planExperiment(p, { units: [1000, 500], controlRate: 0.1, pooledSd: null }, 0, 60_000);
    expect(r.progress).toBeCloseTo(500 / 3841, 12);
    expect(r.remaining_units).toBe(2841 + 3341);
    expect(r.expected_remaining_ms).toBe(Math.round((3341 * 60_000) / 500));
    expect(planExperiment(p, { units: [10, 0], controlRate: null, pooledSd: null }, 0, 1000).expected_remaining_ms).toBeNull();
  });
});
