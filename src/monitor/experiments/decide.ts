/**
 * The verdict rule (pure). A verdict is given only
 *   - when an always-valid p-value (mSPRT) of a treatment against control is below
 *     alpha / (arms - 1): the winner is the better arm of that comparison (with several
 *     significant comparisons, the treatment with the best estimate, else the control); or
 *   - when every arm has reached the planned units: the same rule, and `inconclusive` if no
 *     comparison is significant.
 * Neither is declared before the plan's pre-registered minimum runtime (`min_days` after the
 * start): the rule is simply not applied earlier, so a crossing before then is declared at the
 * first look after it (the always-valid p-value stays valid at any stopping time, this one
 * too). Guardrails are judged elsewhere and stop at once.
 * The decision always rests on the always-valid p-value, so looking at results any number of
 * times keeps the false-positive rate at most alpha. The fixed-horizon p-value is reported
 * beside it, for reference: it is only valid read once, at the planned sample.
 */
import type { Comparison } from './analysis.ts';
import type { Verdict } from './plan.ts';

export interface DecisionInput {
  control: string;
  goal: 'increase' | 'decrease';
  alpha: number;
  arms: number;
  comparisons: readonly Comparison[];
  /** units per arm the plan needs, or null while unknown */
  required: number | null;
  units: readonly number[];
  now: number;
  /** the experiment's start and its pre-registered minimum runtime in days */
  startedAt: number;
  minDays: number;
}

export const DAY_MS = 86_400_000;

/** The first moment a verdict may be declared. */
export const verdictNotBefore = (startedAt: number, minDays: number): number => startedAt + Math.round(minDays * DAY_MS);

/** The verdict, once the minimum runtime has passed. */
export function decide(x: DecisionInput): Verdict | undefined {
  return x.now < verdictNotBefore(x.startedAt, x.minDays) ? undefined : candidate(x);
}

/** The verdict the rule gives now, ignoring the minimum runtime (shown as pending before it). */
export function candidate(x: DecisionInput): Verdict | undefined {
  const alphaEach = x.alpha / Math.max(1, x.arms - 1);
  const sign = x.goal === 'increase' ? 1 : -1;
  const significant = x.comparisons.filter((c) => c.difference !== null && c.p_always_valid < alphaEach);
  const better = significant.filter((c) => sign * (c.difference as number) > 0).sort((a, b) => sign * ((b.difference as number) - (a.difference as number)));
  const minP = Math.min(1, ...x.comparisons.map((c) => c.p_always_valid));
  if (better.length) return { decision: 'winner', winner: better[0].arm, reason: 'always_valid', always_valid_p: better[0].p_always_valid, at: x.now };
  if (significant.length) {
    const worst = significant.reduce((a, b) => (a.p_always_valid <= b.p_always_valid ? a : b));
    // every significant treatment is worse than control; with one treatment, control wins
    if (x.arms === 2) return { decision: 'winner', winner: x.control, reason: 'always_valid', always_valid_p: worst.p_always_valid, at: x.now };
  }
  const reached = x.required !== null && x.units.length > 0 && x.units.every((u) => u >= (x.required as number));
  if (reached) return { decision: 'inconclusive', reason: 'planned_sample', always_valid_p: minP, at: x.now };
  return undefined;
}
