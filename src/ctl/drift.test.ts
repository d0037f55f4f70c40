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
});
