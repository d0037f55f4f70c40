import { describe, expect, it } from 'vitest';
import { binCounts, binIndex, quantileEdges, quantileEdgesSorted, quantileSorted } from './quantile.ts';

describe('quantileSorted (numpy linear)', () => {
  it('interpolates between order statistics', () => {
    // np.quantile([1, 2, 3, 4], [0.25, 0.5, 0.9]) -> [1.75, 2.5, 3.7]
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 15);
  });

  it('returns the end points at q = 0 and q = 1 and the only value of a singleton', () => {
    expect(quantileSorted([2, 5, 9], 0)).toBe(2);
    expect(quantileSorted([2, 5, 9], 1)).toBe(9);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });

  it('interpolates from the upper neighbour when the fraction is >= 0.5 (numpy _lerp)', () => {
    // (n-1)q = 0.75 -> b - (b - a)(1 - 0.75), exact here
    expect(quantileSorted([0, 0.1], 0.75)).toBe(0.1 - (0.1 - 0) * 0.25);
  });
});

describe('quantileEdges', () => {
  it('gives 9 decile edges by default', () => {
    const data = Array.from({ length: 11 }, (_, i) => 10 - i); // 0..10, unsorted
    expect(quantileEdges(data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('honours bins and yields equal edges for a constant sample', () => {
    expect(quantileEdges([4, 4, 4, 4], 4)).toEqual([4, 4, 4]);
    expect(quantileEdges([1, 2], 1)).toEqual([]);
  });

  it('rejects empty, non-finite and unsorted input', () => {
    expect(() => quantileEdges([])).toThrow(RangeError);
    expect(() => quantileEdges([1, Number.NaN])).toThrow(RangeError);
    expect(() => quantileEdges([1, 2], 0)).toThrow(RangeError);
    expect(() => quantileEdgesSorted([2, 1])).toThrow(/sorted/);
  });
});

describe('binIndex / binCounts', () => {
  const edges = [1, 2, 2, 3];
  it('counts the edges <= value, so a value on an edge goes right', () => {
    expect(binIndex(edges, 0.5)).toBe(0);
    expect(binIndex(edges, 1)).toBe(1);
    expect(binIndex(edges, 1.5)).toBe(1);
    expect(binIndex(edges, 2)).toBe(3); // past both equal edges
    expect(binIndex(edges, 3)).toBe(4);
  });

  it('keeps the outer bins open', () => {
    expect(binIndex(edges, -1e300)).toBe(0);
    expect(binIndex(edges, 1e300)).toBe(4);
  });

  it('counts values per bin', () => {
    expect(binCounts([0, 1, 2, 2, 5, 2.5], edges)).toEqual([1, 1, 0, 3, 1]);
    expect(() => binCounts([Number.POSITIVE_INFINITY], edges)).toThrow(RangeError);
  });
});
