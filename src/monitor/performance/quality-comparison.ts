/**
 * Canary against stable on labelled predictions (pure): the newest window of prediction time
 * that overlaps the current step (it ends after the step started) in which both variants have
 * at least `minLabels` labelled predictions. Same window, so both saw the same traffic period.
 */
import type { WindowFigures } from './performance-report.ts';

export interface QualitySample {
  /** per-window figures of the canary and the stable variant (the performance report's windows) */
  canary: readonly WindowFigures[];
  stable: readonly WindowFigures[];
  /** the current step's start, ms */
  since: number;
}

export interface QualityPair {
  start: number;
  end: number;
  canary: WindowFigures;
  stable: WindowFigures;
}

export function latestComparable(q: QualitySample, minLabels: number): QualityPair | undefined {
  const stable = new Map(q.stable.map((w) => [w.start, w]));
  let best: QualityPair | undefined;
  for (const c of q.canary) {
    const s = stable.get(c.start);
    if (!s || c.end <= q.since || c.labels < minLabels || s.labels < minLabels) continue;
    if (!best || c.start > best.start) best = { start: c.start, end: c.end, canary: c, stable: s };
  }
  return best;
}

/** the most labels either side has in a window overlapping the step (for the insufficient-data message) */
export function labelsSoFar(q: QualitySample): { canary: number; stable: number } {
  const max = (ws: readonly WindowFigures[]) => ws.filter((w) => w.end > q.since).reduce((m, w) => Math.max(m, w.labels), 0);
  return { canary: max(q.canary), stable: max(q.stable) };
}
