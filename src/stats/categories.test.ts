import { describe, expect, it } from 'vitest';
import { countCategories } from './categories.ts';

describe('countCategories', () => {
  it('aligns counts in first-seen order, reference first', () => {
    expect(countCategories(['b', 'a', 'b'], ['c', 'a'])).toEqual({
      categories: ['b', 'a', 'c'],
      reference: [2, 1, 0],
      current: [0, 1, 1],
    });
  });

  it('handles empty samples', () => {
    expect(countCategories([], [])).toEqual({ categories: [], reference: [], current: [] });
  });
});
