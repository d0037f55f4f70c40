import { describe, expect, it } from 'vitest';
import { categoricalHistogram, numericHistogram, OTHER } from './histogram.ts';

describe('numericHistogram', () => {
  it('keeps the edges and both count vectors as given (copies)', () => {
    const edges = [1, 2, 3];
    const h = numericHistogram(edges, [1, 2, 3, 4], [0, 0, 5, 5]);
    expect(h).toEqual({ edges: [1, 2, 3], reference: [1, 2, 3, 4], current: [0, 0, 5, 5] });
    edges.push(9);
    expect(h.edges).toEqual([1, 2, 3]);
  });
});

describe('categoricalHistogram', () => {
  it('has one bin per category of either sample, most frequent first, ties by name', () => {
    const h = categoricalHistogram({ de: 5, fr: 3, it: 1 }, new Map([['fr', 4], ['us', 2], ['it', 1]]));
    expect(h).toEqual({ categories: ['fr', 'de', 'it', 'us'], reference: [3, 5, 1, 0], current: [4, 0, 1, 2] });
  });

  it('folds the rarest into one last bin past the limit, counts conserved', () => {
    const ref: Record<string, number> = {};
    const cur = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      ref[`c${String(i).padStart(2, '0')}`] = 100 - i;
      cur.set(`c${String(i).padStart(2, '0')}`, 1);
    }
    const h = categoricalHistogram(ref, cur, 5);
    expect(h.categories).toEqual(['c00', 'c01', 'c02', 'c03', OTHER]);
    expect(h.folded).toBe(26);
    const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
    expect(sum(h.reference)).toBe(Object.values(ref).reduce((s, x) => s + x, 0));
    expect(sum(h.current)).toBe(30);
    expect(h.current[4]).toBe(26);
  });
});
