import { describe, expect, it } from 'vitest';
import { bucketQuantile, ratesBetween, SampleRing, seriesKey, type TrafficSample } from './traffic-rates.ts';

const LES = [0.01, 0.1, 1, Infinity];
const sample = (ts: number, requests: number, errors: number, buckets: number[]): TrafficSample => ({
  ts,
  les: LES,
  series: new Map([[seriesKey('fraud', 'v1'), { requests, errors, buckets }]]),
});

describe('bucketQuantile', () => {
  it('interpolates inside the bucket that holds the rank, as histogram_quantile', () => {
    // 100 observations: 50 under 10 ms, 50 between 10 and 100 ms
    expect(bucketQuantile(0.5, LES, [50, 100, 100, 100])).toBeCloseTo(0.01);
    expect(bucketQuantile(0.99, LES, [50, 100, 100, 100])).toBeCloseTo(0.01 + 0.09 * (49 / 50));
    expect(bucketQuantile(0.25, LES, [50, 100, 100, 100])).toBeCloseTo(0.005);
  });
  it('answers the highest finite bound when the rank is in +Inf, and null when empty', () => {
    expect(bucketQuantile(0.99, LES, [0, 0, 1, 10])).toBe(1);
    expect(bucketQuantile(0.99, LES, [0, 0, 0, 0])).toBeNull();
  });
});

describe('ratesBetween', () => {
  it('differentiates counters over the span between two samples', () => {
    const r = ratesBetween(sample(0, 100, 1, [100, 100, 100, 100]), sample(2000, 300, 11, [100, 300, 300, 300]), seriesKey('fraud', 'v1'));
    expect(r.rps).toBe(100);
    expect(r.error_rate).toBeCloseTo(10 / 200);
    expect(r.p99_ms!).toBeGreaterThan(10);
    expect(r.p99_ms!).toBeLessThanOrEqual(100);
    expect(r).toMatchObject({ requests_total: 300, errors_total: 11 });
  });
  it('treats a counter that went down as reset, and a quiet series as zero rate with no error rate', () => {
    const reset = ratesBetween(sample(0, 500, 0, [500, 500, 500, 500]), sample(1000, 20, 2, [20, 20, 20, 20]), seriesKey('fraud', 'v1'));
    expect(reset.rps).toBe(20);
    expect(reset.error_rate).toBeCloseTo(0.1);
    const quiet = ratesBetween(sample(0, 5, 0, [5, 5, 5, 5]), sample(1000, 5, 0, [5, 5, 5, 5]), seriesKey('fraud', 'v1'));
    expect(quiet).toMatchObject({ rps: 0, error_rate: null, p99_ms: null });
    expect(ratesBetween(sample(0, 5, 0, []), sample(0, 5, 0, []), seriesKey('fraud', 'v1')).rps).toBeNull();
  });
});

describe('SampleRing', () => {
  it('uses the oldest sample inside the window (or just before it) as the base', () => {
    const ring = new SampleRing(10_000, 1000);
    const s0 = sample(0, 0, 0, []);
    expect(ring.push(s0)).toBe(s0);
    expect(ring.push(sample(500, 1, 0, []))).toBe(s0); // too close: not kept
    expect(ring.size).toBe(1);
    const s1 = sample(5000, 2, 0, []);
    expect(ring.push(s1)).toBe(s0);
    expect(ring.push(sample(12_000, 3, 0, []))).toBe(s0); // s1 is not yet older than the window
    expect(ring.push(sample(16_000, 4, 0, []))).toBe(s1);
    expect(ring.size).toBeLessThanOrEqual(3);
  });
});
