/**
 * Reference values computed independently of this code: by hand (shown), from scikit-learn's
 * documentation examples (named), or with Python's math module (the expression is given).
 */
import { describe, expect, it } from 'vitest';
import { accuracy, aucRoc, brierScore, confusionAt, eceBin, expectedCalibrationError, logLoss, meanAbsoluteError, precision, recall, rootMeanSquaredError } from './quality-metrics.ts';

// scikit-learn roc_auc_score docs example: y_true [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] -> 0.75
const Y = [0, 0, 1, 1];
const P = [0.1, 0.4, 0.35, 0.8];

/** the definition, O(n^2): every (positive, negative) pair, ties as halves */
function pairCountAuc(s: number[], y: number[]): number {
  let num = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
    if (y[i] !== 1 || y[j] === 1) continue;
    pairs++;
    num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
  }
  return num / pairs;
}

describe('aucRoc (Mann-Whitney count, ties as halves)', () => {
  it('matches the scikit-learn documentation example', () => {
    expect(aucRoc(P, Y)).toBe(0.75);
  });

  it('counts ties as halves', () => {
    // positives {0.5, 0.9}, negatives {0.5, 0.5}: 0.5-vs-0.5 twice = 2 * 1/2, 0.9 beats both = 2 -> 3/4
    expect(aucRoc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBe(0.75);
    // positives {0.2, 0.6}, negatives {0.2, 0.6, 0.6}: 0.2 -> 1/2 + 0 + 0; 0.6 -> 1 + 1/2 + 1/2 = 2.5 of 6 pairs
    expect(aucRoc([0.2, 0.2, 0.6, 0.6, 0.6], [1, 0, 1, 0, 0])).toBeCloseTo(2.5 / 6, 15);
    // every score equal: 1/2
    expect(aucRoc([0.3, 0.3, 0.3], [1, 0, 1])).toBe(0.5);
  });

  it('is 1 for perfect ranking, 0 for reversed, null with one class only', () => {
    expect(aucRoc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(aucRoc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(aucRoc([0.1, 0.2], [1, 1])).toBeNull();
    expect(aucRoc([], [])).toBeNull();
  });

  it('equals the pair count on 2000 seeded draws with many ties', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const s: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const label = rnd() < 0.3 ? 1 : 0;
      y.push(label);
      s.push(Math.round((rnd() * 0.7 + label * 0.3) * 20) / 20); // 21 distinct values: many ties
    }
    // both sides are sums of halves over < 2^22 pairs: exact in doubles up to the final division
    expect(aucRoc(s, y)).toBeCloseTo(pairCountAuc(s, y), 12);
  });
});

describe('logLoss (eps 1e-15)', () => {
  it('matches the definition', () => {
    // Python: -(math.log(.9) + math.log(.6) + math.log(.35) + math.log(.8)) / 4
    expect(logLoss(P, Y)).toBeCloseTo(0.47228795380917615, 14);
  });
  it('clips certain wrong and right answers at 1e-15', () => {
    // Python: -math.log(1e-15) = 34.538776394910684, -math.log(1 - 1e-15) = 9.992007221626415e-16
    expect(logLoss([0], [1])).toBeCloseTo(34.538776394910684, 12);
    expect(logLoss([1, 0], [1, 0])).toBeCloseTo(9.992007221626415e-16, 25);
    expect(logLoss([0, 1], [1, 1])).toBeCloseTo(17.269388197455342, 12);
    expect(logLoss([], [])).toBeNull();
  });
});

describe('brierScore', () => {
  it('is the mean squared difference', () => {
    // (0.1^2 + 0.4^2 + 0.65^2 + 0.2^2) / 4 = (0.01 + 0.16 + 0.4225 + 0.04) / 4 = 0.158125
    expect(brierScore(P, Y)).toBeCloseTo(0.158125, 15);
    // scikit-learn brier_score_loss docs: y [0, 1, 1, 0], p [0.1, 0.9, 0.8, 0.3] -> 0.0375
    expect(brierScore([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0])).toBeCloseTo(0.0375, 15);
  });
});

describe('expectedCalibrationError (10 equal-width bins)', () => {
  it('bins by floor(10 p), 1.0 in the last bin', () => {
    expect([0, 0.05, 0.1, 0.35, 0.99, 1].map((p) => eceBin(p))).toEqual([0, 0, 1, 3, 9, 9]);
  });
  it('weights each bin by its share', () => {
    // one score per bin: (|0 - 0.1| + |0 - 0.4| + |1 - 0.35| + |1 - 0.8|) / 4 = 1.35 / 4
    expect(expectedCalibrationError(P, Y)).toBeCloseTo(0.3375, 15);
    // bin 1: p 0.12, 0.18, 0.15 (mean 0.15), y 0, 1, 0 (mean 1/3) -> 0.18333..
    // bin 9: p 0.91, 0.95, 1.0 (mean 0.953333..), y 1, 1, 0 (mean 2/3) -> 0.28666..
    // ECE = 0.5 * 0.183333.. + 0.5 * 0.286666.. = 0.235
    expect(expectedCalibrationError([0.12, 0.18, 0.15, 0.91, 0.95, 1.0], [0, 1, 0, 1, 1, 0])).toBeCloseTo(0.235, 14);
  });
});

describe('precision and recall at a threshold (p >= t is positive)', () => {
  it('counts the confusion matrix', () => {
    // t = 0.5: only 0.8 is predicted positive -> tp 1, fp 0, fn 1 (0.35), tn 2 (0.1, 0.4)
    const c = confusionAt(P, Y, 0.5);
    expect(c).toEqual({ tp: 1, fp: 0, fn: 1, tn: 2 });
    expect([precision(c), recall(c)]).toEqual([1, 0.5]);
    // t = 0.35 (inclusive): 0.4, 0.35, 0.8 positive -> tp 2, fp 1
    const d = confusionAt(P, Y, 0.35);
    expect([precision(d), recall(d)]).toEqual([2 / 3, 1]);
    expect(precision(confusionAt(P, Y, 0.99))).toBeNull();
  });
});

describe('regression and classes', () => {
  it('MAE and RMSE match the scikit-learn documentation example', () => {
    // mean_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.5; mean_squared_error = 0.375
    expect(meanAbsoluteError([2.5, 0.0, 2, 8], [3, -0.5, 2, 7])).toBe(0.5);
    expect(rootMeanSquaredError([2.5, 0.0, 2, 8], [3, -0.5, 2, 7])).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(meanAbsoluteError([], [])).toBeNull();
  });
  it('accuracy matches the scikit-learn documentation example', () => {
    // accuracy_score([0, 1, 2, 3], [0, 2, 1, 3]) = 0.5
    expect(accuracy([0, 2, 1, 3], [0, 1, 2, 3])).toBe(0.5);
  });
});
