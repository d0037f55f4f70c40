import { describe, expect, it } from 'vitest';
import { ExperimentTracker, type Exposure } from './tracker.ts';

const exp = (rid: string, unit: string, variant: string, assign = 'hash', status = 200): Exposure => ({ rid, unit, variant, assign, ts: 0, status, latencyMs: 5 });

describe('ExperimentTracker', () => {
  it('joins outcomes by request id and by unit, summing a unit\'s values', () => {
    const t = new ExperimentTracker(['v1', 'v2'], 100);
    t.expose(exp('r1', 'u1', 'v1'));
    t.expose(exp('r2', 'u2', 'v2'));
    t.expose(exp('r3', 'u1', 'v1')); // a second request of the same unit
    t.outcome({ rid: 'r1', metric: 'revenue', value: 3 }, 0);
    t.outcome({ rid: 'r3', metric: 'revenue', value: 2 }, 0);
    t.outcome({ unit: 'u2', metric: 'revenue', value: 4 }, 0);
    expect(t.arms[0].summary('revenue')).toMatchObject({ units: 1, events: 2, sum: 5, sum_sq: 25, converted: 1 });
    expect(t.arms[1].summary('revenue')).toMatchObject({ units: 1, events: 1, sum: 4, sum_sq: 16 });
    expect(t.arms[0].requests).toBe(2);
    expect(t.counters.matched).toBe(3);
  });

  it('keeps outcomes that arrive before their exposure, then counts the late ones unmatched', () => {
    const t = new ExperimentTracker(['v1', 'v2'], 100);
    t.outcome({ rid: 'r1', metric: 'converted', value: 1 }, 1000);
    t.outcome({ rid: 'gone', metric: 'converted', value: 1 }, 1500);
    expect(t.pending).toBe(2);
    t.expose(exp('r1', 'u1', 'v2'));
    expect(t.pending).toBe(1);
    expect(t.arms[1].summary('converted').converted).toBe(1);
    expect(t.expire(2000, 1000)).toBe(0);
    expect(t.expire(2600, 1000)).toBe(1);
    expect(t.counters).toMatchObject({ matched: 1, unmatched: 1 });
  });

  it('excludes forced, random and non-arm requests, and deduplicates on the outcome id', () => {
    const t = new ExperimentTracker(['v1', 'v2'], 100);
    t.expose(exp('f', 'u1', 'v2', 'forced'));
    t.expose(exp('x', '', 'v1', 'random'));
    t.expose(exp('o', 'u9', 'v3'));
    for (const rid of ['f', 'x', 'o']) t.outcome({ rid, metric: 'm', value: 1 }, 0);
    t.expose(exp('h', 'u2', 'v1'));
    t.outcome({ rid: 'h', metric: 'm', value: 1, id: 'o1' }, 0);
    t.outcome({ rid: 'h', metric: 'm', value: 1, id: 'o1' }, 0);
    expect(t.counters).toMatchObject({ excluded: 3, matched: 1, duplicate: 1 });
    expect(t.unitCount).toBe(1);
    expect(t.arms[0].summary('m').sum).toBe(1);
  });

  it('keeps a unit on its first arm, counts crossovers, and stops admitting units at the bound', () => {
    const t = new ExperimentTracker(['v1', 'v2'], 2);
    t.expose(exp('a', 'u1', 'v1'));
    t.expose(exp('b', 'u1', 'v2'));
    t.expose(exp('c', 'u2', 'v2'));
    t.expose(exp('d', 'u3', 'v2'));
    expect(t.counters.crossovers).toBe(1);
    expect(t.counters.overflow_units).toBe(1);
    expect([t.arms[0].unitCount, t.arms[1].unitCount]).toEqual([1, 1]);
    t.outcome({ rid: 'd', metric: 'm', value: 1 }, 0);
    expect(t.counters.excluded).toBe(1);
  });

  it('gives per-unit values in arrival order (binary: converted or not)', () => {
    const t = new ExperimentTracker(['v1', 'v2'], 100);
    for (let i = 0; i < 4; i++) t.expose(exp(`r${i}`, `u${i}`, 'v1'));
    t.outcome({ rid: 'r2', metric: 'rev', value: 2.5 }, 0);
    t.outcome({ rid: 'r2', metric: 'rev', value: 1 }, 0);
    expect([...t.values(0, 'rev', false)]).toEqual([0, 0, 3.5, 0]);
    expect([...t.values(0, 'rev', true)]).toEqual([0, 0, 1, 0]);
  });

  it('survives a snapshot and restore (a monitor takeover)', () => {
    const t = new ExperimentTracker(['v1', 'v2'], 100);
    t.expose(exp('r1', 'u1', 'v1'));
    t.expose(exp('r2', 'u2', 'v2'));
    t.outcome({ rid: 'r1', metric: 'm', value: 2, id: 'i1' }, 0);
    t.outcome({ rid: 'later', metric: 'm', value: 1 }, 0);
    const copy = ExperimentTracker.restore(['v1', 'v2'], 100, JSON.parse(JSON.stringify(t.snapshot())));
    copy.outcome({ rid: 'r1', metric: 'm', value: 2, id: 'i1' }, 0); // duplicate id, still known
    copy.outcome({ unit: 'u2', metric: 'm', value: 5 }, 0);
    copy.expose(exp('later', 'u1', 'v1'));
    expect(copy.counters).toMatchObject({ duplicate: 1, matched: 3 });
    expect(copy.arms[0].summary('m')).toMatchObject({ units: 1, sum: 3, events: 2 });
    expect(copy.arms[1].summary('m')).toMatchObject({ units: 1, sum: 5 });
    expect(copy.pending).toBe(0);
  });
});
