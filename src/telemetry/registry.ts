/** One prom-client registry per process, with the default process metrics. */
import { Registry, collectDefaultMetrics } from 'prom-client';

export function createRegistry(component: 'gateway' | 'monitor'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({});
  collectDefaultMetrics({ register: registry, prefix: 'modelgate_' });
  void component;
  return registry;
}
