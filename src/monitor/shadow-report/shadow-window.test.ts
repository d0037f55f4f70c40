import { describe, expect, it } from 'vitest';
import { compareEntryOutputs, ShadowWindow } from './shadow-window.ts';

describe('shadow window', () => {
  it('compares numbers within tolerance and labels by equality', () => {
    expect(compareEntryOutputs([0.5, 0.2], [0.5000001, 0.2], 1e-6).result).toBe('agree');
    expect(compareEntryOutputs([0.5], [0.6], 1e-6)).toMatchObject({ result: 'disagree' });
    expect(compareEntryOutputs(['fraud'], ['fraud'], 0).result).toBe('agree');
    expect(compareEntryOutputs([{ a: 1, b: 'x' }], [{ b: 'x', a: 1 }], 0).result).toBe('agree');
    expect(compareEntryOutputs([1, 2], [1], 0).result).toBe('incomparable');
  });

  it('reports agreement, differences, latency and errors; dropped copies are not errors', () => {
    const w = new ShadowWindow(0.01);
    for (let i = 0; i < 100; i++) {
      const out = i < 80 ? 0.5 : 0.9;
      w.add({ liveOutputs: [0.5], shadowOutputs: [out], shadow: { status: 200, error: undefined, latencyMs: i + 1 }, liveLatencyMs: 5 }, 1000 + i, 0);
    }
    for (let i = 0; i < 10; i++) w.add({ liveOutputs: [0.5], shadowOutputs: [], shadow: { status: 502, error: 'UPSTREAM_UNAVAILABLE', latencyMs: 1 }, liveLatencyMs: 5 }, 2000, 0);
    for (let i = 0; i < 5; i++) w.add({ liveOutputs: [0.5], shadowOutputs: [], shadow: { status: 502, error: 'OVER_CAPACITY', latencyMs: 0 }, liveLatencyMs: 5 }, 2000, 0);
    const s = w.summary();
    expect(s).toMatchObject({ entries: 115, requests: 110, errors: 10, dropped: 5, compared: 100, agreed: 80, agreement_rate: 0.8 });
    expect(s.error_share).toBeCloseTo(10 / 110, 4);
    expect(s.diff.max).toBeCloseTo(0.4, 6);
    expect(s.diff.p50).toBe(0);
    // 110 latencies (1..100 and ten 1s): numpy's linear p99 sits at index 109 * 0.99 = 107.91, between 98 and 99
    expect(s.latency_ms.p99).toBeCloseTo(98.91, 6);
  });
});
