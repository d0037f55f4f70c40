/**
 * The routing decision, pure: given a compiled route and the unit's bytes (or none, or a
 * forced variant), which variant serves, how it was assigned, and which shadows get a copy.
 */
import { BUCKETS, murmur3After } from './hash.ts';
import type { CompiledRoute, CompiledShadow, CompiledVariant } from './compile.ts';

export type Assign = 'hash' | 'forced' | 'random';

export interface Decision {
  readonly variant: CompiledVariant;
  readonly assign: Assign;
  /** 0..9999, or -1 without a unit */
  readonly bucket: number;
  readonly shadows: readonly CompiledShadow[];
  /** whether the prediction log samples this request in */
  readonly logged: boolean;
}

const NO_SHADOWS: readonly CompiledShadow[] = Object.freeze([]);

export type RandomSource = () => number;

function shadowsFor(route: CompiledRoute, sample: number): readonly CompiledShadow[] {
  if (sample >= route.maxShadowThreshold) return NO_SHADOWS;
  if (route.shadows.length === 1) return route.shadows;
  return route.shadows.filter((s) => sample < s.threshold);
}

/**
 * @param unit the unit as a binary string of its bytes (see unit.ts), or null
 * @param forced a variant name from the override header, or null
 * @param logThreshold log.sample_percent * 100
 */
export function select(route: CompiledRoute, unit: string | null, forced: CompiledVariant | null, logThreshold: number, random: RandomSource = Math.random): Decision {
  let bucket = -1;
  let shadowSample: number;
  let logSample: number;
  if (unit !== null) {
    bucket = murmur3After(route.saltHash, unit) % BUCKETS;
    shadowSample = route.maxShadowThreshold > 0 ? murmur3After(route.shadowHash, unit) % BUCKETS : BUCKETS;
    logSample = logThreshold >= BUCKETS ? 0 : logThreshold <= 0 ? BUCKETS : murmur3After(route.logHash, unit) % BUCKETS;
  } else {
    shadowSample = route.maxShadowThreshold > 0 ? Math.floor(random() * BUCKETS) : BUCKETS;
    logSample = logThreshold >= BUCKETS ? 0 : Math.floor(random() * BUCKETS);
  }
  let variant: CompiledVariant;
  let assign: Assign;
  if (forced) {
    variant = forced;
    assign = 'forced';
  } else if (bucket >= 0) {
    variant = route.variants[route.owners[bucket]];
    assign = 'hash';
  } else {
    variant = route.variants[route.owners[Math.floor(random() * BUCKETS)]];
    assign = 'random';
  }
  return { variant, assign, bucket, shadows: shadowsFor(route, shadowSample), logged: logSample < logThreshold };
}
