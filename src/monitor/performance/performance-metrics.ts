/**
 * Model-quality metrics on the monitor registry, defined once per monitor (every route shares
 * them). Figures cover every kept window (`monitor.performance_windows` x
 * `monitor.performance_window_ms` of prediction time); `variant` is the variant or shadow
 * name, `role` live or shadow:
 *   modelgate_model_labels{route,variant,role}            labelled predictions scored
 *   modelgate_model_auc{route,variant,role}               binary: AUC-ROC
 *   modelgate_model_log_loss{route,variant,role}          binary: log loss (nats)
 *   modelgate_model_brier_score{route,variant,role}       binary
 *   modelgate_model_calibration_error{route,variant,role} binary: ECE over 10 bins
 *   modelgate_model_precision{route,variant,role}, modelgate_model_recall{...}   binary, at the threshold
 *   modelgate_model_mae{...}, modelgate_model_rmse{...}   regression (the target's unit)
 *   modelgate_model_accuracy{...}                         classes
 *   modelgate_labels_total{route,result}                  matched, unmatched, duplicate, invalid_label,
 *                                                         invalid_prediction, expired (counter)
 *   modelgate_labels_pending{route}                       labels waiting for their prediction
 * A figure that is undefined (no labels yet, one class only for AUC) is NaN, never 0: an AUC of 0
 * would read as a model that is always wrong. Counters start at 0 for every configured route.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { LABEL_COUNTERS } from './label-join.ts';
import type { PerformanceReport, QualityFigures } from './performance-report.ts';

const FIGURES = ['auc', 'log_loss', 'brier', 'ece', 'precision', 'recall', 'mae', 'rmse', 'accuracy'] as const;
const NAMES: Record<(typeof FIGURES)[number], [string, string]> = {
  auc: ['auc', 'AUC-ROC of binary scores against labels'],
  log_loss: ['log_loss', 'Log loss of binary scores against labels (nats, eps 1e-15)'],
  brier: ['brier_score', 'Brier score of binary scores against labels'],
  ece: ['calibration_error', 'Expected calibration error of binary scores (10 equal-width bins)'],
  precision: ['precision', 'Precision at the route threshold'],
  recall: ['recall', 'Recall at the route threshold'],
  mae: ['mae', 'Mean absolute error of regression outputs against labels'],
  rmse: ['rmse', 'Root mean squared error of regression outputs against labels'],
  accuracy: ['accuracy', 'Share of class outputs equal to their label'],
};
export const RESULTS = [...LABEL_COUNTERS, 'expired'] as const;

export interface PerformanceMetrics {
  init(route: string, task: string, arms: readonly { name: string; role: 'live' | 'shadow' }[]): void;
  report(r: PerformanceReport): void;
  /** adds to the label counters (deltas) */
  count(route: string, result: string, n: number): void;
  pending(route: string, n: number): void;
}

export const NOOP_PERFORMANCE_METRICS: PerformanceMetrics = { init() {}, report() {}, count() {}, pending() {} };

const taskFigures = (task: string): readonly (typeof FIGURES)[number][] => (task === 'regression' ? ['mae', 'rmse'] : task === 'classes' ? ['accuracy'] : ['auc', 'log_loss', 'brier', 'ece', 'precision', 'recall']);

export function createPerformanceMetrics(registry: Registry | undefined): PerformanceMetrics {
  if (!registry) return NOOP_PERFORMANCE_METRICS;
  const registers = [registry];
  const arm = ['route', 'variant', 'role'];
  const labels = new Gauge({ name: 'modelgate_model_labels', help: 'Labelled predictions scored in the kept windows', labelNames: arm, registers });
  const gauges = Object.fromEntries(FIGURES.map((f) => [f, new Gauge({ name: `modelgate_model_${NAMES[f][0]}`, help: NAMES[f][1], labelNames: arm, registers })])) as Record<(typeof FIGURES)[number], Gauge>;
  const total = new Counter({ name: 'modelgate_labels_total', help: 'Labels read by the monitor, by join result', labelNames: ['route', 'result'], registers });
  const pending = new Gauge({ name: 'modelgate_labels_pending', help: 'Labels waiting for their prediction', labelNames: ['route'], registers });
  const set = (route: string, name: string, role: string, task: string, f: QualityFigures | undefined) => {
    labels.labels(route, name, role).set(f?.labels ?? 0);
    for (const k of taskFigures(task)) gauges[k].labels(route, name, role).set(f?.[k] ?? Number.NaN);
  };
  return {
    init(route, task, arms) {
      for (const r of RESULTS) total.labels(route, r).inc(0);
      pending.labels(route).set(0);
      for (const a of arms) set(route, a.name, a.role, task, undefined);
    },
    report(r) {
      for (const [name, a] of Object.entries(r.variants)) set(r.route, name, 'live', r.task, a);
      for (const [name, a] of Object.entries(r.shadows)) set(r.route, name, 'shadow', r.task, a);
    },
    count(route, result, n) {
      if (n > 0) total.labels(route, result).inc(n);
    },
    pending(route, n) {
      pending.labels(route).set(n);
    },
  };
}
