import { describe, expect, it } from 'vitest';
import { compareOutputs } from './compare.ts';

describe('shadow comparison', () => {
  it('numbers: agree within tolerance, report the mean absolute difference', () => {
    expect(compareOutputs({ predictions: [0.5, 0.25] }, { predictions: [0.5, 0.25] })).toEqual({ result: 'agree', absDiff: 0 });
    const c = compareOutputs({ predictions: [0.5, 0.2] }, { predictions: [0.7, 0.2] });
    expect(c.result).toBe('disagree');
    expect(c.absDiff).toBeCloseTo(0.1, 12);
  });
  it('labels: equality', () => {
    expect(compareOutputs({ predictions: ['cat'] }, { predictions: ['cat'] }).result).toBe('agree');
    expect(compareOutputs({ predictions: ['cat'] }, { predictions: ['dog'] }).result).toBe('disagree');
  });
  it('V2 outputs by data', () => {
    expect(compareOutputs({ outputs: [{ name: 's', data: [1, 2] }] }, { outputs: [{ name: 's', data: [1, 2.5] }] })).toEqual({ result: 'disagree', absDiff: 0.25 });
  });
  it('different shapes are incomparable', () => {
    expect(compareOutputs({ predictions: [1] }, { predictions: [1, 2] }).result).toBe('incomparable');
    expect(compareOutputs({ x: 1 }, { predictions: [1] }).result).toBe('incomparable');
  });
  it('flattens without recursion: a 10,000-deep output compares instead of overflowing the stack', () => {
    let deep: unknown = [0.5, { b: 2, a: 1 }];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(compareOutputs({ predictions: [deep] }, { predictions: [deep] })).toEqual({ result: 'agree', absDiff: 0 });
    // order: arrays in order, object keys sorted
    expect(compareOutputs({ predictions: [[1, { b: 3, a: 2 }]] }, { predictions: [1, 2, 3] })).toEqual({ result: 'agree', absDiff: 0 });
  });
});
