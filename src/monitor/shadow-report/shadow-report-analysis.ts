/** Shadow reports: each shadow joined to the live answers, per window (shadow-report-consumer.ts). */
import type { CanaryMetrics } from '../../telemetry/canary-metrics.ts';
import type { Analysis } from '../runtime/analysis.ts';
import { shadowReportConsumer } from './shadow-report-consumer.ts';

export const shadowReportAnalysis = (metrics: (rt: Parameters<Analysis['consumer']>[0]) => CanaryMetrics): Analysis => ({
  name: 'shadow-report',
  store: ['<prefix>:shadows:<route>'],
  routes: ['GET /admin/routes/{route}/shadows/report'],
  metrics: ['modelgate_shadow_agreement_ratio', 'modelgate_shadow_error_ratio', 'modelgate_shadow_latency_p99_seconds'],
  view: 'modelgate ctl shadows report <route>',
  consumer: (rt) => shadowReportConsumer({ store: rt.store, metrics: metrics(rt) }),
});
