/**
 * Judges one window against a reference (DESIGN.md "Drift statistics conventions" and the
 * drift report rules). Pure.
 * - numeric: PSI on the reference's decile bins, KS (statistic, p-value), Wasserstein-1
 *   divided by the reference standard deviation;
 * - categorical: PSI over the categories seen in either sample, chi-squared contingency;
 * - each column also carries the histograms behind its PSI (histogram.ts);
 * - status: the PSI level; a Bonferroni-corrected p-value below `alpha` lifts a stable PSI to
 *   `moderate` and never further. The variant's status is its worst feature or output.
 */
import { binCounts, chi2Contingency, ks2sampSorted, psiFromCounts, wasserstein1Sorted } from '../../stats/index.ts';
import type { CategoricalReference, NumericReference, Reference, VariantBaseline } from './baseline.ts';
import { categoricalHistogram, numericHistogram, type ColumnHistogram } from './histogram.ts';
import type { CategoricalColumn, Column, NumericColumn, WindowColumns } from './window-columns.ts';

export type Status = 'stable' | 'moderate' | 'significant' | 'insufficient_data';

export interface Thresholds {
  psiModerate: number;
  psiSignificant: number;
  alpha: number;
}

export interface ColumnResult {
  kind: 'numeric' | 'categorical';
  status: Status;
  psi: number | null;
  test: 'ks' | 'chi2';
  statistic: number | null;
  pvalue: number | null;
  /** Bonferroni-corrected over the variant's features and output */
  pvalue_adjusted: number | null;
  /** numeric only: Wasserstein-1 / reference std */
  wasserstein_normalized?: number | null;
  n: number;
  missing: number;
  /** the reference's and this window's counts per bin (absent on a column with no values) */
  histogram?: ColumnHistogram;
}

export interface VariantVerdict {
  status: Status;
  entries: number;
  instances: number;
  features: Record<string, ColumnResult>;
  output: ColumnResult | null;
}

const RANK: Record<Status, number> = { insufficient_data: -1, stable: 0, moderate: 1, significant: 2 };

export const worst = (statuses: Status[]): Status =>
  statuses.reduce<Status>((w, s) => (RANK[s] > RANK[w] ? s : w), 'insufficient_data');

export function psiStatus(psi: number, t: Thresholds): Status {
  if (!(psi >= t.psiModerate)) return 'stable';
  return psi > t.psiSignificant ? 'significant' : 'moderate';
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function numericResult(ref: NumericReference, col: NumericColumn): ColumnResult {
  const n = col.sorted.length;
  if (n === 0) return { kind: 'numeric', status: 'insufficient_data', psi: null, test: 'ks', statistic: null, pvalue: null, pvalue_adjusted: null, wasserstein_normalized: null, n, missing: col.missing };
  const counts = binCounts(col.sorted, ref.edges);
  const psi = psiFromCounts(ref.counts, counts);
  const ks = ks2sampSorted(ref.sample, col.sorted);
  const w = wasserstein1Sorted(ref.sample, col.sorted);
  const wn = ref.std > 0 ? w / ref.std : w === 0 ? 0 : Number.POSITIVE_INFINITY;
  return { kind: 'numeric', status: 'stable', psi: finite(psi), test: 'ks', statistic: finite(ks.statistic), pvalue: finite(ks.pvalue), pvalue_adjusted: null, wasserstein_normalized: finite(wn), n, missing: col.missing, histogram: numericHistogram(ref.edges, ref.counts, counts) };
}

function categoricalResult(ref: CategoricalReference, col: CategoricalColumn): ColumnResult {
  const n = col.n;
  if (n === 0) return { kind: 'categorical', status: 'insufficient_data', psi: null, test: 'chi2', statistic: null, pvalue: null, pvalue_adjusted: null, n, missing: col.missing };
  const cats = new Set([...Object.keys(ref.counts), ...col.counts.keys()]);
  const r: number[] = [];
  const c: number[] = [];
  for (const k of cats) {
    r.push(ref.counts[k] ?? 0);
    c.push(col.counts.get(k) ?? 0);
  }
  const psi = psiFromCounts(r, c);
  const chi = cats.size > 1 ? chi2Contingency(r, c) : { statistic: 0, pvalue: 1 };
  return { kind: 'categorical', status: 'stable', psi: finite(psi), test: 'chi2', statistic: finite(chi.statistic), pvalue: finite(chi.pvalue), pvalue_adjusted: null, n, missing: col.missing, histogram: categoricalHistogram(ref.counts, col.counts) };
}

function columnResult(ref: Reference, col: Column | undefined | null): ColumnResult | null {
  if (!col) return null;
  if (ref.kind === 'numeric' && col.kind === 'numeric') return numericResult(ref, col);
  if (ref.kind === 'categorical' && col.kind === 'categorical') return categoricalResult(ref, col);
  return null;
}

export function judgeWindow(ref: VariantBaseline, cols: WindowColumns, t: Thresholds): VariantVerdict {
  const features: Record<string, ColumnResult> = {};
  for (const [name, r] of Object.entries(ref.features)) {
    const res = columnResult(r, cols.features.get(name));
    if (res) features[name] = res;
  }
  const output = ref.output ? columnResult(ref.output, cols.output) : null;
  const all = [...Object.values(features), ...(output ? [output] : [])];
  const tested = all.filter((x) => x.pvalue !== null).length;
  for (const x of all) {
    if (x.status === 'insufficient_data') continue;
    x.pvalue_adjusted = x.pvalue === null ? null : Math.min(1, x.pvalue * tested);
    const level = x.psi === null ? 'stable' : psiStatus(x.psi, t);
    const byTest: Status = x.pvalue_adjusted !== null && x.pvalue_adjusted < t.alpha ? 'moderate' : 'stable';
    x.status = worst([level, byTest]);
  }
  return { status: worst(all.map((x) => x.status)), entries: cols.entries, instances: cols.instances, features, output };
}
