import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRuns, encodeRuns, layoutSlots, movement, rebalanceSlots, type WeightedName } from './slot-table.ts';

const w = (...pairs: Array<[string, number]>): WeightedName[] => pairs.map(([name, bp]) => ({ name, bp }));
const counts = (owners: string[]) => owners.reduce<Record<string, number>>((m, n) => ((m[n] = (m[n] ?? 0) + 1), m), {});

/** Arbitrary weight vectors of k variants summing to 10000. */
const weights = (k: number) =>
  fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: k - 1, maxLength: k - 1 }).map((cuts) => {
    const s = [0, ...cuts.sort((a, b) => a - b), 10_000];
    return s.slice(1).map((x, i) => x - s[i]);
  });

describe('slot table', () => {
  it('lays variants out as contiguous ranges in declared order', () => {
    const o = layoutSlots(w(['a', 9000], ['b', 1000]));
    expect(o[0]).toBe('a');
    expect(o[8999]).toBe('a');
    expect(o[9000]).toBe('b');
    expect(encodeRuns(o)).toEqual([['a', 9000], ['b', 1000]]);
  });

  it('rejects weights that do not sum to 10000', () => {
    expect(() => layoutSlots(w(['a', 5000], ['b', 4000]))).toThrow(RangeError);
  });

  it('shrinking releases the highest slots; growing takes them in ascending order', () => {
    const before = layoutSlots(w(['a', 9000], ['b', 1000]));
    const after = rebalanceSlots(before, w(['a', 7500], ['b', 2500]));
    expect(encodeRuns(after)).toEqual([['a', 7500], ['b', 2500]]);
    expect(movement(before, after).total).toBeCloseTo(0.15, 12);
  });

  it('moves exactly the sum of positive weight changes, and growing variants keep every slot (3-way, property)', () => {
    fc.assert(
      fc.property(weights(3), weights(3), weights(3), (w0, w1, w2) => {
        const names = ['a', 'b', 'c'];
        const mk = (ws: number[]) => names.map((name, i) => ({ name, bp: ws[i] }));
        let owners = layoutSlots(mk(w0));
        for (const next of [w1, w2]) {
          const before = owners;
          const prev = counts(before);
          owners = rebalanceSlots(before, mk(next));
          const c = counts(owners);
          names.forEach((n, i) => expect(c[n] ?? 0).toBe(next[i]));
          const positive = names.reduce((s, n, i) => s + Math.max(0, next[i] - (prev[n] ?? 0)), 0);
          expect(movement(before, owners).total).toBeCloseTo(positive / 10_000, 12);
          names.forEach((n, i) => {
            if (next[i] >= (prev[n] ?? 0)) for (let s = 0; s < 10_000; s++) if (before[s] === n) expect(owners[s]).toBe(n);
          });
        }
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('an added variant starts at zero and grows; a removed one releases all its slots', () => {
    const before = layoutSlots(w(['a', 5000], ['b', 5000]));
    const added = rebalanceSlots(before, w(['a', 4000], ['b', 5000], ['c', 1000]));
    expect(counts(added)).toEqual({ a: 4000, b: 5000, c: 1000 });
    expect(movement(before, added).total).toBeCloseTo(0.1, 12);
    const removed = rebalanceSlots(added, w(['a', 5000], ['c', 5000]));
    expect(counts(removed)).toEqual({ a: 5000, c: 5000 });
    for (let s = 0; s < 10_000; s++) if (added[s] === 'c') expect(removed[s]).toBe('c');
  });

  it('reordering variants changes nothing', () => {
    const before = layoutSlots(w(['a', 3000], ['b', 7000]));
    expect(rebalanceSlots(before, w(['b', 7000], ['a', 3000]))).toEqual(before);
  });

  it('runs round-trip', () => {
    const o = rebalanceSlots(layoutSlots(w(['a', 3333], ['b', 6667])), w(['a', 5000], ['b', 5000]));
    expect(decodeRuns(encodeRuns(o))).toEqual(o);
  });
});
