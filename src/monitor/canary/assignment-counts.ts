/**
 * Assignment counts for sample-ratio-mismatch (SRM) tests: distinct units per variant among
 * live, hash-assigned entries (forced and random assignments say nothing about the split).
 * A unit is counted once per window however many requests it sent: requests of one sticky
 * unit are not independent draws, units are. Entries without a unit field (log.unit: omit)
 * count one each. Pure, bounded.
 */
import { srmAlarm } from '../../stats/index.ts';
import type { LogEntry } from '../../predictions/schema.ts';

const MAX_UNITS_PER_VARIANT = 500_000;

export class AssignmentCounts {
  private readonly units = new Map<string, Set<string>>();
  private readonly anonymous = new Map<string, number>();
  capped = false;

  /** true when the entry was an assignment worth counting */
  add(e: Pick<LogEntry, 'role' | 'assign' | 'variant' | 'fields' | 'rid'>): boolean {
    if (e.role !== 'live' || e.assign !== 'hash') return false;
    const unit = e.fields.unit;
    if (!unit) {
      this.anonymous.set(e.variant, (this.anonymous.get(e.variant) ?? 0) + 1);
      return true;
    }
    let set = this.units.get(e.variant);
    if (!set) this.units.set(e.variant, (set = new Set()));
    if (set.size < MAX_UNITS_PER_VARIANT) set.add(unit);
    else this.capped = true;
    return true;
  }

  count(variant: string): number {
    return (this.units.get(variant)?.size ?? 0) + (this.anonymous.get(variant) ?? 0);
  }

  variants(): string[] {
    return [...new Set([...this.units.keys(), ...this.anonymous.keys()])];
  }

  get total(): number {
    let n = 0;
    for (const v of this.variants()) n += this.count(v);
    return n;
  }
}

export interface SrmVerdict {
  /** units per variant */
  counts: Record<string, number>;
  /** weights (percent) the counts are tested against */
  weights: Record<string, number>;
  statistic: number | null;
  pvalue: number | null;
  /** every weighted arm has at least `minPerArm` units */
  enough: boolean;
  alarm: boolean;
}

/**
 * Chi-squared goodness of fit of the counts against the weights (DESIGN.md "SRM": alarm at
 * p < alpha once each arm has >= 8 units). Variants with weight 0 and no units are left out.
 */
export function srmVerdict(counts: Record<string, number>, weights: Record<string, number>, alpha = 0.001, minPerArm = 8): SrmVerdict {
  const names = [...new Set([...Object.keys(weights), ...Object.keys(counts)])].filter((v) => (weights[v] ?? 0) > 0 || (counts[v] ?? 0) > 0).sort();
  const obs = names.map((v) => counts[v] ?? 0);
  const w = names.map((v) => Math.round((weights[v] ?? 0) * 100));
  const base = { counts: Object.fromEntries(names.map((v, i) => [v, obs[i]])), weights: Object.fromEntries(names.map((v) => [v, weights[v] ?? 0])) };
  const total = obs.reduce((a, b) => a + b, 0);
  if (total === 0 || w.filter((x) => x > 0).length < 2) return { ...base, statistic: null, pvalue: null, enough: false, alarm: false };
  const r = srmAlarm(obs, w, { alpha, minPerArm });
  const enough = names.every((_, i) => w[i] === 0 || obs[i] >= minPerArm);
  return { ...base, statistic: Number.isFinite(r.statistic) ? r.statistic : null, pvalue: r.pvalue, enough, alarm: r.alarm };
}
