/**
 * The gateway's Prometheus metrics (DESIGN.md "Metrics"), defined once. Label children are
 * bound per config version, so the hot path does array lookups, not label hashing. Counters of
 * every known label set are exported at zero from the start.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ErrorCode } from '../errors.ts';
import type { CompiledConfig, CompiledRoute } from '../routing/compile.ts';
import type { Assign } from '../routing/select.ts';
import type { ComparisonResult, GatewayEvents, ShadowOutcome, UpstreamFailure } from '../gateway/events.ts';
import { initialStatusCodes, NO_ERROR, possibleAssigns, REJECT_CODES } from './request-labels.ts';
import { PendingHistogram, PendingHistograms } from './pending-histogram.ts';
import { PendingCounter, PendingCounters } from './pending-counter.ts';

const P = 'modelgate_';
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const UPSTREAM_REASONS: UpstreamFailure[] = ['connect', 'reset', 'timeout', 'bad_response', 'over_capacity', 'status_5xx'];
const SHADOW_OUTCOMES: ShadowOutcome[] = ['ok', 'error', 'timeout', 'dropped', 'skipped'];
const COMPARISONS: ComparisonResult[] = ['agree', 'disagree', 'incomparable'];

interface VariantChildren {
  requests: Map<string, PendingCounter>;
  /** the `200` + no error counters by assign (the same objects as in `requests`): no key string per answer */
  ok: Partial<Record<Assign, PendingCounter>>;
  duration: PendingHistogram;
  ttfb: Histogram.Internal<string>;
  upstream: Record<UpstreamFailure, Counter.Internal>;
  retries: Counter.Internal;
  cancelled: Counter.Internal;
}
interface ShadowChildren {
  outcome: Record<ShadowOutcome, PendingCounter>;
  comparison: Record<ComparisonResult, PendingCounter>;
  duration: PendingHistogram;
  diff: Histogram.Internal<string>;
}
interface RouteChildren {
  variants: VariantChildren[];
  shadows: ShadowChildren[];
}

export class GatewayMetrics implements GatewayEvents {
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly ttfbDuration: Histogram;
  readonly upstreamErrors: Counter;
  readonly retries: Counter;
  readonly shadowRequests: Counter;
  readonly shadowComparisons: Counter;
  readonly shadowDuration: Histogram;
  readonly shadowDiff: Histogram;
  readonly weight: Gauge;
  readonly configVersion: Gauge;
  readonly rejectedTotal: Counter;
  readonly inflightGauge: Gauge;
  readonly cancelled: Counter;
  readonly responseTimeouts: Counter;
  private inflightCount = 0;
  private byRoute = new WeakMap<CompiledRoute, RouteChildren>();
  private rejectedChildren = new Map<ErrorCode, Counter.Internal>();
  /** per-request and per-shadow counts not yet applied (requests, shadow outcomes and comparisons) */
  private readonly pendingCount = new PendingCounters();
  /** request and shadow duration observations not yet applied */
  private readonly pendingHist = new PendingHistograms();

  constructor(readonly registry: Registry) {
    const r = [registry];
    this.requests = new Counter({ name: `${P}requests_total`, help: 'Prediction responses by route, variant, HTTP status, gateway error code (none when the gateway failed nothing) and assignment', labelNames: ['route', 'variant', 'status', 'code', 'assign'], registers: r, collect: () => this.pendingCount.flush() });
    this.duration = new Histogram({ name: `${P}request_duration_seconds`, help: 'Prediction latency from accept to response end', labelNames: ['route', 'variant'], buckets: LATENCY_BUCKETS, registers: r, collect: () => this.pendingHist.flush() });
    this.ttfbDuration = new Histogram({ name: `${P}request_ttfb_seconds`, help: 'Streamed answers: time from accept to the answer headers (request_duration_seconds is the whole stream)', labelNames: ['route', 'variant'], buckets: LATENCY_BUCKETS, registers: r });
    this.upstreamErrors = new Counter({ name: `${P}upstream_errors_total`, help: 'Live backend failures by reason', labelNames: ['route', 'variant', 'reason'], registers: r });
    this.retries = new Counter({ name: `${P}upstream_retries_total`, help: 'Retries of live backend requests (connect failures only)', labelNames: ['route', 'variant'], registers: r });
    this.shadowRequests = new Counter({ name: `${P}shadow_requests_total`, help: 'Shadow copies by outcome (dropped = over max_inflight, skipped = not sent)', labelNames: ['route', 'shadow', 'outcome'], registers: r, collect: () => this.pendingCount.flush() });
    this.shadowComparisons = new Counter({ name: `${P}shadow_comparisons_total`, help: 'Shadow vs live output comparisons', labelNames: ['route', 'shadow', 'result'], registers: r, collect: () => this.pendingCount.flush() });
    this.shadowDuration = new Histogram({ name: `${P}shadow_duration_seconds`, help: 'Shadow backend round trip', labelNames: ['route', 'shadow'], buckets: LATENCY_BUCKETS, registers: r, collect: () => this.pendingHist.flush() });
    this.shadowDiff = new Histogram({ name: `${P}shadow_abs_diff`, help: 'Absolute difference between shadow and live numeric outputs (mean over outputs)', labelNames: ['route', 'shadow'], buckets: [0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1, 10], registers: r });
    this.weight = new Gauge({ name: `${P}variant_weight_ratio`, help: 'Configured traffic share of each variant (0..1)', labelNames: ['route', 'variant'], aggregator: 'first', registers: r });
    this.configVersion = new Gauge({ name: `${P}config_version`, help: 'Config version this replica serves (with --workers: the lowest over its workers)', aggregator: 'min', registers: r });
    this.rejectedTotal = new Counter({ name: `${P}rejected_requests_total`, help: 'Requests refused before a route was chosen, by error code (limits, bad input, unknown model)', labelNames: ['code'], registers: r });
    // set from the count when scraped, not on every request
    this.inflightGauge = new Gauge({ name: `${P}inflight_requests`, help: 'Prediction requests in flight', registers: r, collect: () => this.inflightGauge.set(this.inflightCount) });
    this.cancelled = new Counter({ name: `${P}upstream_cancelled_total`, help: 'Live backend requests cancelled because the client went away', labelNames: ['route', 'variant'], registers: r });
    this.responseTimeouts = new Counter({ name: `${P}response_write_timeouts_total`, help: 'Answers not fully written within limits.response_timeout_ms (client not reading), destroyed', registers: r });
    this.responseTimeouts.inc(0);
    for (const code of REJECT_CODES) this.rejected(code, 0);
  }

