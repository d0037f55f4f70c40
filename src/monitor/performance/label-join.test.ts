import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../predictions/schema.ts';
import { LabelJoin, type Pair } from './label-join.ts';
import { buildReport } from './performance-report.ts';
import { QualityWindows } from './quality-windows.ts';

const entry = (rid: string, o: { role?: string; variant?: string; unit?: string; ts?: number; prediction?: unknown; status?: number; error?: string }) =>
  parseEntry(`${o.ts ?? 1000}-0`, ['ts', String(o.ts ?? 1000), 'rid', rid, 'role', o.role ?? 'live', 'variant', o.variant ?? 'v1', 'unit', o.unit ?? '', 'status', String(o.status ?? 200), 'prediction', JSON.stringify(o.prediction ?? [0.5]), ...(o.error ? ['error', o.error] : [])]);

function join(capacity = 100, task: 'binary' | 'regression' | 'classes' = 'binary') {
  const pairs: Pair[] = [];
  const j = new LabelJoin({ task, threshold: 0.5 }, capacity, 60_000, (p) => pairs.push(p));
  return { j, pairs };
}

describe('LabelJoin', () => {
  it('joins a label by request id to the live and shadow predictions of the request', () => {
    const { j, pairs } = join();
    j.addPrediction(entry('r1', { prediction: [0.8] }));
    j.addPrediction(entry('r1', { role: 'shadow', variant: 'v3', prediction: [[0.4, 0.6]] }));
    j.addLabel({ rid: 'r1', label: 1, index: 0 }, 2000);
    expect(pairs).toEqual([
      { role: 'live', name: 'v1', ts: 1000, value: 0.8, label: 1 },
      { role: 'shadow', name: 'v3', ts: 1000, value: 0.6, label: 1 },
    ]);
    expect(j.counters.matched).toBe(1);
  });

  it('waits for a prediction that arrives after its label, shadows logged late included', () => {
    const { j, pairs } = join();
    j.addLabel({ rid: 'r2', label: 0, index: 1 }, 0);
    expect(j.pending).toBe(1);
    j.addPrediction(entry('r2', { prediction: [0.1, 0.3] }));
    j.addPrediction(entry('r2', { role: 'shadow', variant: 'v3', prediction: [0.2, 0.4] }));
    j.addPrediction(entry('r2', { role: 'shadow', variant: 'v3', prediction: [0.2, 0.4] })); // at-least-once repeat
    expect(pairs.map((p) => [p.role, p.value])).toEqual([['live', 0.3], ['shadow', 0.4]]);
    expect(j.pending).toBe(0);
  });

  it('joins by unit to the live request closest in time within the tolerance', () => {
    const { j, pairs } = join();
    j.addPrediction(entry('a', { unit: 'u1', ts: 10_000, prediction: [0.1] }));
    j.addPrediction(entry('b', { unit: 'u1', ts: 50_000, prediction: [0.2] }));
    j.addPrediction(entry('c', { unit: 'u2', ts: 49_000, prediction: [0.3] }));
    j.addLabel({ unit: 'u1', ts: 45_000, label: 1, index: 0 }, 0);
    j.addLabel({ unit: 'u1', ts: 500_000, label: 1, index: 0 }, 0); // nothing within 60 s: waits
    expect(pairs).toEqual([{ role: 'live', name: 'v1', ts: 50_000, value: 0.2, label: 1 }]);
    expect(j.pending).toBe(1);
    expect(j.wanted(10)).toEqual([{ ts: 500_000, unit: 'u1', rid: undefined }]);
    expect(j.wanted(10)).toEqual([]); // asked once
    expect(j.expire(700_000, 600_000)).toBe(1);
    expect(j.counters.unmatched).toBe(1);
  });

  it('counts duplicates, invalid labels and unusable predictions', () => {
    const { j, pairs } = join();
    j.addPrediction(entry('r', { prediction: [0.7] }));
    j.addPrediction(entry('e', { status: 502, error: 'UPSTREAM_ERROR', prediction: [] }));
    j.addPrediction(entry('x', { prediction: [{ a: 1, b: 2 }] }));
    j.addLabel({ rid: 'r', label: 1, index: 0, id: 'L1' }, 0);
    j.addLabel({ rid: 'r', label: 0, index: 0 }, 0); // second label of a request
    j.addLabel({ rid: 'other', label: 1, index: 0, id: 'L1' }, 0); // repeated id
    j.addLabel({ rid: 'r', label: 2, index: 0 }, 0); // not 0/1
    j.addLabel({ rid: 'e', label: 1, index: 0 }, 0);
    j.addLabel({ rid: 'x', label: 1, index: 0 }, 0);
    expect(pairs).toHaveLength(1);
    expect(j.counters).toEqual({ matched: 3, unmatched: 0, duplicate: 2, invalid_label: 1, invalid_prediction: 2 });
  });

  it('keeps at most `capacity` requests, oldest dropped first', () => {
    const { j, pairs } = join(100);
    for (let i = 0; i < 150; i++) j.addPrediction(entry(`r${i}`, { unit: `u${i}`, ts: i }));
    expect(j.size).toBe(100);
    j.addLabel({ rid: 'r10', label: 1, index: 0 }, 0);
    j.addLabel({ rid: 'r120', label: 1, index: 0 }, 0);
    expect(pairs.map((p) => p.ts)).toEqual([120]);
  });
});

