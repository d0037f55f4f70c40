/**
 * The window consumers the monitor runs besides drift: one line per feature. Each factory
 * gets the route context (Redis, config, events) and returns a WindowConsumer.
 *
 * - canary controller (needs `store`: weights move only through the versioned config store)
 * - SRM watch (uses `store` for the weights each config version routed with)
 * - shadow reports
 * - A/B experiments on business outcomes (joins `<prefix>:outcomes:<route>` to assignments)
 * Their metrics (src/telemetry/canary-metrics.ts) go on `registry`, the monitor's; pass the
 * same registry to startMonitor. Without a store the canary controller is left out (logged).
 */
import type { Registry } from 'prom-client';
import { createNotifier } from './canary/notify.ts';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import { createCanaryMetrics, type CanaryMetrics } from '../telemetry/canary-metrics.ts';
import type { Logger } from '../telemetry/logger.ts';
import { canaryConsumer } from './canary/canary-consumer.ts';
import { shadowReportConsumer } from './shadow-report/shadow-report-consumer.ts';
import { srmConsumer } from './srm/srm-consumer.ts';
import { experimentConsumer } from './experiments/experiment-consumer.ts';
import type { ConsumerFactory } from './runtime/window-consumer.ts';

export interface PluginDeps {
  cfg: FileConfig;
  logger: Logger;
  /** the monitor's registry; metrics can also be attached later with `metrics.attach` */
  registry?: Registry;
  /** the shared config store the canary controller changes weights through */
  store?: ConfigStore;
  /** shared metrics (tests); created here when absent */
  metrics?: CanaryMetrics;
}

export function monitorPlugins(deps: PluginDeps): ConsumerFactory[] {
  const metrics = deps.metrics ?? createCanaryMetrics(deps.registry);
  if (deps.registry) metrics.attach(deps.registry);
  metrics.init(Object.keys(deps.cfg.routes));
  const logger = deps.logger.child({ component: 'canary' });
  const notifier = createNotifier(deps.cfg.monitor.webhook_url, logger);
  const factories: ConsumerFactory[] = [srmConsumer({ store: deps.store, metrics, notifier }), shadowReportConsumer({ store: deps.store, metrics })];
  factories.push(experimentConsumer({ cfg: deps.cfg, logger: deps.logger, registry: deps.registry, store: deps.store }));
  if (deps.store) factories.unshift(canaryConsumer({ store: deps.store, metrics, notifier }));
  else logger.warn('no config store given to the monitor plug-ins: canary plans will not progress');
  return factories;
}
