/**
 * Pure checks of admin changes against the current snapshot, each returning every problem at
 * once (schema, cross-route rules, the backend allow-list) so one 400 lists them all.
 */
import type { RouteConfig } from '../config/schema.ts';
import { parseRoute, putRoute, type ConfigSnapshot } from '../config/snapshot.ts';
import type { Problem } from '../config/validate.ts';
import { backendProblems, type BackendPolicy } from './allow-backends.ts';
import { InvalidChange } from '../errors.ts';


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
