/**
 * The prediction log's metrics (DESIGN.md "Metrics"), defined once. Per route, every logged
 * request ends up in exactly one outcome, so
 *   requests logged = written + dropped + sampled_out + (still buffered).
 * All three outcomes are exported at zero for each configured route from the start; a route
 * added later is bound on its first event. Gauges are read at scrape time (no hot-path work).
 */
import { Counter, Gauge, type Registry } from 'prom-client';

const P = 'modelgate_';

export type LogOutcome = 'written' | 'dropped' | 'sampled_out';
export const LOG_OUTCOMES: readonly LogOutcome[] = ['written', 'dropped', 'sampled_out'];

/** Why an entry was dropped; the reasons of a route sum to its `dropped` outcome. */
export type DropReason = 'buffer_full' | 'entry_error' | 'shutdown';
export const DROP_REASONS: readonly DropReason[] = ['buffer_full', 'entry_error', 'shutdown'];

/** What an entry lost to its bounds: instances (log.max_entry_bytes), features (log.max_features), depth (a response over limits.max_json_depth), id (rid/unit over 128 chars). */
export type TruncationReason = 'instances' | 'features' | 'depth' | 'id';
export const TRUNCATION_REASONS: readonly TruncationReason[] = ['instances', 'features', 'depth', 'id'];

export interface RouteLogCounters {
  readonly written: Counter.Internal;
  readonly dropped: Counter.Internal;
  readonly sampledOut: Counter.Internal;
  readonly droppedBy: Readonly<Record<DropReason, Counter.Internal>>;
  readonly truncatedBy: Readonly<Record<TruncationReason, Counter.Internal>>;
}

/** Counts one dropped entry: the outcome and its reason. */
export function countDrop(c: RouteLogCounters, reason: DropReason): void {
  c.dropped.inc();
  c.droppedBy[reason].inc();
}

/** What the gauges read when Prometheus scrapes. */
export interface LogState {
  bufferEntries(): number;
  bufferBytes(): number;
  healthy(): boolean;
}

export class LogMetrics {
  readonly entries: Counter;
  readonly bufferEntries: Gauge;
  readonly bufferBytes: Gauge;
  readonly healthy: Gauge;
  readonly drops: Counter;
  readonly truncations: Counter;
  private readonly routes = new Map<string, RouteLogCounters>();
  private state: LogState = { bufferEntries: () => 0, bufferBytes: () => 0, healthy: () => false };

  constructor(registry: Registry, routeNames: Iterable<string> = []) {
    const r = [registry];
    const self = this;
    this.entries = new Counter({ name: `${P}log_entries_total`, help: 'Prediction log entries by route and outcome (written to Redis, dropped from a full buffer, sampled out)', labelNames: ['route', 'outcome'], registers: r });
    this.bufferEntries = new Gauge({ name: `${P}log_buffer_entries`, help: 'Prediction log entries waiting in the bounded buffer', registers: r, collect() { this.set(self.state.bufferEntries()); } });
    this.bufferBytes = new Gauge({ name: `${P}log_buffer_bytes`, help: 'Bytes of serialized prediction log entries in the buffer', registers: r, collect() { this.set(self.state.bufferBytes()); } });
    this.healthy = new Gauge({ name: `${P}log_healthy`, help: 'Whether prediction log entries reach Redis (1) or the log is degraded (0)', aggregator: 'min', registers: r, collect() { this.set(self.state.healthy() ? 1 : 0); } });
    this.drops = new Counter({ name: `${P}log_dropped_total`, help: 'Prediction log entries dropped, by route and reason (buffer_full, entry_error, shutdown); sums to log_entries_total{outcome="dropped"}', labelNames: ['route', 'reason'], registers: r });
    this.truncations = new Counter({ name: `${P}log_truncated_total`, help: 'Prediction log entries cut to their bounds, by route and reason (instances, features, depth, id)', labelNames: ['route', 'reason'], registers: r });
    for (const name of routeNames) this.route(name);
  }

  /** Attaches the sink whose state the gauges report. */
  observe(state: LogState): void {
    this.state = state;
  }

  /** The route's counters, created (at zero) on first use. */
  route(name: string): RouteLogCounters {
    let c = this.routes.get(name);
    if (!c) {
      const droppedBy = Object.fromEntries(DROP_REASONS.map((x) => [x, this.drops.labels(name, x)])) as Record<DropReason, Counter.Internal>;
      const truncatedBy = Object.fromEntries(TRUNCATION_REASONS.map((x) => [x, this.truncations.labels(name, x)])) as Record<TruncationReason, Counter.Internal>;
      c = { written: this.entries.labels(name, 'written'), dropped: this.entries.labels(name, 'dropped'), sampledOut: this.entries.labels(name, 'sampled_out'), droppedBy, truncatedBy };
      for (const x of [c.written, c.dropped, c.sampledOut, ...Object.values(droppedBy), ...Object.values(truncatedBy)]) x.inc(0);
      this.routes.set(name, c);
    }
    return c;
  }
}
