/**
 * Live request rate, error rate and p99 per route and variant from two samples of the
 * gateway's own counters (modelgate_requests_total, modelgate_request_duration_seconds).
 * Pure: the admin stats route takes the samples (traffic-sample.ts) and keeps a short ring.
 * Errors as analysis/outcome.ts classifies them (the error rate's denominator leaves out the
 * responses it excludes); the p99 is taken from
 * the histogram buckets as Prometheus' histogram_quantile does (linear inside the bucket).
 */

/** Cumulative counts of one route/variant at one instant. */
export interface SeriesSample {
  requests: number;
  /** responses that count for the error rate (analysis/outcome.ts); absent: all of them */
  counted?: number;
  errors: number;
  /** cumulative bucket counts, one per entry of `les` (the last is +Inf) */
  buckets: number[];
}

export interface TrafficSample {
  ts: number;
  /** upper bounds of the latency buckets in seconds, ascending, the last Infinity */
  les: number[];
  /** keyed by `route\u0000variant` */
  series: Map<string, SeriesSample>;
}

export interface VariantRates {
  requests_total: number;
  errors_total: number;
  /** responses per second over the span, null for an empty span */
  rps: number | null;
  /** share of responses over the span with a 5xx status, null without responses */
  error_rate: number | null;
  /** 99th percentile latency over the span in milliseconds, null without responses */
  p99_ms: number | null;
}

export const seriesKey = (route: string, variant: string): string => `${route}\u0000${variant}`;

/** The q-quantile of a histogram given as cumulative bucket counts (histogram_quantile). */
export function bucketQuantile(q: number, les: readonly number[], cumulative: readonly number[]): number | null {
  const total = cumulative[cumulative.length - 1] ?? 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  for (let i = 0; i < les.length; i++) {
    if (cumulative[i] < rank) continue;
    if (les[i] === Infinity) return i > 0 ? les[i - 1] : null;
    const lower = i > 0 ? les[i - 1] : 0;
    const below = i > 0 ? cumulative[i - 1] : 0;
    const inBucket = cumulative[i] - below;
    return inBucket > 0 ? lower + (les[i] - lower) * ((rank - below) / inBucket) : les[i];
  }
  return null;
}

const EMPTY: SeriesSample = { requests: 0, errors: 0, buckets: [] };

/** Rates of one series between `base` and `cur` (a series new since base counts from zero). */
export function ratesBetween(base: TrafficSample, cur: TrafficSample, key: string): VariantRates {
  const now = cur.series.get(key) ?? EMPTY;
  const then = base.series.get(key) ?? EMPTY;
  // a counter that went down was reset (a restart): count from zero again
  const reset = now.requests < then.requests;
  const before = reset ? EMPTY : then;
  const requests = now.requests - before.requests;
  const errors = now.errors - before.errors;
  const counted = (now.counted ?? now.requests) - (before.counted ?? before.requests);
  const span = (cur.ts - base.ts) / 1000;
  const delta = cur.les.map((_, i) => (now.buckets[i] ?? 0) - (before.buckets[i] ?? 0));
  const p99 = bucketQuantile(0.99, cur.les, delta);
  return {
    requests_total: now.requests,
    errors_total: now.errors,
    rps: span > 0 ? requests / span : null,
    error_rate: counted > 0 ? errors / counted : null,
    p99_ms: p99 === null ? null : p99 * 1000,
  };
}

/**
 * Samples kept for at most `windowMs` (plus the one just older, so the span covers the
 * window), at most one per `minGapMs`: the base of a rate is the oldest kept sample.
 */
export class SampleRing {
  private samples: TrafficSample[] = [];
  constructor(
    readonly windowMs: number,
    private readonly minGapMs = 1000,
  ) {}

  /** Records `cur` (if far enough from the last) and returns the base to compare it with. */
  push(cur: TrafficSample): TrafficSample {
    const s = this.samples;
    while (s.length > 1 && s[1].ts <= cur.ts - this.windowMs) s.shift();
    const base = s[0] ?? cur;
    const last = s[s.length - 1];
    if (!last || cur.ts - last.ts >= this.minGapMs) s.push(cur);
    return base;
  }

  get size(): number {
    return this.samples.length;
  }
}
