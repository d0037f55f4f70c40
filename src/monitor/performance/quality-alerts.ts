/**
 * Quality alerts (pure): which of a route's `performance.alerts` limits each variant and shadow
 * crosses in a report, and the notices for what changed since the last report. An arm is
 * judged once it has `min_labels` labelled predictions over the kept windows; a figure that is
 * undefined (null) never breaches.
 */
import type { PerformanceConfig } from '../../config/schema.ts';
import type { PerformanceReport, QualityFigures } from './performance-report.ts';

export type QualityLimits = NonNullable<PerformanceConfig['alerts']>;

export interface Breach {
  figure: keyof QualityFigures;
  value: number;
  limit: number;
  /** `below` the limit or `above` it */
  direction: 'below' | 'above';
}

export interface QualityNotice {
  type: 'model_quality_changed';
  route: string;
  variant: string;
  role: 'live' | 'shadow';
  from: 'ok' | 'breach';
  to: 'ok' | 'breach';
  labels: number;
  breaches: Breach[];
  at: string;
}

const LIMITS: [Exclude<keyof QualityLimits, 'min_labels'>, keyof QualityFigures, 'below' | 'above'][] = [
  ['auc_below', 'auc', 'below'],
  ['log_loss_above', 'log_loss', 'above'],
  ['brier_above', 'brier', 'above'],
  ['ece_above', 'ece', 'above'],
  ['precision_below', 'precision', 'below'],
  ['recall_below', 'recall', 'below'],
  ['mae_above', 'mae', 'above'],
  ['rmse_above', 'rmse', 'above'],
  ['accuracy_below', 'accuracy', 'below'],
];

export function breaches(f: QualityFigures, limits: QualityLimits): Breach[] {
  if (f.labels < limits.min_labels) return [];
  const out: Breach[] = [];
  for (const [key, figure, direction] of LIMITS) {
    const limit = limits[key];
    const value = f[figure];
    if (limit === undefined || typeof value !== 'number') continue;
    if (direction === 'below' ? value < limit : value > limit) out.push({ figure, value, limit, direction });
  }
  return out;
}

/** Notices for arms whose state changed; `state` (arm key -> breached) is updated in place. */
export function qualityNotices(r: PerformanceReport, limits: QualityLimits | undefined, state: Map<string, boolean>, now: number): QualityNotice[] {
  if (!limits) return [];
  const out: QualityNotice[] = [];
  const arms: [string, 'live' | 'shadow', QualityFigures][] = [...Object.entries(r.variants).map(([n, a]) => [n, 'live', a] as [string, 'live', QualityFigures]), ...Object.entries(r.shadows).map(([n, a]) => [n, 'shadow', a] as [string, 'shadow', QualityFigures])];
  for (const [name, role, f] of arms) {
    const key = `${role}:${name}`;
    const b = breaches(f, limits);
    const was = state.get(key) ?? false;
    const is = b.length > 0;
    state.set(key, is);
    if (was === is) continue;
    out.push({ type: 'model_quality_changed', route: r.route, variant: name, role, from: was ? 'breach' : 'ok', to: is ? 'breach' : 'ok', labels: f.labels, breaches: b, at: new Date(now).toISOString() });
  }
  return out;
}
