import { describe, expect, it } from 'vitest';
import { psi, psiFromCounts, psiLevel } from './psi.ts';
import { psiCategorical } from './psi-categorical.ts';

describe('psiFromCounts', () => {
  it('is sum((a - e) ln(a / e)) over shares', () => {
    const expected = (0.75 - 0.5) * Math.log(0.75 / 0.5) + (0.25 - 0.5) * Math.log(0.25 / 0.5);
    expect(psiFromCounts([5, 5], [3, 1])).toBeCloseTo(expected, 15);
  });

  it('replaces an exact zero share by epsilon without renormalising', () => {
    const eps = 1e-4;
    const expected = (eps - 0.5) * Math.log(eps / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    expect(psiFromCounts([1, 1], [0, 4])).toBeCloseTo(expected, 14);
    const custom = (0.01 - 0.5) * Math.log(0.01 / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    expect(psiFromCounts([1, 1], [0, 4], 0.01)).toBeCloseTo(custom, 14);
  });

  it('is 0 for proportional counts and for bins empty on both sides', () => {
    expect(psiFromCounts([1, 2, 0], [10, 20, 0])).toBe(0);
  });

  it('rejects mismatched, negative or all-zero counts', () => {
    expect(() => psiFromCounts([1], [1, 2])).toThrow(RangeError);
    expect(() => psiFromCounts([1, -1], [1, 2])).toThrow(RangeError);
    expect(() => psiFromCounts([0, 0], [1, 2])).toThrow(RangeError);
    expect(() => psiFromCounts([1, 1], [1, 2], 0)).toThrow(RangeError);
  });
});

describe('psi', () => {
  it('is exactly 0 for a sample against itself', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    expect(psi(x, x)).toBe(0);
  });

  it('bins on reference deciles with values on an edge going right', () => {
    const reference = Array.from({ length: 11 }, (_, i) => i); // edges 1..9
    // current all at 9.0: every value sits on the last edge, so it lands in the top bin
    const current = [9, 9, 9, 9];
    const refCounts = [1, 1, 1, 1, 1, 1, 1, 1, 1, 2];
    expect(psi(reference, current)).toBeCloseTo(psiFromCounts(refCounts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 4]), 14);
  });

  it('honours bins and epsilon options', () => {
    const reference = [1, 2, 3, 4, 5, 6, 7, 8];
    const current = [1, 1, 1, 8];
    const two = psi(reference, current, { bins: 2 }); // edge 4.5: current [3, 1], reference [4, 4]
    expect(two).toBeCloseTo(psiFromCounts([4, 4], [3, 1]), 15);
    expect(psi(reference, [100], { bins: 2, epsilon: 0.01 })).toBeCloseTo(psiFromCounts([4, 4], [0, 1], 0.01), 15);
  });

  it('rejects empty samples', () => {
    expect(() => psi([], [1])).toThrow(RangeError);
    expect(() => psi([1], [])).toThrow(RangeError);
  });
});

describe('psiCategorical', () => {
  it('uses one bin per category seen in either sample', () => {
    expect(psiCategorical(['a', 'a', 'b'], ['a', 'b', 'c', 'c'])).toBeCloseTo(
      psiFromCounts([2, 1, 0], [1, 1, 2]),
      15,
    );
  });

  it('treats 1 and "1" as different categories', () => {
    expect(psiCategorical([1, 1], ['1', '1'])).toBeGreaterThan(10);
  });
});

describe('psiLevel', () => {
  it('uses < 0.1 stable, 0.1..0.2 moderate, > 0.2 significant', () => {
    expect(psiLevel(0.05)).toBe('stable');
    expect(psiLevel(0.1)).toBe('moderate');
    expect(psiLevel(0.2)).toBe('moderate');
    expect(psiLevel(0.21)).toBe('significant');
  });

  it('accepts custom thresholds', () => {
    expect(psiLevel(0.3, { moderate: 0.25, significant: 0.5 })).toBe('moderate');
    expect(psiLevel(0.6, { significant: 0.5 })).toBe('significant');
  });
});
