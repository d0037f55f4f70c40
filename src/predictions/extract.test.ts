import { describe, expect, it } from 'vitest';
import { extractFeatures, extractPredictions, planFor, toInstance, v2Features, v2Predictions } from './extract.ts';
import { testRoute } from '../../test/helpers/predictions.ts';

const plain = planFor(testRoute('plain'));
const named = planFor(testRoute('named', { features: ['amount', 'risk'] }));

describe('V1 (instances / predictions)', () => {
  it('names positional instances from route.features, else f0, f1, ...', () => {
    expect(extractFeatures('v1', { instances: [[0.3, 12], [1, 2]] }, named, 100)).toEqual([{ amount: 0.3, risk: 12 }, { amount: 1, risk: 2 }]);
    expect(extractFeatures('v1', { instances: [[0.3, 12, 'x']] }, plain, 100)).toEqual([{ f0: 0.3, f1: 12, f2: 'x' }]);
    expect(extractFeatures('v1', { instances: [[0.3, 12, 5]] }, named, 100)).toEqual([{ amount: 0.3, risk: 12, f2: 5 }]);
  });
  it('keeps object instances and names scalars', () => {
    expect(extractFeatures('v1', { instances: [{ a: 1, b: 'x' }] }, plain, 100)).toEqual([{ a: 1, b: 'x' }]);
    expect(extractFeatures('v1', { instances: [3, 4] }, named, 100)).toEqual([{ amount: 3 }, { amount: 4 }]);
  });
  it('reads predictions as they are and caps the instance count', () => {
    expect(extractPredictions('v1', { predictions: [0.1, [1, 2], { c: 1 }] }, plain, 100)).toEqual([0.1, [1, 2], { c: 1 }]);
    expect(extractFeatures('v1', { instances: [[1], [2], [3]] }, plain, 2)).toHaveLength(2);
    expect(extractPredictions('v1', { predictions: [1, 2, 3] }, plain, 2)).toEqual([1, 2]);
  });
  it('gives empty lists for shapes it does not know', () => {
    expect(extractFeatures('v1', 'nope', plain, 10)).toEqual([]);
    expect(extractPredictions('v1', undefined, plain, 10)).toEqual([]);
    expect(extractPredictions('v1', { other: 1 }, plain, 10)).toEqual([]);
  });
});

describe('V2 (inputs / outputs by tensor name)', () => {
  it('shape [batch, k] gives x_0..x_{k-1}, one instance per row; k = 1 gives x', () => {
    const req = {
      inputs: [
        { name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] },
        { name: 'age', shape: [2, 1], datatype: 'INT32', data: [[30], [40]] },
        { name: 'country', shape: [2], datatype: 'BYTES', data: ['de', 'fr'] },
      ],
    };
    expect(v2Features(req, 100)).toEqual([
      { x_0: 1, x_1: 2, x_2: 3, age: 30, country: 'de' },
      { x_0: 4, x_1: 5, x_2: 6, age: 40, country: 'fr' },
    ]);
  });
  it('a single output gives its row (a number when k = 1); several give objects by name', () => {
    expect(v2Predictions({ outputs: [{ name: 'score', shape: [2, 1], data: [0.1, 0.9] }] }, 100)).toEqual([0.1, 0.9]);
    expect(v2Predictions({ outputs: [{ name: 'probs', shape: [2, 2], data: [0.1, 0.9, 0.8, 0.2] }] }, 100)).toEqual([[0.1, 0.9], [0.8, 0.2]]);
    expect(
      v2Predictions({ outputs: [{ name: 'score', shape: [2, 1], data: [0.1, 0.9] }, { name: 'label', shape: [2], data: ['a', 'b'] }] }, 100),
    ).toEqual([{ score: 0.1, label: 'a' }, { score: 0.9, label: 'b' }]);
  });
  it('survives missing shapes, short data and caps rows', () => {
    expect(v2Features({ inputs: [{ name: 'x', data: [1, 2] }] }, 10)).toEqual([{ x_0: 1, x_1: 2 }]);
    expect(v2Features({ inputs: [{ name: 'x', shape: [3, 2], data: [1, 2, 3] }] }, 10)).toEqual([{ x_0: 1, x_1: 2 }]);
    expect(v2Features({ inputs: [{ name: 'x', shape: [5, 1], data: [1, 2, 3, 4, 5] }] }, 2)).toHaveLength(2);
    expect(v2Predictions({ outputs: 'x' }, 10)).toEqual([]);
  });
});

describe('JSON pointers (route.extract)', () => {
  const plan = planFor(testRoute('custom', { features: ['a', 'b'], extract: { features: '/payload/rows', predictions: '/result/scores' } }));
  it('reads features and predictions at the configured pointers', () => {
    const req = { payload: { rows: [[1, 2], { a: 3, b: 4 }] } };
    expect(extractFeatures('v1', req, plan, 100)).toEqual([{ a: 1, b: 2 }, { a: 3, b: 4 }]);
    expect(extractPredictions('v1', { result: { scores: [0.5, 0.7] } }, plan, 100)).toEqual([0.5, 0.7]);
  });
  it('a single object or value at the pointer is one instance; nothing there is empty', () => {
    expect(extractFeatures('v1', { payload: { rows: { a: 1 } } }, plan, 100)).toEqual([{ a: 1 }]);
    expect(extractPredictions('v1', { result: { scores: 0.5 } }, plan, 100)).toEqual([0.5]);
    expect(extractFeatures('v1', { other: 1 }, plan, 100)).toEqual([]);
  });
  it('toInstance leaves objects alone', () => {
    const o = { z: 1 };
    expect(toInstance(o, ['a'])).toBe(o);
  });
});
