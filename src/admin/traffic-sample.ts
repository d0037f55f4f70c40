/**
 * Reads one TrafficSample from the gateway's prom-client registry: modelgate_requests_total
 * (summed over status, code and assign; errors and excluded responses as analysis/outcome.ts
 * classifies them from the status and code labels) and the buckets of
 * modelgate_request_duration_seconds, per route and variant. Admin-side only: the hot path
 * keeps incrementing its pre-bound children and never sees this.
 */
import type { Registry } from 'prom-client';
import { classifyOutcome } from '../analysis/outcome.ts';
import { seriesKey, type SeriesSample, type TrafficSample } from './traffic-rates.ts';

export const REQUESTS_METRIC = 'modelgate_requests_total';
export const DURATION_METRIC = 'modelgate_request_duration_seconds';

type Value = { value: number; labels: Record<string, string | number | undefined>; metricName?: string };

async function valuesOf(registry: Registry, name: string): Promise<Value[]> {
  const m = registry.getSingleMetric(name);
  if (!m) return [];
  return ((await m.get()).values ?? []) as Value[];
}

export async function readTrafficSample(registry: Registry, now = Date.now()): Promise<TrafficSample> {
  const series = new Map<string, SeriesSample & { byLe: Map<number, number> }>();
  const at = (labels: Value['labels']) => {
    const key = seriesKey(String(labels.route), String(labels.variant));
    let s = series.get(key);
    if (!s) series.set(key, (s = { requests: 0, counted: 0, errors: 0, buckets: [], byLe: new Map() }));
    return s;
  };
  for (const v of await valuesOf(registry, REQUESTS_METRIC)) {
    const s = at(v.labels);
    s.requests += v.value;
    const code = v.labels.code === undefined || v.labels.code === 'none' ? undefined : String(v.labels.code);
    const outcome = classifyOutcome({ status: Number(v.labels.status), error: code });
    if (outcome !== 'excluded') s.counted = (s.counted ?? 0) + v.value;
    if (outcome === 'error') s.errors += v.value;
  }
  const les = new Set<number>();
  for (const v of await valuesOf(registry, DURATION_METRIC)) {
    if (!v.metricName?.endsWith('_bucket')) continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    les.add(le);
    const s = at(v.labels);
    s.byLe.set(le, (s.byLe.get(le) ?? 0) + v.value);
  }
  const sorted = [...les].sort((a, b) => a - b);
  for (const s of series.values()) {
    s.buckets = sorted.map((le) => s.byLe.get(le) ?? 0);
    s.byLe.clear();
  }
  return { ts: now, les: sorted, series };
}
