/**
 * Compiles a config snapshot once per version into lookup tables the hot path reads:
 * model name -> route, slot -> variant index, pre-hashed salt prefixes.
 */
import type { ConfigSnapshot } from '../config/snapshot.ts';
import type { RouteConfig, ShadowConfig, UnitSource, VariantConfig } from '../config/schema.ts';
import { BUCKETS, hashPrefix, utf8Binary, type HashPrefix } from './hash.ts';
import { decodeRuns, layoutSlots, toBasisPoints } from './slot-table.ts';

export interface CompiledVariant {
  readonly index: number;
  readonly name: string;
  readonly config: VariantConfig;
  readonly backend: URL;
  readonly version: string;
  /** the model name sent to the backend (the variant's `model`, else the requested one) */
  readonly model?: string;
  readonly bp: number;
}

export interface CompiledShadow {
  readonly name: string;
  readonly config: ShadowConfig;
  readonly backend: URL;
  /** percent * 100: a unit is shadowed when its shadow bucket is below this */
  readonly threshold: number;
}

export interface CompiledRoute {
  readonly name: string;
  readonly version: number;
  readonly config: RouteConfig;
  readonly unit?: UnitSource;
  readonly salt: string;
  /** UTF-8 binary strings of `salt:`, `shadow:salt:`, `log:salt:` */
  readonly saltPrefix: string;
  readonly shadowPrefix: string;
  readonly logPrefix: string;
  /** the three prefixes' hash states (hash.ts murmur3After): what select() hashes per request */
  readonly saltHash: HashPrefix;
  readonly shadowHash: HashPrefix;
  readonly logHash: HashPrefix;
  readonly variants: readonly CompiledVariant[];
  readonly variantByName: ReadonlyMap<string, CompiledVariant>;
  /** slot -> variant index */
  readonly owners: Uint8Array;
  readonly shadows: readonly CompiledShadow[];
  /** max shadow threshold: below it at least one shadow wants the unit */
  readonly maxShadowThreshold: number;
  readonly features?: readonly string[];
}

export interface CompiledConfig {
  readonly version: number;
  readonly snapshot: ConfigSnapshot;
  readonly routes: ReadonlyMap<string, CompiledRoute>;
  readonly byModel: ReadonlyMap<string, CompiledRoute>;
}

export function compileRoute(name: string, route: RouteConfig, version: number, runs?: ConfigSnapshot['slots'][string]): CompiledRoute {
  const variants: CompiledVariant[] = route.variants.map((v, index) => ({
    index,
    name: v.name,
    config: v,
    backend: new URL(v.backend),
    version: v.version,
    model: v.model,
    bp: toBasisPoints(v.weight),
  }));
  const variantByName = new Map(variants.map((v) => [v.name, v]));
  const ownerNames = runs ? decodeRuns(runs) : layoutSlots(variants.map((v) => ({ name: v.name, bp: v.bp })));
  const owners = new Uint8Array(BUCKETS);
  for (let s = 0; s < BUCKETS; s++) {
    const v = variantByName.get(ownerNames[s]);
    if (!v) throw new Error(`route ${name}: slot ${s} owned by unknown variant ${ownerNames[s]}`);
    owners[s] = v.index;
  }
  const shadows = route.shadows.map((s) => ({ name: s.name, config: s, backend: new URL(s.backend), threshold: Math.round(s.percent * 100) }));
  const salt = route.salt ?? name;
  const saltPrefix = utf8Binary(`${salt}:`);
  const shadowPrefix = utf8Binary(`shadow:${salt}:`);
  const logPrefix = utf8Binary(`log:${salt}:`);
  return Object.freeze({
    name,
    version,
    config: route,
    unit: route.unit,
    salt,
    saltPrefix,
    shadowPrefix,
    logPrefix,
    saltHash: hashPrefix(saltPrefix),
    shadowHash: hashPrefix(shadowPrefix),
    logHash: hashPrefix(logPrefix),
    variants,
    variantByName,
    owners,
    shadows,
    maxShadowThreshold: shadows.reduce((m, s) => Math.max(m, s.threshold), 0),
    features: route.features,
  });
}

export function compileConfig(snapshot: ConfigSnapshot): CompiledConfig {
  const routes = new Map<string, CompiledRoute>();
  const byModel = new Map<string, CompiledRoute>();
  for (const [name, route] of Object.entries(snapshot.routes)) {
    const c = compileRoute(name, route, snapshot.version, snapshot.slots[name]);
    routes.set(name, c);
    for (const m of route.models) byModel.set(m, c);
  }
  return Object.freeze({ version: snapshot.version, snapshot, routes, byModel });
}
