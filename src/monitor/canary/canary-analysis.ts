/** The canary controller: judges canary against stable per evaluation window and moves its weight (canary-consumer.ts). */
import type { CanaryMetrics } from '../../telemetry/canary-metrics.ts';
import type { Analysis } from '../runtime/analysis.ts';
import { canaryConsumer } from './canary-consumer.ts';

export const canaryAnalysis = (metrics: (rt: Parameters<Analysis['consumer']>[0]) => CanaryMetrics): Analysis => ({
  name: 'canary',
  plan: 'canary/plan.ts (parsePlan)',
  store: ['<prefix>:canary:<route>'],
  routes: ['GET|POST|DELETE /admin/routes/{route}/canary', 'POST /admin/routes/{route}/canary/{pause|resume|promote|abort}'],
  metrics: ['modelgate_canary_state', 'modelgate_canary_step', 'modelgate_canary_weight_percent'],
  view: 'modelgate ctl canary status <route>',
  consumer(rt) {
    if (rt.store) return canaryConsumer({ store: rt.store, metrics: metrics(rt), notifier: rt.notifier });
    rt.logger.warn('no config store given to the monitor: canary plans will not progress');
    return undefined;
  },
});
