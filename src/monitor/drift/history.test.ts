import { describe, expect, it } from 'vitest';
import { historyWindow, selectHistory, type HistoryWindow, type OutcomeLike } from './history.ts';

const col = (psi: number) => ({ kind: 'numeric', status: psi > 0.2 ? 'significant' : 'stable', psi, test: 'ks', statistic: 0.1, pvalue: 0.5, pvalue_adjusted: 1, wasserstein_normalized: 0.2, n: 200, missing: 0, histogram: { edges: [1], reference: [1, 1], current: [1, 1] } });

const outcome = (over: Partial<OutcomeLike> = {}): OutcomeLike => ({
  role: 'live',
  variant: 'v1',
  meta: { start_ts: 1000, end_ts: 2000 },
  counted: 210,
  judged: 200,
  modelVersion: '1.0',
  baseline: { version: 3 },
  verdict: { status: 'significant', features: { amount: col(0.5) as never }, output: col(0.01) as never },
  ...over,
});

describe('historyWindow', () => {
  it('keeps the per-window statistics and drops the histograms and raw p-values', () => {
    const w = historyWindow(outcome());
    expect(w).toEqual({
      role: 'live', variant: 'v1', start_ts: 1000, end_ts: 2000, entries: 210, judged: 200, status: 'significant', model_version: '1.0', baseline_version: 3,
      features: { amount: { status: 'significant', psi: 0.5, test: 'ks', statistic: 0.1, pvalue_adjusted: 1, n: 200 } },
      output: { status: 'stable', psi: 0.01, test: 'ks', statistic: 0.1, pvalue_adjusted: 1, n: 200 },
    });
  });

  it('records a window without a verdict as insufficient_data with its reason', () => {
    const w = historyWindow(outcome({ verdict: null, reason: 'too_few_entries', baseline: null }));
    expect(w.status).toBe('insufficient_data');
    expect(w.reason).toBe('too_few_entries');
    expect(w.features).toEqual({});
    expect(w.output).toBeNull();
    expect(w.baseline_version).toBeNull();
  });
});

describe('selectHistory', () => {
  const all = [1, 2, 3, 4, 5].map((i) => ({ ...historyWindow(outcome({ variant: i % 2 ? 'v1' : 'v2', role: i === 5 ? 'shadow' : 'live' })), end_ts: i }) as HistoryWindow);
  it('filters by role and variant, oldest first, the newest `limit`', () => {
    expect(selectHistory(all, {}).map((w) => w.end_ts)).toEqual([1, 2, 3, 4, 5]);
    expect(selectHistory(all, { role: 'live', variant: 'v1' }).map((w) => w.end_ts)).toEqual([1, 3]);
    expect(selectHistory(all, { variant: 'v1', limit: 2 }).map((w) => w.end_ts)).toEqual([3, 5]);
    expect(selectHistory(all, { role: 'shadow' }).map((w) => w.end_ts)).toEqual([5]);
  });
});
