/**
 * Weight changes by internal actors (the canary and experiment controllers): no If-Match;
 * the store retries on top of the latest version. Same checks as the admin PATCH, so an
 * invalid change throws InvalidChange with every problem and nothing changes.
 */
import { setWeights, type ConfigSnapshot } from '../config/snapshot.ts';
import type { ConfigStore } from '../config/store.ts';
import { ModelgateError, InvalidChange } from '../errors.ts';
import { weightProblems } from './checks.ts';

export interface WeightChange {
  route: string;
  /** percent per variant, every variant listed, summing to 100 */
  weights: Record<string, number>;
  /** `canary`, `experiment`, ... : recorded in the audit trail */
  actor: string;
  action?: string;
  /** when set, a compare-and-set on this version (VersionMismatch if stale) */
  expectedVersion?: number;
}

export function changeWeights(store: ConfigStore, change: WeightChange): Promise<ConfigSnapshot> {
  const { route, weights, actor, action = 'weights', expectedVersion } = change;
  return store.update(
    expectedVersion,
    (cur) => {
      const r = cur.routes[route];
      if (!r) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
      const problems = weightProblems(r, weights);
      if (problems.length) throw new InvalidChange(problems);
      return setWeights(cur, route, weights);
    },
    { actor, action, route },
  );
}
