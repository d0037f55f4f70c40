import { describe, expect, it } from 'vitest';
import { formatPerformance } from './performance.ts';
import type { PerformanceReport } from '../monitor/performance/performance-report.ts';

const report: PerformanceReport = {
  route: 'fraud',
  status: 'ok',
  task: 'binary',
  threshold: 0.5,
  window_ms: 3_600_000,
  windows_kept: 24,
  updated_at: '2026-12-02T01:00:00.000Z',
  labels: { matched: 120, unmatched: 2, duplicate: 1, invalid_label: 0, invalid_prediction: 0, expired: 0, pending: 3 },
  variants: {
    v1: { role: 'live', labels: 100, overflow: 0, positives: 30, auc: 0.8123, log_loss: 0.41, brier: 0.13, ece: 0.05, precision: 0.7, recall: 0.6, mean_score: 0.3, windows: [{ start: 0, end: 3_600_000, labels: 100, overflow: 0, auc: 0.8123, log_loss: 0.41 }] },
    v2: { role: 'live', labels: 0, overflow: 0, auc: null, log_loss: null, windows: [] },
  },
  shadows: { v3: { role: 'shadow', labels: 20, overflow: 0, auc: 0.7, log_loss: 0.5, windows: [] } },
};

describe('formatPerformance', () => {
  it('prints label counts and a row per variant and shadow', () => {
    const text = formatPerformance(report);
    expect(text).toContain('route fraud: ok, task binary (threshold 0.5), 24 windows of 3600 s');
    expect(text).toContain('labels: 120 matched, 3 pending, 2 unmatched, 1 duplicate');
    expect(text).toMatch(/v1\s.*live\s.*100\s.*0\.8123\s.*0\.4100/);
    expect(text).toMatch(/v2\s.*live\s.*0\s.*-/);
    expect(text).toMatch(/v3\s.*shadow\s.*20\s.*0\.7000/);
    expect(text).not.toContain('window start');
    expect(formatPerformance(report, true)).toMatch(/live v1:[\s\S]*1970-01-01T00:00:00\.000Z/);
  });
  it('shows regression columns for a regression route', () => {
    const text = formatPerformance({ ...report, task: 'regression', variants: { v1: { role: 'live', labels: 5, overflow: 0, mae: 1.5, rmse: 2, windows: [] } }, shadows: {} });
    expect(text).toMatch(/mae.*rmse/);
    expect(text).toMatch(/v1\s.*1\.5000\s.*2\.0000/);
  });
});
