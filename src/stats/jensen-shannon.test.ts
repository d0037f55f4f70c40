import { describe, expect, it } from 'vitest';
import { jensenShannonDistance } from './jensen-shannon.ts';

describe('jensenShannonDistance (base 2)', () => {
  it('is 0 for identical and 1 for disjoint distributions', () => {
    expect(jensenShannonDistance([0.2, 0.8], [0.2, 0.8])).toBe(0);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(1, 15);
  });

  it('normalises its inputs', () => {
    expect(jensenShannonDistance([1, 2, 3], [4, 5, 6])).toBeCloseTo(
      jensenShannonDistance([1 / 6, 2 / 6, 3 / 6], [4 / 15, 5 / 15, 6 / 15]),
      15,
    );
  });

  it('matches scipy.spatial.distance.jensenshannon([1, 0, 0], [0.5, 0.5, 0], base=2)', () => {
    // m = [0.75, 0.25, 0]; js = (log2(4/3) + 0.5 log2(2/3) + 0.5 log2(2)) / 2
    const js = (Math.log2(4 / 3) + 0.5 * Math.log2(0.5 / 0.75) + 0.5 * Math.log2(0.5 / 0.25)) / 2;
    expect(jensenShannonDistance([1, 0, 0], [0.5, 0.5, 0])).toBeCloseTo(Math.sqrt(js), 15);
  });

  it('is NaN for an all-zero vector and rejects bad input', () => {
    expect(jensenShannonDistance([0, 0], [1, 1])).toBeNaN();
    expect(() => jensenShannonDistance([1], [1, 2])).toThrow(RangeError);
    expect(() => jensenShannonDistance([1, -1], [1, 2])).toThrow(RangeError);
  });
});
