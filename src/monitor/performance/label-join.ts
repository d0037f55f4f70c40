/**
 * The join of delayed labels to logged predictions, in memory and bounded (pure: no I/O).
 *
 * Predictions: every entry of the route's stream (live and shadow share a request id) is
 * remembered by request id, with the numbers its outputs stand for (at most MAX_INSTANCES
 * per request); live entries also by unit. At most `capacity` requests are kept, oldest
 * dropped first: that is the join's memory bound.
 * Labels: `{rid}` joins that request; `{unit, ts}` joins the unit's live request whose time is
 * closest to `ts` within `toleranceMs`. A label whose prediction is not (yet) known waits
 * (`pending`) until its prediction arrives or `expire` gives up on it; the consumer may also
 * fetch predictions from the stream by time for labels that carry `ts` (`wanted`, then
 * `resolveFrom`): those old predictions join their labels without entering the index, so a
 * burst of late labels never pushes recent requests out of it.
 * A request is labelled once: later labels for it count as `duplicate` (as does a repeated
 * label `id`). Once labelled, every role of the request yields one pair (live, and each
 * shadow, also a shadow logged after the label).
 */
import { entryOutputs, isJudgeable, type LogEntry } from '../../predictions/schema.ts';
import type { PerformanceConfig } from '../../config/schema.ts';
import { labelProblem, predictionValue } from './prediction-value.ts';

export const MAX_INSTANCES = 16;

export interface Label {
  rid?: string;
  unit?: string;
  /** the prediction's time (ms), when the application knows it */
  ts?: number;
  label: number;
  /** which instance of a batched request (0 by default) */
  index: number;
  id?: string;
}

export interface Pair {
  role: 'live' | 'shadow';
  /** the variant (live) or shadow name */
  name: string;
  /** prediction time, ms */
  ts: number;
  value: number;
  label: number;
}

export type LabelCounter = 'matched' | 'unmatched' | 'duplicate' | 'invalid_label' | 'invalid_prediction';
export const LABEL_COUNTERS: readonly LabelCounter[] = ['matched', 'unmatched', 'duplicate', 'invalid_label', 'invalid_prediction'];

interface RoleOutput {
  role: 'live' | 'shadow';
  name: string;
  /** per instance: the number, or undefined (error, unusable output) */
  values: (number | undefined)[];
}

interface Prediction {
  rid: string;
  ts: number;
  unit: string;
  outputs: RoleOutput[];
  /** set once labelled */
  label?: { value: number; index: number };
}

interface Waiting {
  l: Label;
  since: number;
  /** a stream lookup was already made for it */
  looked: boolean;
}

const UNIT_HISTORY = 32;

export class LabelJoin {
  private readonly byRid = new Map<string, Prediction>();
  private readonly byUnit = new Map<string, string[]>();
  private readonly waiting = new Map<string, Waiting[]>();
  private waitingCount = 0;
  private readonly ids = new Set<string>();
  /** requests labelled through resolveFrom (not in the index), so a second label is a duplicate */
  private readonly labelledOld = new Set<string>();
  readonly counters: Record<LabelCounter, number> = { matched: 0, unmatched: 0, duplicate: 0, invalid_label: 0, invalid_prediction: 0 };

  constructor(
    private readonly cfg: PerformanceConfig,
    private readonly capacity: number,
    private readonly toleranceMs: number,
    /** receives every joined pair */
    private readonly emit: (p: Pair) => void,
  ) {}

  get size(): number {
    return this.byRid.size;
  }

  get pending(): number {
    return this.waitingCount;
  }

  /** A logged entry (live or shadow); the stream is at least once, so a repeated role is ignored. */
  addPrediction(e: LogEntry): void {
    let p = this.byRid.get(e.rid);
    const unit = e.fields.unit ?? '';
    if (!p) {
      p = { rid: e.rid, ts: e.ts, unit: '', outputs: [] };
      this.byRid.set(e.rid, p);
      if (this.byRid.size > this.capacity) this.evictOldest();
    }
    if (p.outputs.some((o) => o.role === e.role && o.name === e.variant)) return;
    const values = isJudgeable(e) ? entryOutputs(e).slice(0, MAX_INSTANCES).map((out) => predictionValue(out, this.cfg)) : [];
    const out: RoleOutput = { role: e.role, name: e.variant, values };
    p.outputs.push(out);
    if (e.role === 'live') {
      p.ts = e.ts;
      if (unit && !p.unit) {
        p.unit = unit;
        const list = this.byUnit.get(unit);
        if (list) {
          list.push(e.rid);
          if (list.length > UNIT_HISTORY) list.shift();
        } else this.byUnit.set(unit, [e.rid]);
      }
    }
    if (p.label) this.pairOf(p, out);
    else this.settle(p, e.role === 'live' ? unit : '');
  }

  /** A label read from the outcome stream. */
  addLabel(l: Label, now: number): void {
    if (labelProblem(l.label, this.cfg.task)) {
      this.counters.invalid_label++;
      return;
    }
    if (l.id !== undefined) {
      if (this.ids.has(l.id)) {
        this.counters.duplicate++;
        return;
      }
      this.ids.add(l.id);
      if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    }
    const p = this.find(l);
    if (p) return this.apply(p, l);
    if (this.waitingCount >= this.capacity) {
      this.counters.unmatched++;
      return;
    }
    const key = waitKey(l);
    const w: Waiting = { l, since: now, looked: false };
    const list = this.waiting.get(key);
    if (list) list.push(w);
    else this.waiting.set(key, [w]);
    this.waitingCount++;
  }

