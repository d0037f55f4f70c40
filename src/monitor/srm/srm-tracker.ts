/**
 * SRM over strata: assignment counts are kept per config version (the `cfg` field of each
 * entry), because each version routes with its own weights. Each stratum's chi-squared
 * goodness of fit is independent of the others, so their statistics and degrees of freedom
 * add up to one test (with a single stratum this is exactly DESIGN.md's test). A stratum
 * enters the test once each weighted arm has >= 8 units. Pure.
 */
import { chi2Sf } from '../../stats/index.ts';
import type { LogEntry } from '../../predictions/schema.ts';
import { AssignmentCounts, srmVerdict } from '../canary/assignment-counts.ts';

export interface SrmResultView {
  /** units per variant, summed over the strata tested */
  units: Record<string, number>;
  statistic: number | null;
  dof: number;
  pvalue: number | null;
  alarm: boolean;
  /** config versions whose counts were tested */
  versions: number[];
  insufficient: boolean;
}

export type WeightsOf = (version: number) => Record<string, number> | undefined;

export class SrmStrata {
  private readonly strata = new Map<number, AssignmentCounts>();
  constructor(private readonly maxStrata = 20) {}

  add(e: LogEntry): boolean {
    if (e.role !== 'live' || e.assign !== 'hash') return false;
    const v = Number(e.fields.cfg);
    if (!Number.isInteger(v)) return false;
    let s = this.strata.get(v);
    if (!s) {
      this.strata.set(v, (s = new AssignmentCounts()));
      if (this.strata.size > this.maxStrata) this.strata.delete(Math.min(...this.strata.keys()));
    }
    return s.add(e);
  }

  versions(): number[] {
    return [...this.strata.keys()].sort((a, b) => a - b);
  }

  get total(): number {
    let n = 0;
    for (const s of this.strata.values()) n += s.total;
    return n;
  }

  /** Keeps only the strata of these versions (cumulative counts restart when weights change). */
  retain(versions: Set<number>): void {
    for (const v of [...this.strata.keys()]) if (!versions.has(v)) this.strata.delete(v);
  }

  test(weightsOf: WeightsOf, alpha: number): SrmResultView {
    let statistic = 0;
    let dof = 0;
    let zeroWeightHit = false;
    const units: Record<string, number> = {};
    const tested: number[] = [];
    for (const v of this.versions()) {
      const weights = weightsOf(v);
      const s = this.strata.get(v)!;
      if (!weights) continue;
      const counts: Record<string, number> = {};
      for (const name of s.variants()) counts[name] = s.count(name);
      const r = srmVerdict(counts, weights, alpha);
      if (!r.enough || r.pvalue === null) continue;
      tested.push(v);
      for (const [k, n] of Object.entries(r.counts)) units[k] = (units[k] ?? 0) + n;
      if (r.statistic === null) zeroWeightHit = true;
      else statistic += r.statistic;
      dof += Object.values(r.weights).filter((w) => w > 0).length - 1;
    }
    if (!tested.length || dof === 0) return { units, statistic: null, dof: 0, pvalue: null, alarm: false, versions: tested, insufficient: true };
    const pvalue = zeroWeightHit ? 0 : chi2Sf(statistic, dof);
    return { units, statistic: zeroWeightHit ? null : statistic, dof, pvalue, alarm: pvalue < alpha, versions: tested, insufficient: false };
  }
}
