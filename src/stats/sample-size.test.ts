import { describe, expect, it } from 'vitest';
import { sampleSizeTwoProportions } from './sample-size.ts';

describe('sampleSizeTwoProportions', () => {
  it('uses the pooled-variance formula and rounds up', () => {
    // (1.959964·sqrt(2·0.11·0.89) + 0.841621·sqrt(0.1·0.9 + 0.12·0.88))² / 0.02² = 3840.85
    expect(sampleSizeTwoProportions(0.1, 0.12)).toBe(3841);
    expect(sampleSizeTwoProportions(0.12, 0.1)).toBe(3841);
  });

  it('needs more units for smaller alpha or higher power', () => {
    const base = sampleSizeTwoProportions(0.3, 0.35);
    expect(sampleSizeTwoProportions(0.3, 0.35, 0.01)).toBeGreaterThan(base);
    expect(sampleSizeTwoProportions(0.3, 0.35, 0.05, 0.9)).toBeGreaterThan(base);
  });

  it('rejects impossible inputs', () => {
    expect(() => sampleSizeTwoProportions(0.1, 0.1)).toThrow(RangeError);
    expect(() => sampleSizeTwoProportions(0, 0.1)).toThrow(RangeError);
    expect(() => sampleSizeTwoProportions(0.1, 0.2, 1)).toThrow(RangeError);
    expect(() => sampleSizeTwoProportions(0.1, 0.2, 0.05, 0)).toThrow(RangeError);
  });
});
