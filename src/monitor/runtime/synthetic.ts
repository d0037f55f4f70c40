/**
 * Seeded synthetic prediction-log traffic, for tests, the benchmark and demos: a PRNG
 * (mulberry32), normal draws, and stream entries with the fields of DESIGN.md
 * "Prediction log", written with XADD in pipelined batches.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { FIELDS as F, SCHEMA_VERSION } from '../../predictions/schema.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(rand: () => number): () => number {
  return () => {
    let u = 0;
    while (u === 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

export interface TrafficSpec {
  numeric: number;
  categorical: number;
  /** added to the mean of these numeric features (in standard deviations) */
  shift?: Record<string, number>;
  /** added to the output score */
  outputShift?: number;
}

export const CATEGORIES = ['US', 'DE', 'FR', 'GB', 'JP'];

/** One instance: numeric features n0.. ~ N(i, 1), categorical c0.. over CATEGORIES, and a score. */
export function makeInstance(rand: () => number, gauss: () => number, spec: TrafficSpec): { features: Record<string, number | string>; score: number } {
  const features: Record<string, number | string> = {};
  let s = 0;
  for (let i = 0; i < spec.numeric; i++) {
    const name = `n${i}`;
    const x = i + gauss() + (spec.shift?.[name] ?? 0);
    features[name] = x;
    s += x - i;
  }
  for (let i = 0; i < spec.categorical; i++) features[`c${i}`] = CATEGORIES[Math.floor(rand() * rand() * CATEGORIES.length)];
  const score = 1 / (1 + Math.exp(-(s / Math.sqrt(Math.max(1, spec.numeric)) + (spec.outputShift ?? 0))));
  return { features, score };
}

export interface EntryMeta {
  rid: string;
  variant: string;
  version?: string;
  role?: 'live' | 'shadow';
  ts?: number;
  status?: number;
}

export function entryFields(meta: EntryMeta, features: Record<string, number | string>, prediction: unknown): string[] {
  return [
    F.v, SCHEMA_VERSION,
    F.ts, String(meta.ts ?? Date.now()),
    F.rid, meta.rid,
    F.route, 'r',
    F.variant, meta.variant,
    F.version, meta.version ?? '1.0.0',
    F.role, meta.role ?? 'live',
    F.assign, 'hash',
    F.unit, 'abc',
    F.bucket, '42',
    F.status, String(meta.status ?? 200),
    F.latencyMs, '1.5',
    F.features, JSON.stringify([features]),
    F.prediction, JSON.stringify([prediction]),
    F.cfg, '1',
  ];
}

/** XADDs entries in pipelined batches of 500. */
export async function xaddAll(redis: Redis, key: string, entries: string[][]): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) {
    const p = redis.pipeline();
    for (const f of entries.slice(i, i + 500)) p.xadd(key, '*', ...f);
    const res = await p.exec();
    for (const [err] of res ?? []) if (err) throw err;
  }
}

/** Generates `n` entries of one variant with a running rid counter. */
export function generate(seed: number, n: number, spec: TrafficSpec, meta: Omit<EntryMeta, 'rid'> & { ridPrefix: string; ridStart?: number }): string[][] {
  const rand = mulberry32(seed);
  const gauss = normal(rand);
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const { features, score } = makeInstance(rand, gauss, spec);
    out.push(entryFields({ ...meta, rid: `${meta.ridPrefix}-${(meta.ridStart ?? 0) + i}` }, features, score));
  }
  return out;
}
