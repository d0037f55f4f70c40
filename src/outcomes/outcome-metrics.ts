/**
 * Metrics of `POST /v1/outcomes` on the gateway registry, defined once:
 *   modelgate_outcomes_total{route,outcome}   accepted (answered 202), written (in Redis), dropped
 *   modelgate_outcome_rejections_total{reason} invalid, too_large, no_redis, overloaded
 *   modelgate_outcome_buffer_entries           outcomes waiting in the bounded buffer
 * Every known label set is exported at zero from the start.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export type OutcomeFate = 'accepted' | 'written' | 'dropped';
export type RejectReason = 'invalid' | 'too_large' | 'no_redis' | 'overloaded';
const FATES: readonly OutcomeFate[] = ['accepted', 'written', 'dropped'];
const REASONS: readonly RejectReason[] = ['invalid', 'too_large', 'no_redis', 'overloaded'];

export class OutcomeMetrics {
  private readonly outcomes: Counter;
  private readonly rejections: Counter;
  private bufferRead: () => number = () => 0;

  constructor(registry: Registry, routes: Iterable<string>) {
    const self = this;
    this.outcomes = new Counter({ name: 'modelgate_outcomes_total', help: 'Business outcomes by route and fate (accepted with 202, written to Redis, dropped)', labelNames: ['route', 'outcome'], registers: [registry] });
    this.rejections = new Counter({ name: 'modelgate_outcome_rejections_total', help: 'Outcome requests refused, by reason', labelNames: ['reason'], registers: [registry] });
    new Gauge({ name: 'modelgate_outcome_buffer_entries', help: 'Outcomes waiting in the bounded buffer for Redis', registers: [registry], collect() { this.set(self.bufferRead()); } });
    for (const r of routes) for (const f of FATES) this.outcomes.labels(r, f).inc(0);
    for (const r of REASONS) this.rejections.labels(r).inc(0);
  }

  count(route: string, fate: OutcomeFate, n = 1): void {
    this.outcomes.labels(route, fate).inc(n);
  }

  rejected(reason: RejectReason): void {
    this.rejections.labels(reason).inc();
  }

  observeBuffer(read: () => number): void {
    this.bufferRead = read;
  }
}
