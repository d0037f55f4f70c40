/**
 * The join of assignments and outcomes for one experiment, in memory and bounded (pure: no I/O).
 *
 * Exposures: live log entries. Only `assign=hash` entries of a plan arm count; a unit keeps the
 * arm of its first exposure (a later exposure on another arm is counted as a crossover). A
 * request id maps to its unit (or to "excluded" for forced, random and non-arm requests).
 * Outcomes: joined by request id or unit; an outcome whose key is not known yet waits up to the
 * join window (the monitor may read the outcome before the prediction), then counts as
 * unmatched; outcomes of excluded requests count as excluded; an outcome `id` seen before is
 * a duplicate. A unit's value for a metric is the sum of its outcome values (0 without any).
 * Bounds: at most `maxUnits` units (later ones are counted as overflow, not analysed), as many
 * remembered request ids, and as many waiting outcomes.
 */
import { ArmStats, type ArmSnapshot } from './arm-stats.ts';
import { classifyOutcome } from '../../analysis/outcome.ts';

export interface Exposure {
  rid: string;
  /** the logged unit hash ('' when the log omits units: the request is then its own unit) */
  unit: string;
  variant: string;
  assign: string;
  ts: number;
  status: number;
  /** the entry's error code, if any (classified by analysis/outcome.ts) */
  error?: string | undefined;
  latencyMs: number;
}

export interface OutcomeEvent {
  rid?: string;
  unit?: string;
  metric: string;
  value: number;
  id?: string;
}

interface Waiting extends OutcomeEvent {
  key: string;
  since: number;
}

export interface JoinCounters {
  matched: number;
  unmatched: number;
  excluded: number;
  duplicate: number;
  crossovers: number;
  overflow_units: number;
  dropped_metrics: number;
}

export interface TrackerSnapshot {
  units: [string, number][];
  rids: [string, number][];
  arms: ArmSnapshot[];
  waiting: Waiting[];
  ids: string[];
  counters: JoinCounters;
}

export const EXCLUDED = -1;
export const MAX_METRICS = 32;

export class ExperimentTracker {
  /** unit key -> unit index (arm is unitArm[index]) */
  private readonly units = new Map<string, number>();
  private readonly unitArm: number[] = [];
  /** unit index -> position in its arm's arrival order */
  private readonly unitPos: number[] = [];
  private readonly rids = new Map<string, number>();
  private readonly waiting = new Map<string, Waiting[]>();
  private waitingCount = 0;
  private readonly ids = new Set<string>();
  readonly arms: ArmStats[];
  readonly counters: JoinCounters = { matched: 0, unmatched: 0, excluded: 0, duplicate: 0, crossovers: 0, overflow_units: 0, dropped_metrics: 0 };

  constructor(
    readonly armNames: readonly string[],
    private readonly maxUnits: number,
  ) {
    this.arms = armNames.map(() => new ArmStats());
  }

  get unitCount(): number {
    return this.unitArm.length;
  }

  get pending(): number {
    return this.waitingCount;
  }

  expose(e: Exposure): void {
    const arm = this.armNames.indexOf(e.variant);
    if (e.assign !== 'hash' || arm < 0) {
      this.remember(e.rid, EXCLUDED);
      this.settle(`r:${e.rid}`, EXCLUDED);
      return;
    }
    this.arms[arm].request(classifyOutcome(e), e.latencyMs);
    const key = e.unit || `rid:${e.rid}`;
    let idx = this.units.get(key);
    if (idx === undefined) {
      if (this.unitArm.length >= this.maxUnits) {
        this.counters.overflow_units++;
        this.remember(e.rid, EXCLUDED);
        return;
      }
      idx = this.unitArm.length;
      this.units.set(key, idx);
      this.unitArm.push(arm);
      this.unitPos.push(this.arms[arm].addUnit(idx));
    } else if (this.unitArm[idx] !== arm) this.counters.crossovers++;
    this.remember(e.rid, idx);
    this.settle(`r:${e.rid}`, idx);
    if (e.unit) this.settle(`u:${e.unit}`, idx);
  }

