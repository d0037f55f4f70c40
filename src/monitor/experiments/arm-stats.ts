/**
 * One arm's running aggregates (pure): requests, errors and recent latencies of its hash-assigned
 * live requests (counted as analysis/outcome.ts classifies them: excluded ones not at all); its units in arrival order; per outcome metric the per-unit sums and the
 * aggregates over units (events, sum, sum of squares, units with a positive sum). A unit's
 * value is the sum of its outcome values, so sum/sumsq are kept exact as values grow.
 */
import type { Outcome } from '../../analysis/outcome.ts';
import { percentile } from '../../analysis/quantiles.ts';

export const LATENCY_SAMPLES = 5000;

interface MetricAgg {
  events: number;
  sum: number;
  sumsq: number;
  /** units whose value is > 0 (conversions, for a binary metric) */
  positive: number;
  /** arrival position -> the unit's value (absent: 0) */
  values: Map<number, number>;
}

export interface MetricSummary {
  units: number;
  events: number;
  sum: number;
  sum_sq: number;
  converted: number;
  conversion_rate: number | null;
  mean: number | null;
  variance: number | null;
}

export interface ArmSnapshot {
  requests: number;
  errors: number;
  latencies: number[];
  units: number[];
  metrics: Record<string, { events: number; sum: number; sumsq: number; positive: number; values: [number, number][] }>;
}

export class ArmStats {
  requests = 0;
  errors = 0;
  private latencies: number[] = [];
  private latencyNext = 0;
  /** unit indices in arrival order */
  private units: number[] = [];
  private readonly metrics = new Map<string, MetricAgg>();

  get unitCount(): number {
    return this.units.length;
  }

  request(outcome: Outcome, latencyMs: number): void {
    if (outcome === 'excluded') return;
    this.requests++;
    if (outcome === 'error') this.errors++;
    if (this.latencies.length < LATENCY_SAMPLES) this.latencies.push(latencyMs);
    else this.latencies[this.latencyNext] = latencyMs;
    this.latencyNext = (this.latencyNext + 1) % LATENCY_SAMPLES;
  }

  /** p-quantile (0..1) of the recent latencies (analysis/quantiles.ts), or null without any */
  latencyQuantile(p: number): number | null {
    return percentile(this.latencies, p);
  }

  /** Adds a unit; returns its arrival position. */
  addUnit(unitIndex: number): number {
    this.units.push(unitIndex);
    return this.units.length - 1;
  }

  unitIndices(): readonly number[] {
    return this.units;
  }

  hasMetric(metric: string): boolean {
    return this.metrics.has(metric);
  }

  metricNames(): string[] {
    return [...this.metrics.keys()];
  }

  addOutcome(pos: number, metric: string, value: number): void {
    let m = this.metrics.get(metric);
    if (!m) this.metrics.set(metric, (m = { events: 0, sum: 0, sumsq: 0, positive: 0, values: new Map() }));
    const old = m.values.get(pos) ?? 0;
    const now = old + value;
    m.values.set(pos, now);
    m.events++;
    m.sum += value;
    m.sumsq += now * now - old * old;
    m.positive += (now > 0 ? 1 : 0) - (old > 0 ? 1 : 0);
  }

  /** per-unit values in arrival order; binary: 1 when the unit's sum is > 0 */
  values(metric: string, binary: boolean): Float64Array {
    const out = new Float64Array(this.units.length);
    const m = this.metrics.get(metric);
    if (m) for (const [pos, v] of m.values) out[pos] = binary ? (v > 0 ? 1 : 0) : v;
    return out;
  }

  summary(metric: string): MetricSummary {
    const n = this.units.length;
    const m = this.metrics.get(metric);
    const sum = m?.sum ?? 0;
    const sumsq = m?.sumsq ?? 0;
    const mean = n > 0 ? sum / n : null;
    const variance = n > 1 && mean !== null ? Math.max(0, (sumsq - n * mean * mean) / (n - 1)) : null;
    return { units: n, events: m?.events ?? 0, sum, sum_sq: sumsq, converted: m?.positive ?? 0, conversion_rate: n > 0 ? (m?.positive ?? 0) / n : null, mean, variance };
  }

  snapshot(): ArmSnapshot {
    const metrics: ArmSnapshot['metrics'] = {};
    for (const [name, m] of this.metrics) metrics[name] = { events: m.events, sum: m.sum, sumsq: m.sumsq, positive: m.positive, values: [...m.values] };
    return { requests: this.requests, errors: this.errors, latencies: [...this.latencies], units: [...this.units], metrics };
  }

  restore(s: ArmSnapshot): void {
    this.requests = s.requests;
    this.errors = s.errors;
    this.latencies = [...s.latencies].slice(-LATENCY_SAMPLES);
    this.latencyNext = this.latencies.length % LATENCY_SAMPLES;
    this.units = [...s.units];
    this.metrics.clear();
    for (const [name, m] of Object.entries(s.metrics)) this.metrics.set(name, { events: m.events, sum: m.sum, sumsq: m.sumsq, positive: m.positive, values: new Map(m.values) });
  }
}
