import { describe, expect, it } from 'vitest';
import { bonferroni } from './bonferroni.ts';
import { clipProbability, ldexp, meanAndStd, roundHalfEven } from './numeric.ts';

describe('numeric helpers', () => {
  it('roundHalfEven rounds exact halves to even, like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it('ldexp scales by powers of two beyond the double exponent range in steps', () => {
    expect(ldexp(1, 10)).toBe(1024);
    expect(ldexp(2 ** 600, -1500)).toBe(2 ** -900);
    expect(ldexp(2 ** -600, 1500)).toBe(2 ** 900);
  });

  it('clipProbability and meanAndStd', () => {
    expect([-1e-17, 0.3, 1 + 1e-15].map(clipProbability)).toEqual([0, 0.3, 1]);
    expect(clipProbability(Number.NaN)).toBeNaN();
    expect(meanAndStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
  });
});

describe('bonferroni', () => {
  it('multiplies by the number of tests, capped at 1', () => {
    expect(bonferroni([0.01, 0.2, 0.0001])).toEqual([0.03, 0.6000000000000001, 0.00030000000000000003]);
    expect(bonferroni([0.5, 0.6])).toEqual([1, 1]);
    expect(bonferroni([])).toEqual([]);
  });
});
