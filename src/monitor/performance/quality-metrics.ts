/**
 * Model quality from (prediction, label) pairs: pure functions, no I/O. Each returns `null`
 * when it is undefined for the input (no pairs, a single class for AUC, no predicted
 * positives for precision), never NaN, so reports stay valid JSON.
 *
 * Conventions (docs/model-quality.md):
 * - AUC-ROC: the Mann-Whitney count. Over every (positive, negative) pair, 1 when the positive
 *   scores higher, 1/2 on a tie; divided by n_pos * n_neg. Computed in O(n log n); equal to
 *   sklearn's roc_auc_score.
 * - log loss: mean of -(y ln p + (1 - y) ln(1 - p)) with p clipped to [eps, 1 - eps],
 *   eps = 1e-15 (sklearn's classic `eps`).
 * - Brier score: mean of (p - y)^2.
 * - ECE: 10 equal-width bins over [0, 1], a score's bin is min(9, floor(10 p));
 *   ECE = sum over bins of (n_b / n) * |mean(y_b) - mean(p_b)|.
 * - precision / recall at a threshold t: predicted positive when p >= t.
 * - MAE, RMSE for regression; accuracy (exact equality) for classes.
 */

export const LOG_LOSS_EPS = 1e-15;
export const ECE_BINS = 10;

/**
 * AUC-ROC of scores against 0/1 labels (any label other than 1 counts as negative). Positives
 * and negatives are sorted apart (typed-array sorts), then each positive counts the negatives
 * below it plus half of those equal to it: the Mann-Whitney count in O(n log n).
 */
export function aucRoc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (labels[i] === 1) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  let below = 0; // negatives strictly below the current positive
  let upTo = 0; // negatives at or below it
  let count = 0; // sums of halves: exact in doubles far past any window's size
  for (let i = 0; i < nPos; i++) {
    const p = pos[i];
    while (below < nNeg && neg[below] < p) below++;
    if (upTo < below) upTo = below;
    while (upTo < nNeg && neg[upTo] <= p) upTo++;
    count += below + (upTo - below) / 2;
  }
  return count / (nPos * nNeg);
}

export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>, eps = LOG_LOSS_EPS): number | null {
  const n = probs.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probs[i]));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / n;
}

export function brierScore(probs: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = probs.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = probs[i] - (labels[i] === 1 ? 1 : 0);
    sum += d * d;
  }
  return sum / n;
}

/** the ECE bin of a probability: min(bins - 1, floor(bins * p)), p clamped to [0, 1] */
export const eceBin = (p: number, bins = ECE_BINS): number => Math.min(bins - 1, Math.max(0, Math.floor(bins * p)));

export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = ECE_BINS): number | null {
  const n = probs.length;
  if (n === 0) return null;
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = eceBin(probs[i], bins);
    count[b]++;
    sumP[b] += probs[i];
    sumY[b] += labels[i] === 1 ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += (count[b] / n) * Math.abs(sumY[b] / count[b] - sumP[b] / count[b]);
  return ece;
}

export interface ThresholdCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function confusionAt(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ThresholdCounts {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < probs.length; i++) {
    const predicted = probs[i] >= threshold;
    const actual = labels[i] === 1;
    if (predicted && actual) c.tp++;
    else if (predicted) c.fp++;
    else if (actual) c.fn++;
    else c.tn++;
  }
  return c;
}

export const precision = (c: ThresholdCounts): number | null => (c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp));
export const recall = (c: ThresholdCounts): number | null => (c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn));

export function meanAbsoluteError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number | null {
  const n = predicted.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(predicted[i] - actual[i]);
  return sum / n;
}

export function rootMeanSquaredError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number | null {
  const n = predicted.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = predicted[i] - actual[i];
    sum += d * d;
  }
  return Math.sqrt(sum / n);
}

export function accuracy(predicted: ArrayLike<number>, actual: ArrayLike<number>): number | null {
  const n = predicted.length;
  if (n === 0) return null;
  let hits = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === actual[i]) hits++;
  return hits / n;
}
