/**
 * Experiment metrics on the monitor registry, defined once per monitor (every route shares them):
 *   modelgate_experiment_state{route,state}            1 for the current state (running, concluded, stopped, none)
 *   modelgate_experiment_units{route,arm}              units analysed per arm
 *   modelgate_experiment_estimate{route,arm}           primary metric per arm (rate or mean)
 *   modelgate_experiment_pvalue{route,arm,test}        test = fixed | always_valid, treatment arms
 *   modelgate_experiment_progress_ratio{route}         least arm's units / planned units
 *   modelgate_experiment_srm_pvalue{route}
 *   modelgate_experiment_outcomes{route,result}        matched, unmatched, excluded, duplicate, pending
 * Without a registry every call is a no-op.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Results } from './evaluate.ts';
import type { ExperimentStatus } from './plan.ts';

const STATES: readonly (ExperimentStatus | 'none')[] = ['running', 'concluded', 'stopped', 'none'];

export interface ExperimentMetrics {
  state(route: string, state: ExperimentStatus | 'none'): void;
  results(route: string, r: Results): void;
}

export const NOOP_EXPERIMENT_METRICS: ExperimentMetrics = { state() {}, results() {} };

export function createExperimentMetrics(registry: Registry | undefined): ExperimentMetrics {
  if (!registry) return NOOP_EXPERIMENT_METRICS;
  const registers = [registry];
  const g = (name: string, help: string, labelNames: string[]) => new Gauge({ name: `modelgate_experiment_${name}`, help, labelNames, registers });
  const state = g('state', 'Experiment state of a route (1 for the current one)', ['route', 'state']);
  const units = g('units', 'Units analysed per arm', ['route', 'arm']);
  const estimate = g('estimate', 'Primary metric per arm: conversion rate or mean per unit', ['route', 'arm']);
  const pvalue = g('pvalue', 'p-value of a treatment arm against control (fixed-horizon or always-valid mSPRT)', ['route', 'arm', 'test']);
  const progress = g('progress_ratio', 'Units of the least-filled arm over the planned units per arm', ['route']);
  const srm = g('srm_pvalue', 'Sample ratio mismatch p-value of the experiment arms', ['route']);
  const outcomes = g('outcomes', 'Outcomes of the current experiment by join result', ['route', 'result']);
  return {
    state(route, s) {
      for (const x of STATES) state.labels(route, x).set(x === s ? 1 : 0);
    },
    results(route, r) {
      for (const a of r.primary.arms) {
        units.labels(route, a.arm).set(a.units);
        if (a.estimate !== null) estimate.labels(route, a.arm).set(a.estimate);
      }
      for (const c of r.primary.comparisons) {
        if (c.p_fixed !== null) pvalue.labels(route, c.arm, 'fixed').set(c.p_fixed);
        pvalue.labels(route, c.arm, 'always_valid').set(c.p_always_valid);
      }
      if (r.planning.progress !== null) progress.labels(route).set(r.planning.progress);
      if (r.srm.pvalue !== null) srm.labels(route).set(r.srm.pvalue);
      const j = r.join;
      for (const [k, v] of Object.entries({ matched: j.matched, unmatched: j.unmatched, excluded: j.excluded, duplicate: j.duplicate, pending: j.pending })) outcomes.labels(route, k).set(v);
    },
  };
}
