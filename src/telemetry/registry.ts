/** One prom-client registry per process, with the default process metrics. */
import { AggregatorRegistry, Registry, collectDefaultMetrics } from 'prom-client';

export function createRegistry(component: 'gateway' | 'monitor'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({});
  collectDefaultMetrics({ register: registry, prefix: 'modelgate_' });
  // prom-client names these gauges *_total, which promtool rejects for non-counters; the same
  // counts stay in modelgate_nodejs_active_{handles,requests,resources}{type}.
  for (const n of ['active_handles', 'active_requests', 'active_resources']) registry.removeSingleMetric(`modelgate_nodejs_${n}_total`);
  void component;
  return registry;
}

/**
 * One exposition from several processes' registries (a replica's primary and its workers):
 * counters and histograms are summed; a gauge follows its `aggregator` (sum unless it says
 * min/max/first/average/omit, e.g. config_version takes the min: the version every worker serves).
 */
export async function aggregateMetrics(parts: Array<Awaited<ReturnType<Registry['getMetricsAsJSON']>>>): Promise<string> {
  return AggregatorRegistry.aggregate(parts).metrics();
}
