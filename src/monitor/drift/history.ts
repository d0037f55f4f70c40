/**
 * The drift history of a route (pure): one compact record per judged window of each variant
 * and shadow, the statistics the console charts per window (PSI, the test statistic, its
 * adjusted p-value, the status), without the histograms and samples the latest report holds.
 * Kept by history-store.ts as a capped list, served by GET /admin/routes/{route}/drift/history.
 */

/** the part of a column's verdict a history record keeps (judge.ts ColumnResult) */
export interface HistoryColumn {
  status: string;
  psi: number | null;
  test: string;
  statistic: number | null;
  pvalue_adjusted: number | null;
  n: number;
}

export interface HistoryWindow {
  role: 'live' | 'shadow';
  variant: string;
  start_ts: number;
  end_ts: number;
  /** entries counted in the window, and those the verdict is based on */
  entries: number;
  judged: number;
  /** the window's verdict; insufficient_data (with `reason`) when it had none */
  status: string;
  reason?: string;
  model_version: string;
  baseline_version: number | null;
  /** rolling or seasonal references only (absent for a fixed one): the mode, and `fallback` when the window fell back to the fixed baseline */
  baseline_mode?: 'rolling' | 'seasonal';
  baseline_fallback?: string;
  features: Record<string, HistoryColumn>;
  output: HistoryColumn | null;
}

/** what one judged window gives (report.ts WindowOutcome, structurally) */
export interface OutcomeLike {
  role: 'live' | 'shadow';
  variant: string;
  meta: { start_ts: number; end_ts: number };
  counted: number;
  judged: number;
  modelVersion: string;
  baseline: { version: number; source?: string } | null;
  fallback?: string;
  verdict: { status: string; features: Record<string, HistoryColumn>; output: HistoryColumn | null } | null;
  reason?: string;
}

const column = (c: HistoryColumn): HistoryColumn => ({ status: c.status, psi: c.psi, test: c.test, statistic: c.statistic, pvalue_adjusted: c.pvalue_adjusted, n: c.n });

export function historyWindow(o: OutcomeLike): HistoryWindow {
  const w: HistoryWindow = {
    role: o.role,
    variant: o.variant,
    start_ts: o.meta.start_ts,
    end_ts: o.meta.end_ts,
    entries: o.counted,
    judged: o.judged,
    status: o.verdict?.status ?? 'insufficient_data',
    model_version: o.modelVersion,
    baseline_version: o.baseline?.version ?? null,
    features: {},
    output: o.verdict?.output ? column(o.verdict.output) : null,
  };
  if (o.reason) w.reason = o.reason;
  if (o.baseline?.source === 'rolling' || o.baseline?.source === 'seasonal') w.baseline_mode = o.baseline.source;
  if (o.fallback) w.baseline_fallback = o.fallback;
  for (const [k, c] of Object.entries(o.verdict?.features ?? {})) w.features[k] = column(c);
  return w;
}

export interface HistoryQuery {
  role?: 'live' | 'shadow';
  variant?: string;
  /** the newest this many records that match (after the filter) */
  limit?: number;
}

/** The records that match, oldest first, at most `limit` (the newest). */
export function selectHistory(all: readonly HistoryWindow[], q: HistoryQuery): HistoryWindow[] {
  const hit = all.filter((w) => (q.role === undefined || w.role === q.role) && (q.variant === undefined || w.variant === q.variant));
  return q.limit !== undefined && hit.length > q.limit ? hit.slice(hit.length - q.limit) : hit;
}
