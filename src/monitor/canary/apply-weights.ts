/**
 * Moves the canary's weight through the versioned config store: one compare-and-set change,
 * audited with the given actor. Idempotent: when the route already has those weights nothing
 * is written (checked inside the compare-and-set), so a retry after a lost reply never makes
 * a second change. The one weight-change path: config/weights.ts.
 */
import { changeWeights } from '../../config/weights.ts';
import type { ConfigStore } from '../../config/store.ts';
import { weightsAt, type CanaryPlan } from './plan.ts';
import type { CanaryDoc } from './state.ts';

export interface WeightMove {
  route: string;
  plan: Pick<CanaryPlan, 'canary' | 'stable'>;
  /** the canary's percent */
  weight: number;
  actor: string;
  action: string;
  /** compare-and-set on this config version (the admin's If-Match) */
  expectedVersion?: number;
}

/** Returns the config version that has the weights, and whether this call changed them. */
export function applyCanaryWeight(store: ConfigStore, m: WeightMove): Promise<{ version: number; changed: boolean }> {
  return changeWeights(store, { route: m.route, weights: (r) => weightsAt(r, m.plan, m.weight), actor: m.actor, action: m.action, expectedVersion: m.expectedVersion, skipUnchanged: true });
}

/** The audit action of the weight change a document asks for. */
export function weightAction(d: CanaryDoc): string {
  if (d.state === 'rolled_back') return 'canary_rollback';
  if (d.state === 'aborted') return 'canary_abort';
  if (d.state === 'promoted') return 'canary_promote';
  return d.step === 0 ? 'canary_start' : 'canary_step';
}
