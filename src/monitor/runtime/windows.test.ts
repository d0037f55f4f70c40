import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../predictions/schema.ts';
import { RecentKeys } from './dedupe.ts';
import { TumblingWindows } from './windows.ts';

const e = (i: number, variant = 'v1', ts = 1000 + i, role = 'live') => parseEntry(`${ts}-${i}`, ['ts', String(ts), 'rid', `r${i}`, 'variant', variant, 'role', role, 'status', '200']);

describe('TumblingWindows', () => {
  it('closes a window per (role, variant) every maxEntries entries', () => {
    const w = new TumblingWindows({ maxEntries: 3, maxMs: 0 });
    const closed = [];
    for (let i = 0; i < 7; i++) closed.push(...w.add(e(i, i % 2 ? 'v2' : 'v1')));
    closed.push(...w.add(e(50, 'v1', 2000, 'shadow')));
    // v1 gets entries 0 2 4 6, v2 gets 1 3 5; the shadow entry opens its own window
    expect(closed.map((x) => [x.key, x.entries.length, x.closedBy])).toEqual([['live:v1', 3, 'count'], ['live:v2', 3, 'count']]);
    expect(closed[0].entries.map((x) => x.rid)).toEqual(['r0', 'r2', 'r4']);
    expect(w.held).toBe(2);
  });

  it('closes by entry time, and on the wall clock when asked', () => {
    const w = new TumblingWindows({ maxEntries: 100, maxMs: 50 });
    expect(w.add(e(0, 'v1', 1000))).toEqual([]);
    expect(w.add(e(1, 'v1', 1049))).toEqual([]);
    const closed = w.add(e(2, 'v1', 1050));
    expect(closed.map((x) => [x.entries.length, x.closedBy, x.startTs, x.endTs])).toEqual([[2, 'time', 1000, 1049]]);
    expect(w.tick(1099)).toEqual([]);
    expect(w.tick(1100).map((x) => x.entries.length)).toEqual([1]);
    expect(w.held).toBe(0);
  });

  it('refuses windows without any limit', () => {
    expect(() => new TumblingWindows({ maxEntries: 0, maxMs: 0 })).toThrow();
  });
});

describe('RecentKeys', () => {
  it('reports repeats and forgets the oldest past its capacity', () => {
    const k = new RecentKeys(2);
    expect([k.firstTime('a'), k.firstTime('a'), k.firstTime('b'), k.firstTime('c'), k.firstTime('a')]).toEqual([true, false, true, true, true]);
    expect(k.size).toBe(2);
  });
});
