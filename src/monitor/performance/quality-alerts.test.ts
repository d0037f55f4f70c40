import { describe, expect, it } from 'vitest';
import { breaches, qualityNotices } from './quality-alerts.ts';
import type { PerformanceReport } from './performance-report.ts';

const report = (auc: number | null, labels = 500): PerformanceReport => ({
  route: 'fraud', status: 'ok', task: 'binary', threshold: 0.5, window_ms: 1000, windows_kept: 2, updated_at: null,
  labels: { matched: 0, unmatched: 0, duplicate: 0, invalid_label: 0, invalid_prediction: 0, expired: 0, pending: 0 },
  variants: { v1: { role: 'live', labels, overflow: 0, auc, log_loss: 0.3, windows: [] } },
  shadows: {},
});

describe('quality alerts', () => {
  it('names every crossed limit once an arm has enough labels; null never breaches', () => {
    const limits = { auc_below: 0.7, log_loss_above: 0.2, min_labels: 100 };
    expect(breaches(report(0.65).variants.v1, limits).map((b) => [b.figure, b.direction])).toEqual([['auc', 'below'], ['log_loss', 'above']]);
    expect(breaches(report(0.65, 99).variants.v1, limits)).toEqual([]);
    expect(breaches(report(null).variants.v1, { auc_below: 0.7, min_labels: 1 })).toEqual([]);
  });

  it('notifies on changes only', () => {
    const state = new Map<string, boolean>();
    const limits = { auc_below: 0.7, min_labels: 100 };
    expect(qualityNotices(report(0.8), limits, state, 0)).toEqual([]);
    const bad = qualityNotices(report(0.6), limits, state, 0);
    expect(bad).toMatchObject([{ type: 'model_quality_changed', variant: 'v1', role: 'live', from: 'ok', to: 'breach', breaches: [{ figure: 'auc', value: 0.6, limit: 0.7 }] }]);
    expect(qualityNotices(report(0.62), limits, state, 0)).toEqual([]);
    expect(qualityNotices(report(0.75), limits, state, 0)).toMatchObject([{ from: 'breach', to: 'ok', breaches: [] }]);
    expect(qualityNotices(report(0.1), undefined, state, 0)).toEqual([]);
  });
});
