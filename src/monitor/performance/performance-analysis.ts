/** Model quality from delayed labels: labels joined to the predictions of both roles, scored per window (performance-consumer.ts). */
import type { Analysis } from '../runtime/analysis.ts';
import { performanceConsumer } from './performance-consumer.ts';

export const performanceAnalysis: Analysis = {
  name: 'performance',
  plan: 'config: routes.<route>.performance (task, threshold, output, alerts)',
  store: ['<prefix>:performance:<route>', '<prefix>:outcomes:<route> (read: labels)', '<prefix>:predictions:<route> (read: late labels by time)'],
  routes: ['GET /admin/routes/{route}/performance'],
  metrics: ['modelgate_model_auc', 'modelgate_model_log_loss', 'modelgate_model_brier', 'modelgate_model_ece', 'modelgate_labels_total'],
  view: 'modelgate ctl performance <route>',
  consumer: (rt) => performanceConsumer({ cfg: rt.cfg, registry: rt.registry, store: rt.store, notifier: rt.notifier }),
};
