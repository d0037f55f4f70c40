/** Property tests (fast-check) for invariants that hold for every input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chi2Contingency } from './chi2.ts';
import { jensenShannonDistance } from './jensen-shannon.ts';
import { ks2samp } from './ks-2samp.ts';
import { msprtPValues } from './msprt.ts';
import { psi, psiFromCounts } from './psi.ts';
import { quantileEdges } from './quantile.ts';
import { wasserstein1 } from './wasserstein.ts';

const value = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const sample = fc.array(value, { minLength: 1, maxLength: 60 });
// Small integer-valued samples force ties and values sitting exactly on bin edges.
const tiedSample = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 60 });
const counts = (length: number) => fc.array(fc.nat({ max: 1000 }), { minLength: length, maxLength: length });
const countPair = fc
  .integer({ min: 1, max: 12 })
  .chain((k) => fc.tuple(counts(k), counts(k)))
  .filter(([p, q]) => p.some((c) => c > 0) && q.some((c) => c > 0));

describe('properties', () => {
  it('psi >= 0, and psi of a sample against itself is 0', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tiedSample), fc.oneof(sample, tiedSample), (reference, current) => {
        expect(psi(reference, current)).toBeGreaterThanOrEqual(0);
        expect(psi(reference, reference)).toBe(0);
      }),
    );
  });

  it('psiFromCounts >= 0 and is 0 for identical counts', () => {
    fc.assert(
      fc.property(countPair, ([p, q]) => {
        expect(psiFromCounts(p, q)).toBeGreaterThanOrEqual(0);
        expect(psiFromCounts(p, p)).toBe(0);
      }),
    );
  });

  it('quantile edges are non-decreasing and within the sample range', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tiedSample), fc.integer({ min: 1, max: 20 }), (x, bins) => {
        const edges = quantileEdges(x, bins);
        expect(edges).toHaveLength(bins - 1);
        const lo = Math.min(...x);
        const hi = Math.max(...x);
        edges.forEach((e, i) => {
          expect(e).toBeGreaterThanOrEqual(lo);
          expect(e).toBeLessThanOrEqual(hi);
          if (i > 0) expect(e).toBeGreaterThanOrEqual(edges[i - 1]);
        });
      }),
    );
  });

  it('Jensen-Shannon distance is symmetric and lies in [0, 1]', () => {
    fc.assert(
      fc.property(countPair, ([p, q]) => {
        const d = jensenShannonDistance(p, q);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1 + 1e-12);
        expect(Math.abs(d - jensenShannonDistance(q, p))).toBeLessThanOrEqual(1e-12);
        expect(jensenShannonDistance(p, p)).toBe(0);
      }),
    );
  });

  it('KS statistic and p-value lie in [0, 1] and are symmetric', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tiedSample), fc.oneof(sample, tiedSample), (x, y) => {
        const r = ks2samp(x, y);
        expect(r.statistic).toBeGreaterThanOrEqual(0);
        expect(r.statistic).toBeLessThanOrEqual(1);
        expect(r.pvalue).toBeGreaterThanOrEqual(0);
        expect(r.pvalue).toBeLessThanOrEqual(1);
        expect(ks2samp(y, x)).toEqual(r);
        expect(ks2samp(x, x)).toEqual({ statistic: 0, pvalue: 1 });
      }),
    );
  });

  it('Wasserstein-1 is a symmetric, non-negative distance that measures shifts', () => {
    fc.assert(
      fc.property(sample, sample, fc.double({ min: -100, max: 100, noNaN: true }), (u, v, shift) => {
        const d = wasserstein1(u, v);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(Math.abs(d - wasserstein1(v, u))).toBeLessThanOrEqual(1e-9 * (1 + d));
        expect(wasserstein1(u, u)).toBe(0);
        const shifted = u.map((x) => x + shift);
        expect(Math.abs(wasserstein1(u, shifted) - Math.abs(shift))).toBeLessThanOrEqual(1e-6);
      }),
    );
  });

  it('chi-squared p-values lie in [0, 1]', () => {
    fc.assert(
      fc.property(countPair, ([p, q]) => {
        const r = chi2Contingency(p, q);
        expect(r.statistic).toBeGreaterThanOrEqual(0);
        expect(r.pvalue).toBeGreaterThanOrEqual(0);
        expect(r.pvalue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('mSPRT p-values are non-increasing and lie in [0, 1]', () => {
    const pairs = fc.array(fc.tuple(value, value), { maxLength: 200 });
    const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(pairs, positive, positive, (observations, sigma, tau) => {
        const p = msprtPValues(
          observations.map(([a]) => a),
          observations.map(([, b]) => b),
          sigma,
          tau,
        );
        p.forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
          if (i > 0) expect(v).toBeLessThanOrEqual(p[i - 1]);
        });
      }),
    );
  });
});
