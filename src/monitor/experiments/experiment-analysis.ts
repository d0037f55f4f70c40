/** A/B experiments on business outcomes: outcomes joined to assignments, sequential tests, guardrails (experiment-consumer.ts). */
import type { Analysis } from '../runtime/analysis.ts';
import { experimentConsumer } from './experiment-consumer.ts';

export const experimentAnalysis: Analysis = {
  name: 'experiments',
  plan: 'experiments/plan.ts (planSchema)',
  store: ['<prefix>:experiment:<route>', '<prefix>:outcomes:<route> (read)'],
  routes: ['GET|POST|DELETE /admin/routes/{route}/experiment'],
  metrics: ['modelgate_experiment_state', 'modelgate_experiment_units', 'modelgate_experiment_pvalue', 'modelgate_experiment_estimate', 'modelgate_experiment_progress_ratio', 'modelgate_experiment_outcomes', 'modelgate_experiment_srm_pvalue'],
  view: 'modelgate ctl experiment status <route>',
  consumer: (rt) => experimentConsumer({ cfg: rt.cfg, logger: rt.logger, registry: rt.registry, store: rt.store }),
};
