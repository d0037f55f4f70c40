/**
 * THE list of monitor analyses: one line each. The scheduler (runtime/monitor.ts) runs every
 * analysis of this list on every route it owns; an analysis is added here and nowhere else.
 * Each one's folder holds its plan, statistics, decision, store, consumer, and its
 * description (routes, metrics, CLI view): see runtime/analysis.ts.
 *
 * - drift against the baseline                                                          drift/
 * - canary controller (needs the monitor's config store: weights move only through it)  canary/
 * - SRM watch (uses the store for the weights each config version routed with)          srm/
 * - shadow reports                                                                      shadow-report/
 * - A/B experiments on business outcomes                                                experiments/
 * - model quality from delayed labels                                                    performance/
 */
import { createCanaryMetrics, type CanaryMetrics } from '../telemetry/canary-metrics.ts';
import { canaryAnalysis } from './canary/canary-analysis.ts';
import { driftAnalysis } from './drift/drift-analysis.ts';
import { experimentAnalysis } from './experiments/experiment-analysis.ts';
import type { Analysis, AnalysisRuntime } from './runtime/analysis.ts';
import { shadowReportAnalysis } from './shadow-report/shadow-report-analysis.ts';
import { srmAnalysis } from './srm/srm-analysis.ts';
import { performanceAnalysis } from './performance/performance-analysis.ts';

export interface AnalysesOptions {
  /** shared canary/SRM/shadow metrics (tests); created on the monitor's registry when absent */
  metrics?: CanaryMetrics;
}

export function monitorAnalyses(opts: AnalysesOptions = {}): Analysis[] {
  let metrics: CanaryMetrics | undefined;
  const shared = (rt: AnalysisRuntime): CanaryMetrics => {
    if (!metrics) {
      metrics = opts.metrics ?? createCanaryMetrics(rt.registry);
      metrics.attach(rt.registry);
      metrics.init(Object.keys(rt.cfg.routes));
    }
    return metrics;
  };
  return [driftAnalysis, canaryAnalysis(shared), srmAnalysis(shared), shadowReportAnalysis(shared), experimentAnalysis, performanceAnalysis];
}
