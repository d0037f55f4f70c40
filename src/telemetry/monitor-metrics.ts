/**
 * The monitor's metrics (DESIGN.md "Metrics"), defined once, fed through MonitorEvents.
 * `modelgate_drift_status` encodes: -1 insufficient_data, 0 stable, 1 moderate, 2 significant.
 * The output's p-value appears in `modelgate_drift_pvalue` under feature="_output".
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MonitorEvents } from '../monitor/runtime/events.ts';
import type { Status, VariantVerdict } from '../monitor/drift/judge.ts';

export const STATUS_CODE: Record<Status, number> = { insufficient_data: -1, stable: 0, moderate: 1, significant: 2 };
export const OUTPUT_FEATURE = '_output';

export function createMonitorMetrics(registry: Registry, routes: Record<string, { variants: { name: string }[] }>): MonitorEvents {
  const registers = [registry];
  const psi = new Gauge({ name: 'modelgate_drift_psi', help: 'PSI of a feature in the latest judged window against its baseline', labelNames: ['route', 'variant', 'feature'], registers });
  const pvalue = new Gauge({ name: 'modelgate_drift_pvalue', help: 'Test p-value (uncorrected; KS for numeric, chi-squared for categorical) of a feature in the latest judged window', labelNames: ['route', 'variant', 'feature', 'test'], registers });
  const outPsi = new Gauge({ name: 'modelgate_output_drift_psi', help: 'PSI of the model output in the latest judged window', labelNames: ['route', 'variant'], registers });
  const status = new Gauge({ name: 'modelgate_drift_status', help: 'Drift status of a variant: -1 insufficient_data, 0 stable, 1 moderate, 2 significant', labelNames: ['route', 'variant'], registers });
  const lag = new Gauge({ name: 'modelgate_monitor_lag_entries', help: 'Prediction log entries not yet delivered to the monitor group', labelNames: ['route'], registers });
  const processed = new Counter({ name: 'modelgate_monitor_entries_processed_total', help: 'Prediction log entries processed (after deduplication)', labelNames: ['route'], registers });
  const lost = new Counter({ name: 'modelgate_monitor_entries_lost_total', help: 'Prediction log entries trimmed from the stream before the monitor processed them', labelNames: ['route'], registers });
  const dups = new Counter({ name: 'modelgate_monitor_entries_duplicate_total', help: 'Repeated (rid, role) entries dropped', labelNames: ['route'], registers });
  const owned = new Gauge({ name: 'modelgate_monitor_route_owned', help: '1 while this monitor holds the route lease', labelNames: ['route'], registers });
  const baselineMode = new Gauge({ name: 'modelgate_drift_baseline_mode', help: 'Baseline mode of the reference behind the latest verdict of a variant: 1 for the mode used (fixed, rolling, seasonal), 0 for the others; fixed on a rolling or seasonal route is a fallback', labelNames: ['route', 'variant', 'mode'], registers });
  const webhooks = new Counter({ name: 'modelgate_monitor_webhooks_total', help: 'Monitor webhooks (drift alerts, canary, SRM and experiment notices) by outcome', labelNames: ['outcome'], registers });

  for (const [route, r] of Object.entries(routes)) {
    processed.labels(route).inc(0);
    lost.labels(route).inc(0);
    dups.labels(route).inc(0);
    owned.labels(route).set(0);
    for (const v of r.variants) status.labels(route, v.name).set(STATUS_CODE.insufficient_data);
  }
  for (const o of ['sent', 'failed', 'dropped']) webhooks.labels(o).inc(0);

  return {
    routeOwned: (route, o) => owned.labels(route).set(o ? 1 : 0),
    processed: (route, n) => processed.labels(route).inc(n),
    duplicates: (route, n) => dups.labels(route).inc(n),
    lost: (route, n) => lost.labels(route).inc(n),
    lag: (route, n) => lag.labels(route).set(n),
    webhook: (outcome) => webhooks.labels(outcome).inc(),
    baselineUsed(route, variant, mode) {
      for (const m of ['fixed', 'rolling', 'seasonal'] as const) baselineMode.labels(route, variant, m).set(m === mode ? 1 : 0);
    },
    verdict(route: string, variant: string, v: VariantVerdict) {
      status.labels(route, variant).set(STATUS_CODE[v.status]);
      for (const [feature, c] of Object.entries(v.features)) {
        if (c.psi !== null) psi.labels(route, variant, feature).set(c.psi);
        if (c.pvalue !== null) pvalue.labels(route, variant, feature, c.test).set(c.pvalue);
      }
      if (v.output) {
        if (v.output.psi !== null) outPsi.labels(route, variant).set(v.output.psi);
        if (v.output.pvalue !== null) pvalue.labels(route, variant, OUTPUT_FEATURE, v.output.test).set(v.output.pvalue);
      }
    },
  };
}
