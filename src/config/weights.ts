/**
 * THE weight-change path: every change of a route's weights goes through here, whoever makes
 * it (the admin PATCH /admin/routes/{route}/weights, the canary controller, an experiment's
 * guardrail action). One validation (weightProblems: every variant listed, 0..100 with two
 * decimals, sum 100), one transition (applyWeights), and changeWeights for callers holding a
 * store: a compare-and-set through the versioned config store (If-Match when expectedVersion is
 * set, else on top of the latest version), audited under the actor. An invalid change throws
 * InvalidChange with every problem and nothing changes.
 */
import type { RouteConfig } from './schema.ts';
import { setWeights, type ConfigSnapshot } from './snapshot.ts';
import type { ConfigStore } from './store.ts';
import type { Problem } from './validate.ts';
import { InvalidChange, ModelgateError, Unchanged } from '../errors.ts';

const twoDecimals = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-7;

/** A weights body: every variant listed, known, numbers 0..100 with two decimals, sum 100. */
export function weightProblems(route: RouteConfig, weights: unknown): Problem[] {
  if (!weights || typeof weights !== 'object' || Array.isArray(weights)) return [{ path: 'weights', message: 'expected an object of variant name to percent, e.g. {"v1":75,"v2":25}' }];
  const problems: Problem[] = [];
  const known = new Set(route.variants.map((v) => v.name));
  let total = 0;
  let numeric = true;
  for (const [k, w] of Object.entries(weights as Record<string, unknown>)) {
    if (!known.has(k)) problems.push({ path: `weights.${k}`, message: `unknown variant "${k}" (the route has ${[...known].join(', ')})` });
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      problems.push({ path: `weights.${k}`, message: 'expected a number' });
      numeric = false;
      continue;
    }
    if (w < 0 || w > 100) problems.push({ path: `weights.${k}`, message: `${w} is outside 0..100` });
    else if (!twoDecimals(w)) problems.push({ path: `weights.${k}`, message: 'weights have at most two decimals' });
    total += Math.round(w * 100);
  }
  for (const v of route.variants) if (!(v.name in (weights as object))) problems.push({ path: `weights.${v.name}`, message: 'every variant of the route must be listed' });
  if (numeric && total !== 10_000) problems.push({ path: 'weights', message: `weights must sum to 100 (got ${total / 100})` });
  return problems;
}

/** The snapshot with `weights` on `route`, validated; throws ROUTE_NOT_FOUND or InvalidChange. */
export function applyWeights(cur: ConfigSnapshot, route: string, weights: unknown): ConfigSnapshot {
  const r = cur.routes[route];
  if (!r) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
  const problems = weightProblems(r, weights);
  if (problems.length) throw new InvalidChange(problems);
  return setWeights(cur, route, weights as Record<string, number>);
}

export interface WeightChange {
  route: string;
  /** percent per variant, every variant listed, summing to 100; or computed from the route as it is now */
  weights: Record<string, number> | ((route: RouteConfig) => Record<string, number>);
  /** `admin`, `canary`, `experiment`, ... : recorded in the audit trail */
  actor: string;
  action?: string;
  /** when set, a compare-and-set on this version (VersionMismatch if stale) */
  expectedVersion?: number;
  /** when the route already has these weights write nothing (so a retry never makes a second change) */
  skipUnchanged?: boolean;
}

const sameWeights = (r: RouteConfig, w: Record<string, number>) => r.variants.every((v) => Math.round(v.weight * 100) === Math.round((w[v.name] ?? Number.NaN) * 100));

/** Returns the config version that has the weights, and whether this call changed them. */
export async function changeWeights(store: ConfigStore, change: WeightChange): Promise<{ version: number; changed: boolean }> {
  const { route, actor, action = 'weights', expectedVersion } = change;
  try {
    const next = await store.update(
      expectedVersion,
      (cur) => {
        const r = cur.routes[route];
        if (!r) throw new ModelgateError('ROUTE_NOT_FOUND', `no route "${route}"`);
        const weights = typeof change.weights === 'function' ? change.weights(r) : change.weights;
        if (change.skipUnchanged && weights && typeof weights === 'object' && sameWeights(r, weights)) throw new Unchanged(cur.version);
        return applyWeights(cur, route, weights);
      },
      { actor, action, route },
    );
    return { version: next.version, changed: true };
  } catch (e) {
    if (e instanceof Unchanged) return { version: e.version, changed: false };
    throw e;
  }
}
