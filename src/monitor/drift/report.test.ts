import { describe, expect, it } from 'vitest';
import type { VariantVerdict } from './judge.ts';
import { applyWindow, emptyReport, type WindowOutcome } from './report.ts';

const TH = { psi_moderate: 0.1, psi_significant: 0.2, alpha: 0.01, min_entries: 100, window_entries: 1000, window_ms: 60000 };
const verdict = (status: VariantVerdict['status']): VariantVerdict => ({ status, entries: 500, instances: 500, features: {}, output: null });
const outcome = (last: string, v: VariantVerdict | null, judged = 500): WindowOutcome => ({
  role: 'live',
  variant: 'v1',
  meta: { first_id: '1-0', last_id: last, start_ts: 1, end_ts: 2, closed_by: 'count', entries: judged },
  counted: judged,
  judged,
  modelVersion: '1',
  baseline: null,
  verdict: v,
  reason: v ? undefined : 'too_few_entries',
});

describe('applyWindow', () => {
  it('starts at insufficient_data and alerts only on real changes', () => {
    const r = emptyReport('fraud', ['v1', 'v2'], TH);
    expect(r.status).toBe('insufficient_data');
    expect(applyWindow(r, outcome('5-0', verdict('stable')))).toBeNull();
    expect(r.variants.v1.status).toBe('stable');
    expect(applyWindow(r, outcome('6-0', verdict('significant')))).toMatchObject({ from: 'stable', to: 'significant', direction: 'worsened' });
    expect(r.status).toBe('significant');
    expect(applyWindow(r, outcome('7-0', verdict('moderate')))).toMatchObject({ direction: 'recovered' });
    expect(r.progress['live:v1'].last_id).toBe('7-0');
    expect(r.variants.v1.totals).toEqual({ entries: 1500, windows: 3 });
  });

  it('keeps the last verdict when a window is too small', () => {
    const r = emptyReport('fraud', ['v1'], TH);
    applyWindow(r, outcome('5-0', verdict('significant')));
    expect(applyWindow(r, outcome('6-0', null, 40))).toBeNull();
    expect(r.variants.v1.status).toBe('significant');
    expect(r.variants.v1.last_window).toMatchObject({ judged: 40, status: 'insufficient_data', reason: 'too_few_entries' });
    expect(r.variants.v1.totals.entries).toBe(540);
  });
});
