/**
 * The monitor's canary, SRM and shadow-report metrics (DESIGN.md "Metrics"), defined once:
 *   modelgate_canary_step{route}                 0-based step index; -1 with no plan
 *   modelgate_canary_weight_percent{route}       the canary's weight now
 *   modelgate_canary_state{route,state}          1 for the current state, 0 for the five others
 *   modelgate_srm_pvalue{route}                  SRM p-value of the latest window (chi-squared GoF)
 *   modelgate_srm_cumulative_pvalue{route}       the same over every window since the weights last changed
 *   modelgate_srm_alarm{route}                   1 while the window or cumulative test alarms
 *   modelgate_shadow_agreement_ratio{route,shadow}   agreement with the live model, latest window
 *   modelgate_shadow_error_ratio{route,shadow}       shadow error share, latest window
 *   modelgate_shadow_latency_p99_seconds{route,shadow}
 * Created with no registry and attached to the monitor's one (attach), so the plug-ins can
 * be built before the monitor creates its registry.
 */
import { Gauge, type Registry } from 'prom-client';
import { CANARY_STATES, type CanaryStateName } from '../monitor/canary/state.ts';

export interface CanaryMetrics {
  /** every route at "no plan" (step -1, every state 0) */
  init(routes: string[]): void;
  canary(route: string, s: { state: CanaryStateName; step: number; weight: number } | null): void;
  srm(route: string, windowP: number | null, cumulativeP: number | null, alarm: boolean): void;
  shadow(route: string, shadow: string, s: { agreement: number | null; errorShare: number | null; p99Ms: number | null }): void;
  attach(registry: Registry): void;
}

export function createCanaryMetrics(registry?: Registry): CanaryMetrics {
  const step = new Gauge({ name: 'modelgate_canary_step', help: 'Current step of the canary plan (0-based index into its steps; -1 with no plan)', labelNames: ['route'], registers: [] });
  const weight = new Gauge({ name: 'modelgate_canary_weight_percent', help: 'Weight of the canary variant in percent', labelNames: ['route'], registers: [] });
  const state = new Gauge({ name: 'modelgate_canary_state', help: 'Canary plan state: 1 for the current state, 0 for the others', labelNames: ['route', 'state'], registers: [] });
  const srmP = new Gauge({ name: 'modelgate_srm_pvalue', help: 'Sample ratio mismatch: chi-squared goodness-of-fit p-value of hash-assigned units against the weights, latest window', labelNames: ['route'], registers: [] });
  const srmCum = new Gauge({ name: 'modelgate_srm_cumulative_pvalue', help: 'Sample ratio mismatch p-value over all windows since the weights last changed', labelNames: ['route'], registers: [] });
  const srmAlarm = new Gauge({ name: 'modelgate_srm_alarm', help: '1 while the SRM test alarms (p below monitor.srm_alpha with at least 8 units per arm)', labelNames: ['route'], registers: [] });
  const agree = new Gauge({ name: 'modelgate_shadow_agreement_ratio', help: 'Share of compared shadow outputs that agree with the live output, latest window', labelNames: ['route', 'shadow'], registers: [] });
  const errs = new Gauge({ name: 'modelgate_shadow_error_ratio', help: 'Share of shadow requests that failed (backend 5xx or upstream error), latest window', labelNames: ['route', 'shadow'], registers: [] });
  const p99 = new Gauge({ name: 'modelgate_shadow_latency_p99_seconds', help: 'Shadow backend p99 latency, latest window', labelNames: ['route', 'shadow'], registers: [] });
  const all = [step, weight, state, srmP, srmCum, srmAlarm, agree, errs, p99];
  const attached = new Set<Registry>();
  const m: CanaryMetrics = {
    init(routes) {
      for (const r of routes) m.canary(r, null);
    },
    canary(route, s) {
      step.labels(route).set(s ? s.step : -1);
      weight.labels(route).set(s ? s.weight : 0);
      for (const name of CANARY_STATES) state.labels(route, name).set(s?.state === name ? 1 : 0);
    },
    srm(route, windowP, cumulativeP, alarm) {
      if (windowP !== null) srmP.labels(route).set(windowP);
      if (cumulativeP !== null) srmCum.labels(route).set(cumulativeP);
      srmAlarm.labels(route).set(alarm ? 1 : 0);
    },
    shadow(route, shadow, s) {
      if (s.agreement !== null) agree.labels(route, shadow).set(s.agreement);
      if (s.errorShare !== null) errs.labels(route, shadow).set(s.errorShare);
      if (s.p99Ms !== null) p99.labels(route, shadow).set(s.p99Ms / 1000);
    },
    attach(reg) {
      if (attached.has(reg)) return;
      attached.add(reg);
      for (const g of all) reg.registerMetric(g);
    },
  };
  if (registry) m.attach(registry);
  return m;
}
