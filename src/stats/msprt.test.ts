import { describe, expect, it } from 'vitest';
import { msprtPValues } from './msprt.ts';

describe('msprtPValues', () => {
  it('follows the normal-mixture likelihood ratio', () => {
    const sigma = 1;
    const tau = 0.5;
    const V = 2;
    const lambda1 = Math.sqrt(V / (V + tau ** 2)) * Math.exp((tau ** 2 * 1.5 ** 2) / (2 * V * (V + tau ** 2)));
    const [p1] = msprtPValues([0], [1.5], sigma, tau);
    expect(p1).toBeCloseTo(Math.min(1, 1 / lambda1), 15);
  });

  it('starts at 1 without evidence and never increases', () => {
    const p = msprtPValues([0, 0, 0, 1, 0], [0, 0, 0, 0, 3], 1, 1);
    expect(p.slice(0, 3)).toEqual([1, 1, 1]);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThanOrEqual(p[i - 1]);
  });

  it('does not overflow for overwhelming evidence', () => {
    const n = 5000;
    const p = msprtPValues(new Array(n).fill(0), new Array(n).fill(10), 1, 1);
    expect(p[n - 1]).toBe(0);
    expect(p.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('rejects unpaired or invalid input', () => {
    expect(() => msprtPValues([1], [1, 2], 1, 1)).toThrow(RangeError);
    expect(() => msprtPValues([1], [1], 0, 1)).toThrow(RangeError);
    expect(() => msprtPValues([1], [1], 1, -1)).toThrow(RangeError);
    expect(() => msprtPValues([Number.NaN], [1], 1, 1)).toThrow(RangeError);
    expect(msprtPValues([], [], 1, 1)).toEqual([]);
  });
});
