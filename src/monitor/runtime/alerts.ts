/**
 * Status-change alerts: a log line always, and a POST of JSON to `monitor.webhook_url` when
 * set. Fire and forget with a deadline and a cap on requests in flight (over the cap the
 * alert is dropped and counted): a slow receiver never slows the monitor.
 */
import type { Logger } from '../../telemetry/logger.ts';
import type { MonitorEvents } from './events.ts';
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

const MAX_INFLIGHT = 16;
const TIMEOUT_MS = 5000;
const ORDER: Record<string, number> = { significant: 0, moderate: 1 };

export function buildAlert(route: string, t: Transition, v: VariantReport, now = new Date()): DriftAlert {
  const cols = [...Object.entries(v.features), ...(v.output ? [['(output)', v.output] as const] : [])];
  const drifting = cols
    .filter(([, c]) => c.status === 'moderate' || c.status === 'significant')
    .sort((a, b) => ORDER[a[1].status] - ORDER[b[1].status] || (b[1].psi ?? 0) - (a[1].psi ?? 0))
    .map(([name, c]) => ({ name, status: c.status, psi: c.psi, pvalue_adjusted: c.pvalue_adjusted }));
  return { type: 'drift_status_changed', route, ...t, at: now.toISOString(), drifting };
}

export function createAlerter(url: string | undefined, logger: Logger, events: MonitorEvents): Alerter {
  const inflight = new Set<Promise<void>>();
  return {
    notify(route, t, v) {
      const alert = buildAlert(route, t, v);
      const level = t.direction === 'worsened' ? 'warn' : 'info';
      logger[level]({ alert }, `drift ${t.direction}: route ${route} ${t.role} ${t.variant} ${t.from} -> ${t.to}`);
      if (!url) return;
      if (inflight.size >= MAX_INFLIGHT) {
        events.webhook('dropped');
        return;
      }
      const p = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert), signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (res) => {
          await res.arrayBuffer().catch(() => undefined);
          events.webhook(res.ok ? 'sent' : 'failed');
          if (!res.ok) logger.warn({ status: res.status }, 'drift webhook answered with an error status');
        })
        .catch((e: unknown) => {
          events.webhook('failed');
          logger.warn({ err: (e as Error).message }, 'drift webhook failed');
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    },
    async close() {
      await Promise.allSettled([...inflight]);
    },
  };
}
