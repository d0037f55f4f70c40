/**
 * Moves the canary's weight through the versioned config store: one compare-and-set change,
 * audited with the given actor. Idempotent: when the route already has those weights nothing
 * is written (checked inside the compare-and-set), so a retry after a lost reply never makes
 * a second change. The checks are those of the admin PATCH (changeWeights).
 */
import { weightProblems } from '../../admin/checks.ts';
import { setWeights } from '../../config/snapshot.ts';
import type { ConfigStore } from '../../config/store.ts';
import { ModelgateError, InvalidChange, Unchanged } from '../../errors.ts';
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
export async function applyCanaryWeight(store: ConfigStore, m: WeightMove): Promise<{ version: number; changed: boolean }> {
  try {
    const next = await store.update(
      m.expectedVersion,
      (cur) => {
        const r = cur.routes[m.route];
        if (!r) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${m.route}"`);
        const weights = weightsAt(r, m.plan, m.weight);
        if (r.variants.every((v) => Math.round(v.weight * 100) === Math.round(weights[v.name] * 100))) throw new Unchanged(cur.version);
        const problems = weightProblems(r, weights);
        if (problems.length) throw new InvalidChange(problems);
        return setWeights(cur, m.route, weights);
      },
      { actor: m.actor, action: m.action, route: m.route },
    );
    return { version: next.version, changed: true };
  } catch (e) {
    if (e instanceof Unchanged) return { version: e.version, changed: false };
    throw e;
  }
}

/** The audit action of the weight change a document asks for. */
export function weightAction(d: CanaryDoc): string {
  if (d.state === 'rolled_back') return 'canary_rollback';
  if (d.state === 'aborted') return 'canary_abort';
  if (d.state === 'promoted') return 'canary_promote';
  return d.step === 0 ? 'canary_start' : 'canary_step';
}
