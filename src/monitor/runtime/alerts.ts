/**
 * Drift status-change alerts: the alert body, sent through the one notifier (notify.ts).
 */
import type { Notifier } from './notify.ts';
import type { Transition } from '../drift/report.ts';
import type { VariantReport } from '../drift/report.ts';

export interface DriftAlert extends Transition {
  type: 'drift_status_changed';
  route: string;
  at: string;
  /** features and output not stable, worst first */
  drifting: { name: string; status: string; psi: number | null; pvalue_adjusted: number | null }[];
}

export interface Alerter {
  notify(route: string, t: Transition, v: VariantReport): void;
  close(): Promise<void>;
}

const ORDER: Record<string, number> = { significant: 0, moderate: 1 };

export function buildAlert(route: string, t: Transition, v: VariantReport, now = new Date()): DriftAlert {
  const cols = [...Object.entries(v.features), ...(v.output ? [['(output)', v.output] as const] : [])];
  const drifting = cols
    .filter(([, c]) => c.status === 'moderate' || c.status === 'significant')
    .sort((a, b) => ORDER[a[1].status] - ORDER[b[1].status] || (b[1].psi ?? 0) - (a[1].psi ?? 0))
    .map(([name, c]) => ({ name, status: c.status, psi: c.psi, pvalue_adjusted: c.pvalue_adjusted }));
  return { type: 'drift_status_changed', route, ...t, at: now.toISOString(), drifting };
}

/** Drift alerts through the one notifier: the alert body, a log line at warn when worse. */
export function createAlerter(notifier: Notifier): Alerter {
  return {
    notify(route, t, v) {
      const alert = buildAlert(route, t, v);
      notifier.send(alert as unknown as Record<string, unknown>, t.direction === 'worsened' ? 'warn' : 'info', `drift ${t.direction}: route ${route} ${t.role} ${t.variant} ${t.from} -> ${t.to}`);
    },
    close: () => notifier.close(),
  };
}
