/**
 * Labelled pairs kept per window of prediction time, per role and name (pure, bounded).
 * Windows are tumbling, aligned to the epoch: `start = floor(ts / windowMs) * windowMs`. The
 * newest `keep` windows (counted back from the newest window seen) are kept; a pair for an
 * older window counts as `expired`. Each (window, role, name) keeps at most `maxPairs` pairs;
 * later ones count as `overflow` (reported, not scored), so the memory bound is
 * keep x names x maxPairs pairs.
 */
import type { Pair } from './label-join.ts';

export interface ArmPairs {
  values: number[];
  labels: number[];
  overflow: number;
}

export interface WindowSnapshot {
  start: number;
  /** key `live:v1` / `shadow:v3` */
  arms: Record<string, ArmPairs>;
}

export const armKey = (role: string, name: string): string => `${role}:${name}`;

export class QualityWindows {
  private readonly windows = new Map<number, Map<string, ArmPairs>>();
  expired = 0;
  /** bumped on every change, so reports are recomputed only when something changed */
  revision = 0;

  constructor(
    readonly windowMs: number,
    private readonly keep: number,
    private readonly maxPairs: number,
  ) {}

  add(p: Pair): void {
    const start = Math.floor(p.ts / this.windowMs) * this.windowMs;
    if (start < this.oldestKept(start)) {
      this.expired++;
      return;
    }
    let w = this.windows.get(start);
    if (!w) {
      w = new Map();
      this.windows.set(start, w);
      this.prune();
    }
    const key = armKey(p.role, p.name);
    let a = w.get(key);
    if (!a) w.set(key, (a = { values: [], labels: [], overflow: 0 }));
    if (a.values.length >= this.maxPairs) a.overflow++;
    else {
      a.values.push(p.value);
      a.labels.push(p.label);
    }
    this.revision++;
  }

  /** windows oldest first */
  list(): WindowSnapshot[] {
    return [...this.windows.keys()].sort((a, b) => a - b).map((start) => ({ start, arms: Object.fromEntries(this.windows.get(start) as Map<string, ArmPairs>) }));
  }

  snapshot(): { windows: WindowSnapshot[]; expired: number } {
    return { windows: this.list(), expired: this.expired };
  }

  static restore(windowMs: number, keep: number, maxPairs: number, s: { windows: WindowSnapshot[]; expired: number } | undefined): QualityWindows {
    const q = new QualityWindows(windowMs, keep, maxPairs);
    if (!s) return q;
    for (const w of s.windows) q.windows.set(w.start, new Map(Object.entries(w.arms)));
    q.expired = s.expired ?? 0;
    q.prune();
    return q;
  }

  private newest(): number {
    let m = Number.NEGATIVE_INFINITY;
    for (const s of this.windows.keys()) if (s > m) m = s;
    return m;
  }

  private oldestKept(candidate: number): number {
    const newest = Math.max(this.newest(), candidate);
    return newest - (this.keep - 1) * this.windowMs;
  }

  private prune(): void {
    const limit = this.oldestKept(Number.NEGATIVE_INFINITY);
    for (const s of [...this.windows.keys()]) if (s < limit) this.windows.delete(s);
  }
}
