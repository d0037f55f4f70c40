/** How the admin API shows config: redacted route configs with their weights. */
import type { ConfigSnapshot } from '../config/snapshot.ts';
import { redact } from './redact.ts';
import { decodeRuns, movement } from '../routing/slot-table.ts';
import { BUCKETS } from '../routing/hash.ts';

export function routeView(snapshot: ConfigSnapshot, name: string) {
  const config = snapshot.routes[name];
  return {
    name,
    version: snapshot.version,
    weights: Object.fromEntries(config.variants.map((v) => [v.name, v.weight])),
    config: redact(config),
  };
}

export function routesView(snapshot: ConfigSnapshot) {
  return {
    version: snapshot.version,
    routes: Object.fromEntries(Object.keys(snapshot.routes).map((n) => [n, routeView(snapshot, n)])),
  };
}

const share = (x: number) => Math.round(x * BUCKETS) / BUCKETS;

/** Share of units (0..1) that change variant between two snapshots of a route, per pair. */
export function movedBetween(before: ConfigSnapshot, after: ConfigSnapshot, name: string) {
  const a = before.slots[name];
  const b = after.slots[name];
  if (!a || !b) return { total: 1, pairs: {} as Record<string, Record<string, number>> };
  const m = movement(decodeRuns(a), decodeRuns(b));
  const pairs: Record<string, Record<string, number>> = {};
  for (const [from, row] of Object.entries(m.pairs)) pairs[from] = Object.fromEntries(Object.entries(row).map(([to, x]) => [to, share(x)]));
  return { total: share(m.total), pairs };
}
