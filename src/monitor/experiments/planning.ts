/**
 * Sample-size planning (pure). Units per arm for the primary metric, two-sided at alpha split
 * over the treatment arms (Bonferroni: alpha / (arms - 1)):
 *   binary      sampleSizeTwoProportions(p, p ± mde, alpha, power), p = baseline_rate, else the
 *               control's observed rate once it has min_units units;
 *   continuous  n = 2·(z_{1-α/2} + z_{power})²·sd² / mde², sd = the plan's, else the pooled sd
 *               observed so far (min_units units per arm).
 * Expected duration: the slowest arm's remaining units at its rate of new units since start.
 */
import { normalQuantile, sampleSizeTwoProportions } from '../../stats/index.ts';
import type { Plan } from './plan.ts';

export interface Observed {
  /** units per arm so far */
  units: number[];
  /** the control arm's conversion rate (binary) */
  controlRate: number | null;
  /** pooled standard deviation of the primary metric across arms (continuous) */
  pooledSd: number | null;
}

export interface Planning {
  units_per_arm: number | null;
  /** where the variance came from: `plan` or `observed` (null: not known yet) */
  basis: 'plan' | 'observed' | null;
  baseline_rate?: number;
  sd?: number;
  alpha_per_comparison: number;
  power: number;
  progress: number | null;
  remaining_units: number | null;
  expected_remaining_ms: number | null;
  expected_end_at: number | null;
  note?: string;
}

export const perComparisonAlpha = (plan: Pick<Plan, 'alpha' | 'arms'>): number => plan.alpha / Math.max(1, plan.arms.length - 1);

export function requiredUnits(plan: Plan, obs: Observed): Pick<Planning, 'units_per_arm' | 'basis' | 'baseline_rate' | 'sd' | 'note'> {
  const alpha = perComparisonAlpha(plan);
  if (plan.kind === 'binary') {
    const enough = (obs.units[0] ?? 0) >= plan.min_units && obs.controlRate !== null && obs.controlRate > 0 && obs.controlRate < 1;
    const p1 = plan.baseline_rate ?? (enough ? (obs.controlRate as number) : undefined);
    if (p1 === undefined) return { units_per_arm: null, basis: null, note: `give baseline_rate, or wait for ${plan.min_units} control units` };
    let p2 = plan.goal === 'increase' ? p1 + plan.mde : p1 - plan.mde;
    if (!(p2 > 0 && p2 < 1)) p2 = plan.goal === 'increase' ? p1 - plan.mde : p1 + plan.mde;
    if (!(p2 > 0 && p2 < 1)) return { units_per_arm: null, basis: null, note: 'baseline rate ± mde leaves (0, 1)' };
    return { units_per_arm: sampleSizeTwoProportions(p1, p2, alpha, plan.power), basis: plan.baseline_rate !== undefined ? 'plan' : 'observed', baseline_rate: p1 };
  }
  const enough = obs.units.every((n) => n >= plan.min_units) && obs.pooledSd !== null && obs.pooledSd > 0;
  const sd = plan.sd ?? (enough ? (obs.pooledSd as number) : undefined);
  if (sd === undefined) return { units_per_arm: null, basis: null, note: `give sd, or wait for ${plan.min_units} units per arm` };
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(plan.power);
  return { units_per_arm: Math.ceil((2 * z * z * sd * sd) / (plan.mde * plan.mde)), basis: plan.sd !== undefined ? 'plan' : 'observed', sd };
}

export function planExperiment(plan: Plan, obs: Observed, startedAt: number, now: number): Planning {
  const req = requiredUnits(plan, obs);
  const base: Planning = { ...req, alpha_per_comparison: perComparisonAlpha(plan), power: plan.power, progress: null, remaining_units: null, expected_remaining_ms: null, expected_end_at: null };
  const n = req.units_per_arm;
  if (n === null || obs.units.length === 0) return base;
  const least = Math.min(...obs.units);
  base.progress = Math.min(1, least / n);
  base.remaining_units = obs.units.reduce((s, u) => s + Math.max(0, n - u), 0);
  const elapsed = now - startedAt;
  if (elapsed <= 0) return base;
  let slowest = 0;
  for (const u of obs.units) {
    if (u >= n) continue;
    if (u === 0) return base; // no traffic on an arm yet: no estimate
    slowest = Math.max(slowest, ((n - u) * elapsed) / u);
  }
  base.expected_remaining_ms = Math.round(slowest);
  base.expected_end_at = now + base.expected_remaining_ms;
  return base;
}
