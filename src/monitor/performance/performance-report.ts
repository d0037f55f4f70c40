/**
 * The performance report of a route (pure): per variant (live) and per shadow, the quality
 * figures over every kept window together and per window. The shape `GET
 * /admin/routes/{route}/performance` serves (docs/model-quality.md). Undefined figures are
 * null (no labels yet, a single class for AUC).
 */
import type { PerformanceConfig } from '../../config/schema.ts';
import type { LabelCounter } from './label-join.ts';
import { accuracy, aucRoc, brierScore, confusionAt, expectedCalibrationError, logLoss, meanAbsoluteError, precision, recall, rootMeanSquaredError } from './quality-metrics.ts';
import { armKey, type ArmPairs, type WindowSnapshot } from './quality-windows.ts';

export interface QualityFigures {
  /** labelled predictions scored */
  labels: number;
  /** labelled predictions over the per-window bound (not scored) */
  overflow: number;
  positives?: number;
  auc?: number | null;
  log_loss?: number | null;
  brier?: number | null;
  ece?: number | null;
  precision?: number | null;
  recall?: number | null;
  mean_score?: number | null;
  mae?: number | null;
  rmse?: number | null;
  mean_prediction?: number | null;
  mean_label?: number | null;
  accuracy?: number | null;
}

export interface WindowFigures extends QualityFigures {
  start: number;
  end: number;
}

export interface ArmReport extends QualityFigures {
  role: 'live' | 'shadow';
  windows: WindowFigures[];
}

export type LabelCounts = Record<LabelCounter | 'expired' | 'pending', number>;

export interface PerformanceReport {
  route: string;
  status: 'ok' | 'insufficient_data';
  task: PerformanceConfig['task'];
  threshold?: number;
  window_ms: number;
  windows_kept: number;
  updated_at: string | null;
  labels: LabelCounts;
  variants: Record<string, ArmReport>;
  shadows: Record<string, ArmReport>;
}

function mean(a: ArrayLike<number>): number | null {
  if (!a.length) return null;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** the figures of one set of pairs, for the task */
export function figures(p: Pairs, cfg: PerformanceConfig): QualityFigures {
  const { values: v, labels: y } = p;
  const base = { labels: v.length, overflow: p.overflow };
  if (cfg.task === 'regression') return { ...base, mae: meanAbsoluteError(v, y), rmse: rootMeanSquaredError(v, y), mean_prediction: mean(v), mean_label: mean(y) };
  if (cfg.task === 'classes') return { ...base, accuracy: accuracy(v, y) };
  const c = confusionAt(v, y, cfg.threshold);
  return { ...base, positives: c.tp + c.fn, auc: aucRoc(v, y), log_loss: logLoss(v, y), brier: brierScore(v, y), ece: expectedCalibrationError(v, y), precision: precision(c), recall: recall(c), mean_score: mean(v) };
}

const EMPTY: ArmPairs = { values: [], labels: [], overflow: 0 };

interface Pairs {
  values: ArrayLike<number>;
  labels: ArrayLike<number>;
  overflow: number;
}

function concat(parts: ArmPairs[]): Pairs {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.values.length;
  const values = new Float64Array(n);
  const labels = new Float64Array(n);
  let at = 0;
  let overflow = 0;
  for (const p of parts) {
    values.set(p.values, at);
    labels.set(p.labels, at);
    at += p.values.length;
    overflow += p.overflow;
  }
  return { values, labels, overflow };
}

/** per-window figures computed before, by `${start}:${arm}`: a window whose pairs did not change is not scored again */
export type FiguresCache = Map<string, { n: number; overflow: number; figures: QualityFigures }>;

export interface ReportInput {
  route: string;
  cfg: PerformanceConfig;
  windowMs: number;
  keep: number;
  windows: readonly WindowSnapshot[];
  /** names of the route's variants and shadows (reported even without labels) */
  variants: readonly string[];
  shadows: readonly string[];
  labels: LabelCounts;
  now: number;
}

export function buildReport(r: ReportInput, cache?: FiguresCache): PerformanceReport {
  const names = { live: new Set(r.variants), shadow: new Set(r.shadows) };
  for (const w of r.windows) for (const k of Object.keys(w.arms)) {
    const [role, ...rest] = k.split(':');
    names[role === 'shadow' ? 'shadow' : 'live'].add(rest.join(':'));
  }
  const windowFigures = (id: string, a: ArmPairs): QualityFigures => {
    const hit = cache?.get(id);
    if (hit && hit.n === a.values.length && hit.overflow === a.overflow) return hit.figures;
    const f = figures(a, r.cfg);
    cache?.set(id, { n: a.values.length, overflow: a.overflow, figures: f });
    return f;
  };
  if (cache) {
    const live = new Set(r.windows.map((w) => w.start));
    for (const id of cache.keys()) if (!live.has(Number(id.slice(0, id.indexOf(':'))))) cache.delete(id);
  }
  const arm = (role: 'live' | 'shadow', name: string): ArmReport => {
    const key = armKey(role, name);
    const parts = r.windows.map((w) => w.arms[key]).filter((a): a is ArmPairs => a !== undefined);
    const windows = r.windows.filter((w) => w.arms[key]).map((w) => ({ start: w.start, end: w.start + r.windowMs, ...windowFigures(`${w.start}:${key}`, w.arms[key]) }));
    return { role, ...figures(parts.length ? concat(parts) : EMPTY, r.cfg), windows };
  };
  const variants = Object.fromEntries([...names.live].map((n) => [n, arm('live', n)]));
  const shadows = Object.fromEntries([...names.shadow].map((n) => [n, arm('shadow', n)]));
  const any = Object.values(variants).some((a) => a.labels > 0) || Object.values(shadows).some((a) => a.labels > 0);
  return {
    route: r.route,
    status: any ? 'ok' : 'insufficient_data',
    task: r.cfg.task,
    ...(r.cfg.task === 'binary' ? { threshold: r.cfg.threshold } : {}),
    window_ms: r.windowMs,
    windows_kept: r.keep,
    updated_at: any ? new Date(r.now).toISOString() : null,
    labels: r.labels,
    variants,
    shadows,
  };
}
