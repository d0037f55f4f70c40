/** Drift: each closed window of a route judged against its variant's baseline (drift-consumer.ts). */
import type { Analysis } from '../runtime/analysis.ts';
import { driftConsumer } from './drift-consumer.ts';

export const driftAnalysis: Analysis = {
  name: 'drift',
  plan: 'the baseline (drift/baseline.ts), uploaded or captured live',
  store: ['<prefix>:baseline:<route>', '<prefix>:drift:<route>'],
  routes: ['GET /admin/routes/{route}/drift', 'GET|PUT /admin/routes/{route}/baseline', 'POST /admin/routes/{route}/baseline/capture'],
  metrics: ['modelgate_drift_psi', 'modelgate_drift_pvalue', 'modelgate_drift_status', 'modelgate_output_drift_psi'],
  view: 'modelgate ctl drift <route>',
  consumer: (rt) => driftConsumer(rt.alerter),
};