describe('LabelJoin.resolveFrom (predictions read back from the stream)', () => {
  it('joins waiting labels to old predictions without pushing recent ones out of the index', () => {
    const { j, pairs } = join(100);
    const old = [entry('old', { unit: 'u-old', ts: 5_000, prediction: [0.9] }), entry('old', { role: 'shadow', variant: 'v3', ts: 5_000, prediction: [0.1] })];
    for (let i = 0; i < 100; i++) j.addPrediction(entry(`r${i}`, { ts: 100_000 + i }));
    j.addLabel({ unit: 'u-old', ts: 5_100, label: 1, index: 0 }, 0);
    j.addLabel({ rid: 'old', ts: 5_000, label: 0, index: 0 }, 0); // a second label of the same request
    expect(j.wanted(10)).toHaveLength(2);
    j.resolveFrom(old);
    expect(pairs).toEqual([
      { role: 'live', name: 'v1', ts: 5_000, value: 0.9, label: 1 },
      { role: 'shadow', name: 'v3', ts: 5_000, value: 0.1, label: 1 },
    ]);
    expect(j.counters).toMatchObject({ matched: 1, duplicate: 1 });
    expect([j.size, j.pending]).toEqual([100, 0]);
    j.addLabel({ rid: 'r0', label: 1, index: 0 }, 0);
    expect(pairs).toHaveLength(3);
  });
});

describe('QualityWindows and the report', () => {
  it('scores each window and all kept windows together, expiring old ones', () => {
    const q = new QualityWindows(1000, 2, 3);
    const add = (ts: number, value: number, label: number, name = 'v1') => q.add({ role: 'live', name, ts, value, label });
    // window 0: the scikit-learn example (AUC 0.75); window 1000: perfect ranking
    [[0.1, 0], [0.4, 0], [0.35, 1]].forEach(([v, y], i) => add(i, v, y));
    add(3, 0.8, 1); // a fourth pair in window 0: over maxPairs 3
    add(1500, 0.2, 0);
    add(1600, 0.9, 1);
    add(2100, 0.5, 1); // window 2000: window 0 is no longer kept
    add(10, 0.5, 1); // too old now
    expect(q.expired).toBe(1);
    const r = buildReport({ route: 'fraud', cfg: { task: 'binary', threshold: 0.5 }, windowMs: 1000, keep: 2, windows: q.list(), variants: ['v1', 'v2'], shadows: [], labels: { matched: 0, unmatched: 0, duplicate: 0, invalid_label: 0, invalid_prediction: 0, expired: 1, pending: 0 }, now: 0 });
    expect(r.variants.v1.windows.map((w) => [w.start, w.labels, w.auc])).toEqual([[1000, 2, 1], [2000, 1, null]]);
    // together: scores 0.2 (y 0), 0.9 (y 1), 0.5 (y 1): both positives beat the negative
    expect(r.variants.v1.auc).toBe(1);
    expect(r.variants.v1.labels).toBe(3);
    expect(r.variants.v2).toMatchObject({ labels: 0, auc: null, log_loss: null });
    expect(r.status).toBe('ok');
  });

  it('survives a snapshot and restore (the takeover state), pruning to the kept windows', () => {
    const q = new QualityWindows(1000, 3, 10);
    for (const ts of [0, 1500, 2500]) q.add({ role: 'live', name: 'v1', ts, value: 0.4, label: 1 });
    q.add({ role: 'live', name: 'v1', ts: -5000, value: 0.4, label: 1 }); // expired
    const snap = JSON.parse(JSON.stringify(q.snapshot()));
    const r = QualityWindows.restore(1000, 2, 10, snap); // fewer windows kept now
    expect(r.list().map((w) => [w.start, w.arms['live:v1'].values])).toEqual([[1000, [0.4]], [2000, [0.4]]]);
    expect(r.expired).toBe(1);
  });

  it('counts overflow per window', () => {
    const q = new QualityWindows(1000, 2, 3);
    for (let i = 0; i < 5; i++) q.add({ role: 'shadow', name: 's', ts: i, value: i % 2, label: i % 2 });
    const r = buildReport({ route: 'x', cfg: { task: 'classes', threshold: 0.5 }, windowMs: 1000, keep: 2, windows: q.list(), variants: [], shadows: ['s'], labels: { matched: 0, unmatched: 0, duplicate: 0, invalid_label: 0, invalid_prediction: 0, expired: 0, pending: 0 }, now: 0 });
    expect(r.shadows.s).toMatchObject({ role: 'shadow', labels: 3, overflow: 2, accuracy: 1 });
  });
});
