import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Registry } from 'prom-client';
import { aggregateMetrics } from './registry.ts';

function worker(requests: number, version: number) {
  const r = new Registry();
  new Counter({ name: 'x_requests_total', help: 'h', labelNames: ['code'], registers: [r] }).labels('200').inc(requests);
  new Gauge({ name: 'x_config_version', help: 'h', aggregator: 'min', registers: [r] }).set(version);
  new Gauge({ name: 'x_inflight', help: 'h', registers: [r] }).set(requests);
  return r.getMetricsAsJSON();
}

describe('aggregateMetrics', () => {
  it('sums counters and plain gauges over processes, and takes the min where a gauge says so', async () => {
    const text = await aggregateMetrics([await worker(3, 7), await worker(4, 6)]);
    expect(text).toMatch(/^x_requests_total\{code="200"\} 7$/m);
    expect(text).toMatch(/^x_inflight 7$/m);
    expect(text).toMatch(/^x_config_version 6$/m);
  });
});
