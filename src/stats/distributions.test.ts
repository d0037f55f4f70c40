import { describe, expect, it } from 'vitest';
import { chi2Sf, normalQuantile } from './distributions.ts';
import { regularizedGammaQ } from './gamma-q.ts';

describe('normalQuantile', () => {
  it('matches scipy.special.ndtri', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 14);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    // deep tail, where 2p - 1 formulations lose everything
    expect(normalQuantile(1e-20) / -9.262340089798409).toBeCloseTo(1, 13);
  });

  it('handles the domain edges', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});

describe('chi2Sf', () => {
  it('matches scipy.stats.chi2.sf', () => {
    expect(chi2Sf(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
    expect(chi2Sf(2, 2)).toBeCloseTo(Math.exp(-1), 15); // dof 2 is exponential
    // scipy.stats.chi2.sf(1000, 3) = 1.7994208765314067e-216: relative accuracy in the far tail
    expect(chi2Sf(1000, 3) / 1.7994208765314067e-216).toBeCloseTo(1, 10);
    // large dof, where @stdlib gammainc is off by ~1%: scipy.stats.chi2.sf(2100, 1900)
    expect(chi2Sf(2100, 1900) / 0.0008224414057044421).toBeCloseTo(1, 9);
  });

  it('is 1 at x <= 0 and NaN for a bad dof', () => {
    expect(chi2Sf(0, 3)).toBe(1);
    expect(chi2Sf(-1, 3)).toBe(1);
    expect(chi2Sf(1, 0)).toBeNaN();
    expect(chi2Sf(Number.NaN, 1)).toBeNaN();
  });
});

describe('regularizedGammaQ', () => {
  it('covers both the series and the continued fraction', () => {
    expect(regularizedGammaQ(1, 0.5)).toBeCloseTo(Math.exp(-0.5), 15); // series branch
    expect(regularizedGammaQ(1, 5)).toBeCloseTo(Math.exp(-5), 15); // continued fraction
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaQ(3, Number.POSITIVE_INFINITY)).toBe(0);
    expect(regularizedGammaQ(0, 1)).toBeNaN();
  });
});
