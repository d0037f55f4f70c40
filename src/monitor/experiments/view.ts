/**
 * The experiment as the admin API shows it (pure): the stored document, planning (the
 * monitor's latest, else computed from the plan alone) and the live results (null until the
 * monitor's first look).
 */
import { minRuntime, type MinRuntime, type Results } from './evaluate.ts';
import type { ExperimentDoc } from './plan.ts';
import { planExperiment, type Planning } from './planning.ts';

export interface ExperimentView extends ExperimentDoc {
  planning: Planning;
  /** when a winner can be declared (`not_before`), and the verdict held until then (`pending`) */
  min_runtime: MinRuntime;
  results: Omit<Results, 'planning' | 'always_valid' | 'experiment_id' | 'min_runtime'> | null;
}

export function experimentView(doc: ExperimentDoc, results: Results | null, now: number): ExperimentView {
  const current = results && results.experiment_id === doc.id ? results : null;
  const planning = current?.planning ?? planExperiment(doc.plan, { units: doc.plan.arms.map(() => 0), controlRate: null, pooledSd: null }, doc.started_at, now);
  const min_runtime = minRuntime(doc.plan, doc.started_at, now);
  if (doc.status === 'running' && current?.min_runtime?.pending && !min_runtime.reached) min_runtime.pending = current.min_runtime.pending;
  let shown: ExperimentView['results'] = null;
  if (current) {
    const { planning: _p, always_valid: _a, experiment_id: _i, min_runtime: _m, ...rest } = current;
    shown = rest;
  }
  return { ...doc, planning, min_runtime, results: shown };
}