  /**
   * Waiting labels that carry a time and had no stream lookup yet (at most `max`): the consumer
   * reads the stream around each time, feeds what it finds to addPrediction, and the labels
   * join then. Each is returned once.
   */
  wanted(max: number): { ts: number; rid?: string; unit?: string }[] {
    const out: { ts: number; rid?: string; unit?: string }[] = [];
    for (const list of this.waiting.values()) {
      for (const w of list) {
        if (out.length >= max) return out;
        if (w.looked || w.l.ts === undefined) continue;
        w.looked = true;
        out.push({ ts: w.l.ts, rid: w.l.rid, unit: w.l.unit });
      }
    }
    return out;
  }

  /**
   * Entries read from the stream for `wanted` labels: waiting labels whose request (or unit
   * and time) is among them join now. The entries are not remembered.
   */
  resolveFrom(entries: readonly LogEntry[]): void {
    if (this.waitingCount === 0) return;
    const temp = new Map<string, Prediction>();
    for (const e of entries) {
      if (this.byRid.has(e.rid)) continue; // the index has it: the normal path joins it
      let p = temp.get(e.rid);
      if (!p) temp.set(e.rid, (p = { rid: e.rid, ts: e.ts, unit: '', outputs: [] }));
      if (p.outputs.some((o) => o.role === e.role && o.name === e.variant)) continue;
      p.outputs.push({ role: e.role, name: e.variant, values: isJudgeable(e) ? entryOutputs(e).slice(0, MAX_INSTANCES).map((out) => predictionValue(out, this.cfg)) : [] });
      if (e.role === 'live') {
        p.ts = e.ts;
        p.unit = e.fields.unit ?? '';
      }
    }
    if (!temp.size) return;
    const byUnit = new Map<string, Prediction[]>();
    for (const p of temp.values()) if (p.unit) byUnit.set(p.unit, [...(byUnit.get(p.unit) ?? []), p]);
    for (const [key, list] of this.waiting) {
      const still = list.filter((w) => {
        const p = w.l.rid !== undefined ? temp.get(w.l.rid) : w.l.unit !== undefined && w.l.ts !== undefined ? closest(byUnit.get(w.l.unit) ?? [], w.l.ts, this.toleranceMs) : undefined;
        if (!p) return true;
        if (this.labelledOld.has(p.rid)) this.counters.duplicate++;
        else {
          this.labelledOld.add(p.rid);
          if (this.labelledOld.size > this.capacity) this.labelledOld.delete(this.labelledOld.values().next().value as string);
          this.apply(p, w.l);
        }
        return false;
      });
      this.waitingCount -= list.length - still.length;
      if (still.length) this.waiting.set(key, still);
      else this.waiting.delete(key);
    }
  }

  /** Labels that waited longer than `joinMs` count as unmatched. */
  expire(now: number, joinMs: number): number {
    let n = 0;
    for (const [key, list] of this.waiting) {
      if (now - list[0].since <= joinMs) break; // keys are in arrival order of their first label
      this.waiting.delete(key);
      n += list.length;
    }
    this.waitingCount -= n;
    this.counters.unmatched += n;
    return n;
  }

  private find(l: Label): Prediction | undefined {
    if (l.rid !== undefined) return this.byRid.get(l.rid);
    if (l.unit === undefined || l.ts === undefined) return undefined;
    const candidates: Prediction[] = [];
    for (const rid of this.byUnit.get(l.unit) ?? []) {
      const p = this.byRid.get(rid);
      if (p) candidates.push(p);
    }
    return closest(candidates, l.ts, this.toleranceMs);
  }

  private apply(p: Prediction, l: Label): void {
    if (p.label) {
      this.counters.duplicate++;
      return;
    }
    p.label = { value: l.label, index: l.index };
    this.counters.matched++;
    for (const out of p.outputs) this.pairOf(p, out);
  }

  private pairOf(p: Prediction, out: RoleOutput): void {
    const label = p.label as { value: number; index: number };
    const value = out.values[label.index];
    if (value === undefined) {
      if (out.role === 'live') this.counters.invalid_prediction++;
      return;
    }
    this.emit({ role: out.role, name: out.name, ts: p.ts, value, label: label.value });
  }

  /** labels waiting for this request (or, for a live entry, for its unit) join now */
  private settle(p: Prediction, unit: string): void {
    if (this.waitingCount === 0) return;
    const byRid = this.waiting.get(`r:${p.rid}`);
    if (byRid) {
      this.waiting.delete(`r:${p.rid}`);
      this.waitingCount -= byRid.length;
      for (const w of byRid) this.apply(p, w.l);
    }
    if (!unit) return;
    const byUnit = this.waiting.get(`u:${unit}`);
    if (!byUnit) return;
    const still = byUnit.filter((w) => {
      const found = this.find(w.l);
      if (!found) return true;
      this.apply(found, w.l);
      return false;
    });
    this.waitingCount -= byUnit.length - still.length;
    if (still.length) this.waiting.set(`u:${unit}`, still);
    else this.waiting.delete(`u:${unit}`);
  }

  private evictOldest(): void {
    const [rid, p] = this.byRid.entries().next().value as [string, Prediction];
    this.byRid.delete(rid);
    if (!p.unit) return;
    const list = this.byUnit.get(p.unit);
    if (!list) return;
    const i = list.indexOf(rid);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byUnit.delete(p.unit);
  }
}

/** the live request closest in time to `ts`, within `toleranceMs` */
function closest(candidates: readonly Prediction[], ts: number, toleranceMs: number): Prediction | undefined {
  let best: Prediction | undefined;
  for (const p of candidates) {
    if (!p.outputs.some((o) => o.role === 'live')) continue;
    const d = Math.abs(p.ts - ts);
    if (d <= toleranceMs && (!best || d < Math.abs(best.ts - ts))) best = p;
  }
  return best;
}

const waitKey = (l: Label): string => (l.rid !== undefined ? `r:${l.rid}` : `u:${l.unit ?? ''}`);