  configApplied(config: CompiledConfig): void {
    this.configVersion.set(config.version);
    this.weight.reset();
    for (const route of config.routes.values()) {
      this.bind(route);
      for (const v of route.variants) this.weight.labels(route.name, v.name).set(v.bp / 10_000);
    }
  }

  private bind(route: CompiledRoute): RouteChildren {
    let rc = this.byRoute.get(route);
    if (rc) return rc;
    const variants = route.variants.map((v): VariantChildren => {
      const requests = new Map<string, PendingCounter>();
      for (const a of possibleAssigns(route.config))
        for (const sc of initialStatusCodes()) requests.set(`${sc.status}|${sc.code}|${a}`, this.pendingCount.make(this.requests.labels(route.name, v.name, String(sc.status), sc.code, a)));
      const upstream = {} as Record<UpstreamFailure, Counter.Internal>;
      for (const reason of UPSTREAM_REASONS) (upstream[reason] = this.upstreamErrors.labels(route.name, v.name, reason)).inc(0);
      const retries = this.retries.labels(route.name, v.name);
      retries.inc(0);
      const cancelled = this.cancelled.labels(route.name, v.name);
      cancelled.inc(0);
      const duration = new PendingHistogram(this.duration, { route: route.name, variant: v.name }, LATENCY_BUCKETS, this.pendingHist.mark);
      const ttfbChild = this.ttfbDuration.labels(route.name, v.name);
      this.ttfbDuration.zero({ route: route.name, variant: v.name });
      return { requests, ok: {}, duration, ttfb: ttfbChild, upstream, retries, cancelled };
    });
    const shadows = route.shadows.map((s): ShadowChildren => {
      const outcome = {} as Record<ShadowOutcome, PendingCounter>;
      for (const o of SHADOW_OUTCOMES) outcome[o] = this.pendingCount.make(this.shadowRequests.labels(route.name, s.name, o));
      const comparison = {} as Record<ComparisonResult, PendingCounter>;
      for (const c of COMPARISONS) comparison[c] = this.pendingCount.make(this.shadowComparisons.labels(route.name, s.name, c));
      const duration = new PendingHistogram(this.shadowDuration, { route: route.name, shadow: s.name }, LATENCY_BUCKETS, this.pendingHist.mark);
      this.shadowDiff.zero({ route: route.name, shadow: s.name });
      return { outcome, comparison, duration, diff: this.shadowDiff.labels(route.name, s.name) };
    });
    rc = { variants, shadows };
    this.byRoute.set(route, rc);
    return rc;
  }

  response(route: CompiledRoute, variant: number, status: number, assign: Assign, seconds: number, error?: ErrorCode): void {
    const vc = this.bind(route).variants[variant];
    const ok = status === 200 && error === undefined;
    let c = ok ? vc.ok[assign] : undefined;
    if (c === undefined) {
      const code = error ?? NO_ERROR;
      const key = `${status}|${code}|${assign}`;
      c = vc.requests.get(key);
      if (!c) vc.requests.set(key, (c = new PendingCounter(this.requests.labels(route.name, route.variants[variant].name, String(status), code, assign), this.pendingCount)));
      if (ok) vc.ok[assign] = c;
    }
    c.inc();
    vc.duration.observe(seconds);
  }

  ttfb(route: CompiledRoute, variant: number, seconds: number): void {
    this.bind(route).variants[variant].ttfb.observe(seconds);
  }

  rejected(code: ErrorCode, by = 1): void {
    let c = this.rejectedChildren.get(code);
    if (!c) this.rejectedChildren.set(code, (c = this.rejectedTotal.labels(code)));
    c.inc(by);
  }

  upstreamError(route: CompiledRoute, variant: number, reason: UpstreamFailure): void {
    this.bind(route).variants[variant].upstream[reason].inc();
  }

  retry(route: CompiledRoute, variant: number): void {
    this.bind(route).variants[variant].retries.inc();
  }

  shadow(route: CompiledRoute, shadow: number, outcome: ShadowOutcome, seconds?: number): void {
    const sc = this.bind(route).shadows[shadow];
    sc.outcome[outcome].inc();
    if (seconds !== undefined) sc.duration.observe(seconds);
  }

  comparison(route: CompiledRoute, shadow: number, result: ComparisonResult, absDiff?: number): void {
    const sc = this.bind(route).shadows[shadow];
    sc.comparison[result].inc();
    if (absDiff !== undefined) sc.diff.observe(absDiff);
  }

  upstreamCancelled(route: CompiledRoute, variant: number): void {
    this.bind(route).variants[variant].cancelled.inc();
  }

  responseTimedOut(): void {
    this.responseTimeouts.inc();
  }

  inflight(delta: number): void {
    this.inflightCount += delta;
  }
}
