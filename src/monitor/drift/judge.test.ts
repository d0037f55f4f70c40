import { describe, expect, it } from 'vitest';
import { syntheticReference } from './synthetic-reference.ts';
import { parseEntry } from '../../predictions/schema.ts';
import { psiFromCounts } from '../../stats/index.ts';
import { judgeWindow, psiStatus, worst, type Thresholds } from './judge.ts';
import { entryFields, makeInstance, mulberry32, normal, type TrafficSpec } from '../runtime/synthetic.ts';
import { windowColumns } from './window-columns.ts';

const T: Thresholds = { psiModerate: 0.1, psiSignificant: 0.2, alpha: 0.01 };
const SPEC: TrafficSpec = { numeric: 4, categorical: 2 };

function reference(seed: number, n: number) {
  return { ...syntheticReference(seed, n, SPEC, { variant: 'v1', model_version: '1' }), version: 1 };
}

function window(seed: number, n: number, spec: TrafficSpec) {
  const rand = mulberry32(seed);
  const gauss = normal(rand);
  return Array.from({ length: n }, (_, i) => {
    const { features, score } = makeInstance(rand, gauss, spec);
    return parseEntry(`1-${i}`, entryFields({ rid: `r${i}`, variant: 'v1' }, features, score));
  });
}

describe('judgeWindow', () => {
  const ref = reference(1, 20_000);

  it('finds nothing in a window from the reference distribution', () => {
    const v = judgeWindow(ref, windowColumns(window(2, 1000, SPEC), ref), T);
    expect(v.status).toBe('stable');
    expect(Object.keys(v.features).sort()).toEqual(['c0', 'c1', 'n0', 'n1', 'n2', 'n3']);
    // E[PSI] under no drift is about (bins - 1) (1/n + 1/N) = 9 (1/1000 + 1/20000) ≈ 0.0095
    for (const c of Object.values(v.features)) expect(c.psi!).toBeLessThan(0.05);
    expect(v.output?.kind).toBe('numeric');
    expect(v.entries).toBe(1000);
  });

  it('carries the histograms its PSI is computed on: the reference counts and the window counts per bin', () => {
    const v = judgeWindow(ref, windowColumns(window(3, 1000, { ...SPEC, shift: { n2: 1 } }), ref), T);
    const n2 = v.features.n2;
    const r = ref.features.n2;
    if (r.kind !== 'numeric') throw new Error('n2 is numeric');
    expect(n2.histogram!.edges).toEqual(r.edges);
    expect(n2.histogram!.reference).toEqual(r.counts);
    expect(n2.histogram!.current.reduce((a, b) => a + b, 0)).toBe(n2.n);
    expect(psiFromCounts(n2.histogram!.reference, n2.histogram!.current)).toBeCloseTo(n2.psi!, 12);
    // shifted up by one sd: the top decile bin holds far more than its 10 %
    expect(n2.histogram!.current[9] / n2.n).toBeGreaterThan(0.3);
    const c0 = v.features.c0;
    const rc = ref.features.c0;
    if (rc.kind !== 'categorical') throw new Error('c0 is categorical');
    expect([...c0.histogram!.categories!].sort()).toEqual(Object.keys(rc.counts).sort());
    expect(c0.histogram!.reference.reduce((a, b) => a + b, 0)).toBe(rc.n);
    expect(psiFromCounts(c0.histogram!.reference, c0.histogram!.current)).toBeCloseTo(c0.psi!, 12);
  });

  it('flags a shifted numeric feature as significant and leaves the others stable', () => {
    const v = judgeWindow(ref, windowColumns(window(3, 1000, { ...SPEC, shift: { n2: 1 } }), ref), T);
    expect(v.features.n2.status).toBe('significant');
    expect(v.features.n2.pvalue_adjusted!).toBeLessThan(1e-10);
    expect(v.features.n2.wasserstein_normalized!).toBeGreaterThan(0.8);
    for (const f of ['n0', 'n1', 'n3', 'c0', 'c1']) expect(v.features[f].status).toBe('stable');
    expect(v.status).toBe('significant');
  });

  it('lets a small p-value alone lift a stable PSI to moderate, never further', () => {
    // shift 0.2 sd: PSI ≈ 0.04 (stable) but KS on 1000 reference points vs 5000 is decisive
    const v = judgeWindow(ref, windowColumns(window(4, 5000, { ...SPEC, shift: { n0: 0.25 } }), ref), T);
    expect(v.features.n0.psi!).toBeLessThan(0.1);
    expect(v.features.n0.pvalue_adjusted!).toBeLessThan(0.01);
    expect(v.features.n0.status).toBe('moderate');
  });

  it('applies Bonferroni over features and output', () => {
    const v = judgeWindow(ref, windowColumns(window(5, 1000, SPEC), ref), T);
    const m = Object.keys(v.features).length + 1;
    for (const c of Object.values(v.features)) expect(c.pvalue_adjusted).toBeCloseTo(Math.min(1, c.pvalue! * m), 12);
  });

  it('judges categorical features with PSI and chi-squared', () => {
    const entries = window(6, 1000, SPEC).map((e, i) =>
      parseEntry(e.id, entryFields({ rid: `x${i}`, variant: 'v1' }, { ...JSON.parse(e.featuresJson)[0], c1: i % 2 ? 'JP' : 'US' }, 0.5)),
    );
    const v = judgeWindow(ref, windowColumns(entries, ref), T);
    expect(v.features.c1.kind).toBe('categorical');
    expect(v.features.c1.test).toBe('chi2');
    expect(v.features.c1.status).toBe('significant');
    expect(v.output?.status).toBe('significant'); // every score 0.5
  });
});

describe('statuses', () => {
  it('maps PSI to levels at the configured edges', () => {
    expect(psiStatus(0.0999, T)).toBe('stable');
    expect(psiStatus(0.1, T)).toBe('moderate');
    expect(psiStatus(0.2, T)).toBe('moderate');
    expect(psiStatus(0.2001, T)).toBe('significant');
  });
  it('takes the worst status, insufficient_data only when nothing else', () => {
    expect(worst(['stable', 'insufficient_data', 'moderate'])).toBe('moderate');
    expect(worst(['insufficient_data'])).toBe('insufficient_data');
    expect(worst([])).toBe('insufficient_data');
  });
});
