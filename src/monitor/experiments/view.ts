/**
 * The experiment as the admin API shows it (pure): the stored document, planning (the
 * monitor's latest, else computed from the plan alone) and the live results (null until the
 * monitor's first look).
 */
import type { Results } from './evaluate.ts';
import type { ExperimentDoc } from './plan.ts';
import { planExperiment, type Planning } from './planning.ts';

export interface ExperimentView extends ExperimentDoc {
  planning: Planning;
  results: Omit<Results, 'planning' | 'always_valid' | 'experiment_id'> | null;
}

export function experimentView(doc: ExperimentDoc, results: Results | null, now: number): ExperimentView {
  const current = results && results.experiment_id === doc.id ? results : null;
  const planning = current?.planning ?? planExperiment(doc.plan, { units: doc.plan.arms.map(() => 0), controlRate: null, pooledSd: null }, doc.started_at, now);
  let shown: ExperimentView['results'] = null;
  if (current) {
    const { planning: _p, always_valid: _a, experiment_id: _i, ...rest } = current;
    shown = rest;
  }
  return { ...doc, planning, results: shown };
}
