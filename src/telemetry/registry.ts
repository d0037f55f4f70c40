/**
 * One prom-client registry per process, with the default process metrics under their standard
 * names (`process_*`, `nodejs_*`, no prefix), so stock Node.js dashboards find them.
 */
import { AggregatorRegistry, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * prom-client names these three gauges `*_total`, which `promtool check metrics` rejects for a
 * non-counter. The same counts stay, per type, in `nodejs_active_{handles,requests,resources}`
 * (sum them for the total).
 */
export const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function createRegistry(component: 'gateway' | 'monitor'): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const n of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(n);
  void component;
  return registry;
}

/**
 * One exposition from several processes' registries (a replica's primary and its workers):
 * counters and histograms are summed; a gauge follows its `aggregator` (sum unless it says
 * min/max/first/average/omit, e.g. config_version takes the min: the version every worker serves).
 */
export async function aggregateMetrics(parts: Array<Awaited<ReturnType<Registry['getMetricsAsJSON']>>>): Promise<string> {
  return aggregatedRegistry(parts).metrics();
}

/** The same sum as a registry, to read single metrics from (the admin API's live stats). */
export function aggregatedRegistry(parts: Array<Awaited<ReturnType<Registry['getMetricsAsJSON']>>>): Registry {
  return AggregatorRegistry.aggregate(parts);
}
