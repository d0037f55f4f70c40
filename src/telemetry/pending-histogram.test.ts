import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PendingHistogram, PendingHistograms } from './pending-histogram.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1];

function pair() {
  const pending = new PendingHistograms();
  const rA = new Registry();
  const rB = new Registry();
  const a = new Histogram({ name: 'h', help: 'h', labelNames: ['route', 'variant'], buckets: BUCKETS, registers: [rA], collect: () => pending.flush() });
  const b = new Histogram({ name: 'h', help: 'h', labelNames: ['route', 'variant'], buckets: BUCKETS, registers: [rB] });
  return { pending, a, b, rA, rB };
}

describe('PendingHistogram', () => {
  it('exports exactly what prom-client observe() exports, bounds and +Inf included', async () => {
    const { pending, a, b, rA, rB } = pair();
    const p1 = new PendingHistogram(a, { route: 'r', variant: 'v1' }, BUCKETS, pending.mark);
    const p2 = new PendingHistogram(a, { route: 'r', variant: 'v2' }, BUCKETS, pending.mark);
    b.zero({ route: 'r', variant: 'v1' });
    b.zero({ route: 'r', variant: 'v2' });
    const values = [0, 0.001, 0.0011, 0.05, 0.1, 0.5, 1, 2, 30, 0.0004];
    for (const v of values) {
      p1.observe(v);
      b.labels('r', 'v1').observe(v);
    }
    p2.observe(0.02);
    b.labels('r', 'v2').observe(0.02);
    expect(await rA.metrics()).toBe(await rB.metrics());
    // a second scrape adds only what came after the first
    p1.observe(0.003);
    b.labels('r', 'v1').observe(0.003);
    expect(await rA.metrics()).toBe(await rB.metrics());
    expect(await rA.metrics()).toBe(await rB.metrics());
  });

  it('after a reset of the metric it writes into the new series', async () => {
    const { pending, a, b, rA, rB } = pair();
    const p = new PendingHistogram(a, { route: 'r', variant: 'v1' }, BUCKETS, pending.mark);
    p.observe(0.5);
    await rA.metrics();
    a.reset();
    p.observe(0.05);
    b.labels('r', 'v1').observe(0.05);
    expect(await rA.metrics()).toBe(await rB.metrics());
  });

  it('a read of the metric applies every pending observation', async () => {
    const { pending, a } = pair();
    const p = new PendingHistogram(a, { route: 'r', variant: 'v1' }, BUCKETS, pending.mark);
    p.observe(0.05);
    p.observe(0.5);
    const m = await a.get();
    const count = m.values.find((v) => v.metricName === 'h_count');
    expect(count?.value).toBe(2);
  });
});
