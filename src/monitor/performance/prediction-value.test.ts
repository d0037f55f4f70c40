import { describe, expect, it } from 'vitest';
import { labelProblem, predictionValue } from './prediction-value.ts';

const binary = { task: 'binary', threshold: 0.5 } as const;
describe('predictionValue', () => {
  it('reads binary scores from numbers, [p0, p1], one-element arrays and single-number objects', () => {
    expect([0.3, [0.7, 0.3], [0.3], { p: 0.3 }].map((o) => predictionValue(o, binary))).toEqual([0.3, 0.3, 0.3, 0.3]);
    expect(predictionValue(1.2, binary)).toBeUndefined();
    expect(predictionValue({ a: 0.1, b: 0.2 }, binary)).toBeUndefined();
    expect(predictionValue('0.3', binary)).toBeUndefined();
  });
  it('follows the configured key or index', () => {
    expect(predictionValue({ score: 0.9, label: 1 }, { ...binary, output: 'score' })).toBe(0.9);
    expect(predictionValue([0.1, 0.2, 0.7], { ...binary, output: 2 })).toBe(0.7);
    expect(predictionValue({ probs: [0.1, 0.8, 0.1] }, { task: 'classes', threshold: 0.5, output: 'probs' })).toBe(1);
  });
  it('takes the argmax of class scores and any number for regression', () => {
    expect(predictionValue([0.2, 0.1, 0.7], { task: 'classes', threshold: 0.5 })).toBe(2);
    expect(predictionValue(-12.5, { task: 'regression', threshold: 0.5 })).toBe(-12.5);
    expect(predictionValue([1, 2], { task: 'regression', threshold: 0.5 })).toBeUndefined();
  });
  it('checks labels for the task', () => {
    expect(labelProblem(1, 'binary')).toBeUndefined();
    expect(labelProblem(0.5, 'binary')).toMatch(/0 or 1/);
    expect(labelProblem(2.5, 'classes')).toMatch(/integer/);
    expect(labelProblem(2.5, 'regression')).toBeUndefined();
  });
});
