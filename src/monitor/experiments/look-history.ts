/**
 * The course of a running experiment (pure): one compact point per recorded look (units per
 * arm, each treatment's always-valid and fixed-horizon p-value and difference, the planned
 * units per arm, the SRM p-value), for GET /admin/routes/{route}/experiment/history.
 * Bounded for an experiment of any length: points are recorded at least `gap_ms` apart; once
 * there are more than `max`, every other one is dropped (the first and last kept) and the gap
 * doubles, so the history always spans the whole experiment at a resolution that halves as it
 * grows, never more than `max` points.
 */

export interface LookPoint {
  at: number;
  units: Record<string, number>;
  p_always_valid: Record<string, number>;
  p_fixed: Record<string, number | null>;
  difference: Record<string, number | null>;
  units_per_arm: number | null;
  srm_pvalue: number | null;
}

export interface LookHistory {
  id: string;
  gap_ms: number;
  looks: LookPoint[];
}

/** what one look gives (evaluate.ts Results, structurally) */
export interface ResultsLike {
  updated_at: number;
  primary: { comparisons: readonly { arm: string; p_always_valid: number; p_fixed: number | null; difference: number | null }[] };
  planning: { units_per_arm: number | null };
  srm: { pvalue: number | null; units: Record<string, number> };
}

export function lookPoint(r: ResultsLike): LookPoint {
  const p: LookPoint = { at: r.updated_at, units: { ...r.srm.units }, p_always_valid: {}, p_fixed: {}, difference: {}, units_per_arm: r.planning.units_per_arm, srm_pvalue: r.srm.pvalue };
  for (const c of r.primary.comparisons) {
    p.p_always_valid[c.arm] = c.p_always_valid;
    p.p_fixed[c.arm] = c.p_fixed;
    p.difference[c.arm] = c.difference;
  }
  return p;
}

export const DEFAULT_LOOK_HISTORY = 500;
/** just under the monitor's 1 s look interval, so a timer's jitter does not skip every other look */
export const FIRST_GAP_MS = 900;

/** every other point, the first and the last kept */
export function thin(looks: readonly LookPoint[]): LookPoint[] {
  const out = looks.filter((_, i) => i % 2 === 0);
  const last = looks[looks.length - 1];
  if (last && out[out.length - 1] !== last) out.push(last);
  return out;
}

export type Change = 'none' | 'append' | 'rewrite';

/**
 * Adds a look to the history of experiment `id` (a history of another id is replaced).
 * `final`: the look that ends the experiment, recorded whatever the gap.
 */
export function addLook(h: LookHistory | null, id: string, look: LookPoint, max = DEFAULT_LOOK_HISTORY, final = false): { history: LookHistory; change: Change } {
  if (!h || h.id !== id) return { history: { id, gap_ms: FIRST_GAP_MS, looks: [look] }, change: 'rewrite' };
  const last = h.looks[h.looks.length - 1];
  if (last && !final && look.at - last.at < h.gap_ms) return { history: h, change: 'none' };
  const looks = [...h.looks, look];
  if (looks.length <= max) return { history: { ...h, looks }, change: 'append' };
  let thinned = looks;
  let gap = h.gap_ms;
  while (thinned.length > max) {
    thinned = thin(thinned);
    gap *= 2;
  }
  return { history: { id, gap_ms: gap, looks: thinned }, change: 'rewrite' };
}
