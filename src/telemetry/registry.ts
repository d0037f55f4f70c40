/** One prom-client registry per process, with the default process metrics. */
import { Registry, collectDefaultMetrics } from 'prom-client';

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
