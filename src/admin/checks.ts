/**
 * Pure checks of admin changes against the current snapshot, each returning every problem at
 * once (schema, cross-route rules, the backend allow-list) so one 400 lists them all.
 */
import type { RouteConfig } from '../config/schema.ts';
import { parseRoute, putRoute, type ConfigSnapshot } from '../config/snapshot.ts';
import type { Problem } from '../config/validate.ts';
import { backendProblems, type BackendPolicy } from './allow-backends.ts';
import { InvalidChange } from '../errors.ts';

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

/**
 * Validates a raw route for `name` against the snapshot it would join: returns the parsed
 * route, or throws InvalidChange with the schema, cross-route and allow-list problems together.
 */
export function checkRoute(snapshot: ConfigSnapshot, name: string, raw: unknown, policy: BackendPolicy): RouteConfig {
  const problems = backendProblems(policy, raw, `routes.${name}`);
  let route: RouteConfig | undefined;
  try {
    route = parseRoute(name, raw);
    putRoute(snapshot, name, route);
  } catch (e) {
    if (!(e instanceof InvalidChange)) throw e;
    problems.unshift(...e.problems);
  }
  if (problems.length || !route) throw new InvalidChange(problems);
  return route;
}

/** Every backend of a whole snapshot (for restore: the allow-list may have changed since). */
export function snapshotBackendProblems(snapshot: ConfigSnapshot, policy: BackendPolicy): Problem[] {
  return Object.entries(snapshot.routes).flatMap(([name, r]) => backendProblems(policy, r, `routes.${name}`));
}
