import { describe, expect, it } from 'vitest';
import { kstwoSf } from './kstwo.ts';
import { smirnovSf } from './smirnov.ts';

/** Expected values from scipy.stats.kstwo.sf(x, n) / scipy.special.smirnov(n, x). */
function expectRel(actual: number, expected: number, digits = 10): void {
  expect(actual / expected).toBeCloseTo(1, digits);
}

describe('kstwoSf: one case per method region', () => {
  it('trivial ends and Ruben-Gambino closed forms', () => {
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(1, 10)).toBe(0);
    expect(kstwoSf(0.3, 1)).toBe(1); // t <= 0.5
    expect(kstwoSf(0.2, 5)).toBeCloseTo(1 - 120 / 3125, 15); // 1/(2n) < x <= 1/n
    expectRel(kstwoSf(0.95, 10), 1.9531250000000172e-13); // x >= 1 - 1/n
  });

  it('2·smirnov for x >= 0.5 or large n·x²', () => {
    expectRel(kstwoSf(0.6, 4), 0.06740000000000002);
    expectRel(kstwoSf(0.25, 100), 5.408871776434847e-6);
    expectRel(kstwoSf(0.4, 100), 5.947617451361663e-15);
    expectRel(kstwoSf(0.03, 5000), 0.00024159234422666817);
    expectRel(kstwoSf(0.006, 150000), 4.063327425477176e-5);
    expectRel(kstwoSf(0.0015, 2_000_000), 0.00024657290508461606); // n > 10^6 approximation
  });

  it('Durbin matrix, Pomeranz and Pelz-Good', () => {
    expectRel(kstwoSf(0.05, 100), 0.9532159710635725); // Durbin, n <= 140
    expectRel(kstwoSf(0.02, 200), 0.9999948480179858); // Durbin, n > 140
    expectRel(kstwoSf(0.1, 100), 0.2526927570063874); // Pomeranz
    expectRel(kstwoSf(0.02, 5000), 0.03613941395325637); // Pelz-Good
  });

  it('is 0 where n·x² >= 370 and NaN for a bad n', () => {
    expect(kstwoSf(0.3, 5000)).toBe(0);
    expect(kstwoSf(0.1, 2.5)).toBeNaN();
    expect(kstwoSf(Number.NaN, 3)).toBeNaN();
  });

  it('decreases in x', () => {
    for (const n of [7, 140, 3000]) {
      let previous = 1;
      for (let x = 0.001; x < 1; x += 0.003) {
        const p = kstwoSf(x, n);
        expect(p).toBeLessThanOrEqual(previous + 1e-12);
        previous = p;
      }
    }
  });
});

describe('smirnovSf', () => {
  it('matches scipy.special.smirnov', () => {
    expectRel(smirnovSf(5, 0.3), 0.34282);
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 15);
    expectRel(smirnovSf(20, 0.02), 0.970863776549444);
    expectRel(smirnovSf(3, 0.9), 0.0009999999999999994);
    expectRel(smirnovSf(2_000_000, 0.0015), 0.00012328645254230803);
  });

  it('handles its domain edges', () => {
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
    expect(smirnovSf(10, 1.5)).toBeNaN();
    expect(smirnovSf(1000, 0.9)).toBe(0); // sf underflows
  });
});
