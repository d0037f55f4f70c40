/**
 * What the monitor reports as it works. Core code calls these; telemetry implements them
 * (src/telemetry/monitor-metrics.ts). A no-op implementation costs nothing.
 */
import type { VariantVerdict } from '../drift/judge.ts';

export interface MonitorEvents {
  routeOwned(route: string, owned: boolean): void;
  processed(route: string, n: number): void;
  duplicates(route: string, n: number): void;
  lost(route: string, n: number): void;
  lag(route: string, entries: number): void;
  /** a verdict for one variant (or shadow) of a route */
  verdict(route: string, variant: string, v: VariantVerdict): void;
  /** the baseline mode of the reference behind that verdict (`fixed` also when rolling or seasonal fell back) */
  baselineUsed?(route: string, variant: string, mode: 'fixed' | 'rolling' | 'seasonal'): void;
  webhook(outcome: 'sent' | 'failed' | 'dropped'): void;
}

export const NOOP_MONITOR_EVENTS: MonitorEvents = {
  routeOwned() {},
  processed() {},
  duplicates() {},
  lost() {},
  lag() {},
  verdict() {},
  webhook() {},
};
