import { describe, expect, it } from 'vitest';
import { formatDrift } from './drift.ts';

describe('formatDrift', () => {
  it('prints the route status, the default baseline and a table per variant', () => {
    const text = formatDrift({
      route: 'fraud',
      status: 'significant',
      baseline: { version: 3, variant: 'v1', entries: 1000 },
      variants: {
        v1: { status: 'significant', entries: 1000, model_version: '1.4.2', features: { amount: { psi: 0.31, status: 'significant', test: 'ks', pvalue: 1e-12, pvalue_adjusted: 5e-12, wasserstein_normalized: 0.9 } }, output: { psi: 0.01, status: 'stable', test: 'ks', pvalue: 0.5, pvalue_adjusted: 1 } },
        v2: { status: 'insufficient_data', entries: 0, features: {}, output: null },
      },
    });
    expect(text).toContain('route fraud: significant');
    expect(text).toContain('default baseline: v1 v3 (1000 entries)');
    expect(text).toMatch(/amount.*significant.*0\.3100.*ks.*1\.00e-12/);
    expect(text).toContain('(output)');
    expect(text).toContain('variant v2: insufficient_data, 0 entries');
  });

  it('says which baseline each variant was judged against: mode, period, fallback', () => {
    const col = { psi: 0.01, status: 'stable', pvalue: 0.5, pvalue_adjusted: 1 };
    const text = formatDrift({
      route: 'fraud',
      baseline: { version: 1, variant: 'v1', entries: 5000 },
      baseline_mode: { mode: 'seasonal', weeks: 4 },
      variants: {
        v1: { status: 'stable', entries: 500, baseline: { variant: 'v1', version: 0, entries: 600, mode: 'seasonal', period: { from_ts: Date.parse('2026-11-04T14:00:00Z'), to_ts: Date.parse('2026-11-25T15:00:00Z'), weeks: 4, hour_of_week: 'Wed 14:00-15:00 UTC' } }, features: { x: col }, output: null },
        v2: { status: 'stable', entries: 500, baseline: { variant: 'v1', version: 1, entries: 5000, mode: 'fixed', fallback: 'seasonal: 3 entries of live:v2 in Wed 14:00-15:00 UTC over the last 4 week(s) (at least 100 needed)' }, features: { x: col }, output: null },
        v3: { status: 'stable', entries: 500, baseline: { variant: 'v3', version: 7, entries: 2016, mode: 'rolling', period: { from_ts: Date.parse('2026-11-23T14:00:00Z'), to_ts: Date.parse('2026-11-30T14:00:00Z'), days: 7 } }, features: { x: col }, output: null },
      },
    });
    expect(text).toContain('baseline mode: seasonal, same UTC weekday and hour over the last 4 weeks');
    expect(text).toContain('variant v1: stable, 500 entries, baseline seasonal (Wed 14:00-15:00 UTC, 4 weeks back from 2026-11-25 15:00Z, 600 entries)');
    expect(text).toContain('variant v2: stable, 500 entries, baseline v1 v1 [fallback: seasonal: 3 entries of live:v2');
    expect(text).toContain('variant v3: stable, 500 entries, baseline rolling v7 (2026-11-23 14:00Z .. 2026-11-30 14:00Z, 2016 entries)');
  });
});
