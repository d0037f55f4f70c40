/** The SRM watch: distinct units per variant against the weights each config version routed with (srm-consumer.ts). */
import type { CanaryMetrics } from '../../telemetry/canary-metrics.ts';
import type { Analysis } from '../runtime/analysis.ts';
import { srmConsumer } from './srm-consumer.ts';

export const srmAnalysis = (metrics: (rt: Parameters<Analysis['consumer']>[0]) => CanaryMetrics): Analysis => ({
  name: 'srm',
  store: ['<prefix>:srm:<route>'],
  routes: [],
  metrics: ['modelgate_srm_pvalue', 'modelgate_srm_cumulative_pvalue', 'modelgate_srm_alarm'],
  consumer: (rt) => srmConsumer({ store: rt.store, metrics: metrics(rt), notifier: rt.notifier }),
});
