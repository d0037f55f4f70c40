import { describe, expect, it } from 'vitest';
import { close, expandSample, mulberry32 } from './test-samples.ts';

describe('shared deterministic samples', () => {
  it('mulberry32 yields the reference stream (same as scripts/stats-vectors.py)', () => {
    const draw = mulberry32(1);
    // first draws of mulberry32(1), as printed by the Python mirror
    expect([draw(), draw(), draw()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('expands each generator kind', () => {
    expect(expandSample([1, 2])).toEqual([1, 2]);
    const ints = expandSample({ gen: 'int', seed: 3, n: 200, levels: 4, loc: 10 });
    expect(new Set(ints)).toEqual(new Set([10, 11, 12, 13]));
    const normal = expandSample({ gen: 'normal', seed: 4, n: 1000, loc: 5 });
    expect(Math.abs(normal.reduce((a, b) => a + b, 0) / 1000 - 5)).toBeLessThan(0.1);
    const rounded = expandSample({ gen: 'rounded', seed: 5, n: 10 });
    expect(rounded.every((x) => Math.abs(x * 10 - Math.round(x * 10)) < 1e-9)).toBe(true);
    expect(expandSample({ gen: 'uniform', seed: 6, n: 5, scale: 2 }).every((x) => x >= 0 && x < 2)).toBe(true);
  });

  it('close() compares relatively with an absolute floor', () => {
    expect(close(1 + 1e-10, 1, 1e-9)).toBe(true);
    expect(close(1e-13, 0, 1e-6, 1e-12)).toBe(true);
    expect(close(Number.NaN, Number.NaN, 0)).toBe(true);
    expect(close(1, Number.POSITIVE_INFINITY, 1)).toBe(false);
  });
});
