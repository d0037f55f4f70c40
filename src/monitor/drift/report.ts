/**
 * The drift report kept in `<prefix>:drift:<route>` and served by
 * `GET /admin/routes/{route}/drift` (DESIGN.md "Admin API"; the full shape is documented in
 * docs/readme/monitor.md). Pure: building, updating from one window, status transitions.
 */
import type { BaselineDoc, BaselinePeriod, VariantBaseline } from './baseline.ts';
import { worst, type ColumnResult, type Status, type VariantVerdict } from './judge.ts';

export interface WindowMeta {
  first_id: string;
  last_id: string;
  start_ts: number;
  end_ts: number;
  closed_by: 'count' | 'time';
  entries: number;
}

export interface BaselineRef {
  variant: string;
  version: number;
  model_version: string;
  entries: number;
  source: string;
  /** `fixed` (an uploaded or captured baseline), `rolling` or `seasonal` */
  mode?: 'fixed' | 'rolling' | 'seasonal';
  /** rolling and seasonal: the time range (and weeks) the reference covers */
  period?: BaselinePeriod;
  /** why a rolling or seasonal window was judged against the fixed baseline instead */
  fallback?: string;
}

/** The route's baseline mode as configured (monitor.baseline with the route's override). */
export interface BaselineModeRef {
  mode: 'fixed' | 'rolling' | 'seasonal';
  days?: number;
  weeks?: number;
  refresh_ms?: number;
  max_entries?: number;
}

export interface VariantReport {
  status: Status;
  /** entries judged in the window behind the current verdict */
  entries: number;
  model_version: string;
  baseline: BaselineRef | null;
  features: Record<string, ColumnResult>;
  output: ColumnResult | null;
  /** the window behind the current verdict */
  window: WindowMeta | null;
  judged_at: string | null;
  /** the latest window, also when it was too small to replace the verdict */
  last_window: (WindowMeta & { judged: number; status: Status; reason?: string }) | null;
  totals: { entries: number; windows: number };
}

/** per window key (`live:v1`): the last entry accounted for, so replays are not counted twice */
export interface Progress {
  last_id: string;
}

export interface DriftReport {
  route: string;
  status: Status;
  updated_at: string;
  baseline: BaselineRef | null;
  /** the route's baseline mode; each variant's `baseline` names the reference actually used */
  baseline_mode?: BaselineModeRef;
  thresholds: { psi_moderate: number; psi_significant: number; alpha: number; min_entries: number; window_entries: number; window_ms: number };
  variants: Record<string, VariantReport>;
  shadows: Record<string, VariantReport>;
  progress: Record<string, Progress>;
}

export const baselineRef = (b: VariantBaseline | null, fallback?: string): BaselineRef | null =>
  b
    ? {
        variant: b.variant,
        version: b.version,
        model_version: b.model_version,
        entries: b.entries,
        source: b.source,
        mode: b.source === 'rolling' || b.source === 'seasonal' ? b.source : 'fixed',
        ...(b.period ? { period: b.period } : {}),
        ...(fallback ? { fallback } : {}),
      }
    : null;

export const defaultBaselineRef = (doc: BaselineDoc | null): BaselineRef | null =>
  doc?.default ? baselineRef(doc.variants[doc.default] ?? null) : null;

export function emptyVariantReport(): VariantReport {
  return { status: 'insufficient_data', entries: 0, model_version: '', baseline: null, features: {}, output: null, window: null, judged_at: null, last_window: null, totals: { entries: 0, windows: 0 } };
}

export function emptyReport(route: string, variants: readonly string[], thresholds: DriftReport['thresholds'], baseline: BaselineRef | null = null): DriftReport {
  const r: DriftReport = { route, status: 'insufficient_data', updated_at: new Date().toISOString(), baseline, thresholds, variants: {}, shadows: {}, progress: {} };
  for (const v of variants) r.variants[v] = emptyVariantReport();
  return r;
}

export interface WindowOutcome {
  role: 'live' | 'shadow';
  variant: string;
  meta: WindowMeta;
  /** entries counted (not replays, not captured) */
  counted: number;
  /** judgeable entries the verdict is based on */
  judged: number;
  modelVersion: string;
  baseline: VariantBaseline | null;
  /** null when there was no reference or too few entries */
  verdict: VariantVerdict | null;
  reason?: string;
  /** why a rolling or seasonal window fell back to the fixed baseline */
  fallback?: string;
}

export interface Transition {
  role: 'live' | 'shadow';
  variant: string;
  from: Status;
  to: Status;
  direction: 'worsened' | 'recovered';
}

const RANK: Record<Status, number> = { insufficient_data: 0, stable: 0, moderate: 1, significant: 2 };

/** Applies one window to the report; returns the status change worth an alert, if any. */
export function applyWindow(r: DriftReport, o: WindowOutcome, now = new Date()): Transition | null {
  const group = o.role === 'live' ? r.variants : r.shadows;
  const v = (group[o.variant] ??= emptyVariantReport());
  v.totals.entries += o.counted;
  v.totals.windows += 1;
  r.progress[`${o.role}:${o.variant}`] = { last_id: o.meta.last_id };
  r.updated_at = now.toISOString();
  const lastStatus: Status = o.verdict ? o.verdict.status : 'insufficient_data';
  v.last_window = { ...o.meta, judged: o.judged, status: lastStatus, ...(o.reason ? { reason: o.reason } : {}) };
  if (!o.verdict) return null;
  const from = v.status;
  Object.assign(v, {
    status: o.verdict.status,
    entries: o.judged,
    model_version: o.modelVersion,
    baseline: baselineRef(o.baseline, o.fallback),
    features: o.verdict.features,
    output: o.verdict.output,
    window: o.meta,
    judged_at: now.toISOString(),
  });
  r.status = worst(Object.values(r.variants).map((x) => x.status));
  const to = o.verdict.status;
  if (RANK[to] === RANK[from]) return null;
  return { role: o.role, variant: o.variant, from, to, direction: RANK[to] > RANK[from] ? 'worsened' : 'recovered' };
}
