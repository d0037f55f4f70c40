import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PendingCounters } from './pending-counter.ts';

describe('PendingCounter', () => {
  it('exports at zero at once, and every increment once the metric is read', async () => {
    const pending = new PendingCounters();
    const reg = new Registry();
    const c = new Counter({ name: 'c_total', help: 'c', labelNames: ['k'], registers: [reg], collect: () => pending.flush() });
    const a = pending.make(c.labels('a'));
    const b = pending.make(c.labels('b'));
    const values = async () => Object.fromEntries((await c.get()).values.map((v) => [v.labels.k, v.value]));
    expect(await values()).toEqual({ a: 0, b: 0 });
    for (let i = 0; i < 5; i++) a.inc();
    b.inc();
    expect(await values()).toEqual({ a: 5, b: 1 });
    a.inc();
    expect(await values()).toEqual({ a: 6, b: 1 });
    expect(await reg.metrics()).toContain('c_total{k="a"} 6');
  });
});
