import { describe, expect, it } from 'vitest';
import { exactKsPValue, gcd, outerProbInside, probOutsideSquare } from './ks-exact.ts';

/**
 * Independent brute force: under H0 every interleaving of the two samples is equally likely;
 * count lattice paths (0,0) -> (m,n) that stay strictly inside |x·(L/m) - y·(L/n)| < h.
 */
function bruteForceOutside(m: number, n: number, h: number): number {
  const L = (m / gcd(m, n)) * n;
  const inside = (x: number, y: number) => Math.abs(x * (L / m) - y * (L / n)) < h;
  const grid: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  let total = 1;
  for (let k = 1; k <= n; k++) total = (total * (m + k)) / k; // C(m+n, n)
  for (let x = 0; x <= m; x++) {
    for (let y = 0; y <= n; y++) {
      if (!inside(x, y)) continue;
      grid[x][y] = x === 0 && y === 0 ? 1 : (x > 0 ? grid[x - 1][y] : 0) + (y > 0 ? grid[x][y - 1] : 0);
    }
  }
  return 1 - grid[m][n] / total;
}

describe('exact two-sample KS p-values', () => {
  it('probOutsideSquare matches path counting for equal sizes', () => {
    for (const n of [1, 2, 5, 9, 14]) {
      for (let h = 1; h <= n; h++) {
        expect(probOutsideSquare(n, h)).toBeCloseTo(bruteForceOutside(n, n, h), 12);
      }
    }
  });

  it('outerProbInside matches path counting for unequal sizes', () => {
    for (const [m, n] of [[3, 2], [7, 4], [12, 8], [15, 6], [5, 13], [20, 3]]) {
      const g = gcd(m, n);
      const L = (m / g) * n;
      for (let h = 1; h <= L; h++) {
        expect(outerProbInside(m, n, g, h), `m=${m} n=${n} h=${h}`).toBeCloseTo(bruteForceOutside(m, n, h), 12);
      }
    }
  });

  it('snaps the statistic to a multiple of 1/lcm and reports p = 1 at D = 0', () => {
    expect(exactKsPValue(4, 6, 0.5 + 1e-13)).toEqual({ success: true, statistic: 0.5, pvalue: expect.any(Number) });
    expect(exactKsPValue(4, 6, 0)).toEqual({ success: true, statistic: 0, pvalue: 1 });
  });

  it('gcd', () => {
    expect(gcd(12, 18)).toBe(6);
    expect(gcd(7, 5)).toBe(1);
  });
});
