import { describe, expect, it } from 'vitest';
import { classifyOutcome } from './outcome.ts';
import { percentile, percentiles } from './quantiles.ts';

describe('outcome classification', () => {
  it('blames the variant for UPSTREAM_* codes and backend 5xx, never for the gateway\'s own refusals', () => {
    expect(classifyOutcome({ error: 'UPSTREAM_TIMEOUT', status: 504 })).toBe('error');
    expect(classifyOutcome({ error: 'UPSTREAM_UNAVAILABLE', status: 502 })).toBe('error');
    expect(classifyOutcome({ error: undefined, status: 500 })).toBe('error');
    expect(classifyOutcome({ error: undefined, status: 503 })).toBe('error');
    expect(classifyOutcome({ error: 'CLIENT_CLOSED_REQUEST', status: 499 })).toBe('excluded');
    expect(classifyOutcome({ error: 'OVER_CAPACITY', status: 503 })).toBe('excluded');
    expect(classifyOutcome({ error: 'PAYLOAD_TOO_LARGE', status: 413 })).toBe('excluded');
    expect(classifyOutcome({ error: undefined, status: Number.NaN })).toBe('excluded');
    expect(classifyOutcome({ error: undefined, status: 404 })).toBe('ok');
    expect(classifyOutcome({ error: undefined, status: 200 })).toBe('ok');
  });
});

describe('percentiles', () => {
  it('are numpy\'s linear quantiles of the unsorted sample', () => {
    // np.quantile([1..100], 0.99) = 99.01, 0.5 -> 50.5
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 0.99)).toBeCloseTo(99.01, 10);
    expect(percentiles(xs, { p50: 0.5, p0: 0, p100: 1 })).toEqual({ p50: 50.5, p0: 1, p100: 100 });
    expect(percentile([], 0.99)).toBeNull();
  });
});
