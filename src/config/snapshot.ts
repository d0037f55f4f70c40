/**
 * The dynamic, versioned config: routes plus their slot tables. One integer version for the
 * whole config, +1 per change. Transitions are pure: they return a new frozen snapshot.
 */
import { routeSchema, routesSchema, type RouteConfig, type FileConfig } from './schema.ts';
import { deepFreeze, validate, type Problem } from './validate.ts';
import { decodeRuns, encodeRuns, layoutSlots, rebalanceSlots, toBasisPoints, type SlotRuns } from '../routing/slot-table.ts';
import { InvalidChange } from '../errors.ts';

export interface ConfigSnapshot {
  version: number;
  routes: Record<string, RouteConfig>;
  /** per route, its slot table as runs, versioned with the config */
  slots: Record<string, SlotRuns>;
}

export const saltOf = (routeName: string, route: RouteConfig): string => route.salt ?? routeName;

const weighted = (route: RouteConfig) => route.variants.map((v) => ({ name: v.name, bp: toBasisPoints(v.weight) }));

/** The first snapshot, seeded from the config file. */
export function initialSnapshot(file: Pick<FileConfig, 'routes'>, version = 1): ConfigSnapshot {
  const slots: Record<string, SlotRuns> = {};
  for (const [name, route] of Object.entries(file.routes)) slots[name] = encodeRuns(layoutSlots(weighted(route)));
  return deepFreeze({ version, routes: { ...file.routes }, slots });
}

/** Validates a raw route (user input), reporting paths under `routes.<name>`. */
export function parseRoute(name: string, raw: unknown): RouteConfig {
  const r = validate(routeSchema, raw, ['routes', name]);
  if (!r.ok) throw new InvalidChange(r.problems);
  return r.value;
}

/**
 * Creates or replaces a route. A new route, or one whose salt changed, gets a fresh layout;
 * otherwise only the slots that must move do.
 */
export function putRoute(prev: ConfigSnapshot, name: string, route: RouteConfig): ConfigSnapshot {
  const routes = { ...prev.routes, [name]: route };
  const check = validate(routesSchema, routes, ['routes']);
  if (!check.ok) throw new InvalidChange(check.problems);
  const old = prev.routes[name];
  const fresh = !old || saltOf(name, old) !== saltOf(name, route) || !prev.slots[name];
  const owners = fresh ? layoutSlots(weighted(route)) : rebalanceSlots(decodeRuns(prev.slots[name]), weighted(route));
  return deepFreeze({ version: prev.version + 1, routes, slots: { ...prev.slots, [name]: encodeRuns(owners) } });
}

export function deleteRoute(prev: ConfigSnapshot, name: string): ConfigSnapshot {
  const routes = { ...prev.routes };
  const slots = { ...prev.slots };
  delete routes[name];
  delete slots[name];
  return deepFreeze({ version: prev.version + 1, routes, slots });
}

/** New weights (percent) for every variant of the route; unknown or missing variants are errors. */
export function setWeights(prev: ConfigSnapshot, name: string, weights: Record<string, number>): ConfigSnapshot {
  const route = prev.routes[name];
  if (!route) throw new InvalidChange([{ path: `routes.${name}`, message: 'no such route' }]);
  const problems: Problem[] = [];
  const known = new Set(route.variants.map((v) => v.name));
  for (const k of Object.keys(weights)) if (!known.has(k)) problems.push({ path: `weights.${k}`, message: `unknown variant "${k}"` });
  for (const v of route.variants) if (!(v.name in weights)) problems.push({ path: `weights.${v.name}`, message: 'every variant of the route must be listed' });
  for (const [k, w] of Object.entries(weights))
    if (typeof w !== 'number' || !Number.isFinite(w)) problems.push({ path: `weights.${k}`, message: 'expected a number' });
  if (problems.length) throw new InvalidChange(problems);
  const next = { ...route, variants: route.variants.map((v) => ({ ...v, weight: weights[v.name] })) };
  return putRoute(prev, name, parseRoute(name, next));
}

/** New salt and a fresh slot table. */
export function rerandomize(prev: ConfigSnapshot, name: string, salt: string): ConfigSnapshot {
  const route = prev.routes[name];
  if (!route) throw new InvalidChange([{ path: `routes.${name}`, message: 'no such route' }]);
  return putRoute(prev, name, parseRoute(name, { ...route, salt }));
}