  outcome(o: OutcomeEvent, now: number): void {
    if (o.id !== undefined) {
      if (this.ids.has(o.id)) {
        this.counters.duplicate++;
        return;
      }
      this.ids.add(o.id);
      if (this.ids.size > this.maxUnits) this.ids.delete(this.ids.values().next().value as string);
    }
    const idx = o.rid !== undefined ? this.rids.get(o.rid) : o.unit !== undefined ? this.units.get(o.unit) : undefined;
    if (idx !== undefined) return this.apply(idx, o);
    if (this.waitingCount >= this.maxUnits) {
      this.counters.unmatched++;
      return;
    }
    const key = o.rid !== undefined ? `r:${o.rid}` : `u:${o.unit ?? ''}`;
    const list = this.waiting.get(key);
    const w: Waiting = { ...o, key, since: now };
    if (list) list.push(w);
    else this.waiting.set(key, [w]);
    this.waitingCount++;
  }

  /** Outcomes that waited longer than `joinMs` count as unmatched. */
  expire(now: number, joinMs: number): number {
    let n = 0;
    for (const [key, list] of this.waiting) {
      if (now - list[0].since <= joinMs) break; // keys are in arrival order of their first outcome
      this.waiting.delete(key);
      n += list.length;
    }
    this.waitingCount -= n;
    this.counters.unmatched += n;
    return n;
  }

  /** Per-unit values of `metric` of one arm in arrival order (binary: 1 when the sum is > 0). */
  values(arm: number, metric: string, binary: boolean): Float64Array {
    return this.arms[arm].values(metric, binary);
  }

  private apply(idx: number, o: OutcomeEvent): void {
    if (idx === EXCLUDED) {
      this.counters.excluded++;
      return;
    }
    const arm = this.arms[this.unitArm[idx]];
    if (!arm.hasMetric(o.metric) && this.metricCount() >= MAX_METRICS) {
      this.counters.dropped_metrics++;
      return;
    }
    arm.addOutcome(this.unitPos[idx], o.metric, o.value);
    this.counters.matched++;
  }

  private metricCount(): number {
    const names = new Set<string>();
    for (const a of this.arms) for (const m of a.metricNames()) names.add(m);
    return names.size;
  }

  private settle(key: string, idx: number): void {
    const list = this.waiting.get(key);
    if (!list) return;
    this.waiting.delete(key);
    this.waitingCount -= list.length;
    for (const w of list) this.apply(idx, w);
  }

  private remember(rid: string, idx: number): void {
    this.rids.delete(rid);
    this.rids.set(rid, idx);
    if (this.rids.size > this.maxUnits) this.rids.delete(this.rids.keys().next().value as string);
  }

  snapshot(maxRids = 50_000): TrackerSnapshot {
    const rids = [...this.rids].slice(-maxRids);
    const waiting: Waiting[] = [];
    for (const list of this.waiting.values()) waiting.push(...list);
    return { units: [...this.units], rids, arms: this.arms.map((a) => a.snapshot()), waiting, ids: [...this.ids].slice(-maxRids), counters: { ...this.counters } };
  }

  static restore(armNames: readonly string[], maxUnits: number, s: TrackerSnapshot): ExperimentTracker {
    const t = new ExperimentTracker(armNames, maxUnits);
    s.arms.forEach((a, i) => t.arms[i]?.restore(a));
    for (const [key, idx] of s.units) t.units.set(key, idx);
    t.rebuildUnitArms(s.units.length);
    for (const [rid, idx] of s.rids) t.rids.set(rid, idx);
    for (const w of s.waiting) {
      const list = t.waiting.get(w.key);
      if (list) list.push(w);
      else t.waiting.set(w.key, [w]);
      t.waitingCount++;
    }
    for (const id of s.ids) t.ids.add(id);
    Object.assign(t.counters, s.counters);
    return t;
  }

  /** unit index -> arm and arrival position, from the arms' arrival lists */
  private rebuildUnitArms(n: number): void {
    for (let i = 0; i < n; i++) {
      this.unitArm.push(-1);
      this.unitPos.push(-1);
    }
    this.arms.forEach((a, arm) => a.unitIndices().forEach((idx, pos) => {
      this.unitArm[idx] = arm;
      this.unitPos[idx] = pos;
    }));
  }
}
