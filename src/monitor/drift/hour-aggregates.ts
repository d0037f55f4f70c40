/**
 * Stored hourly aggregates for `seasonal` baselines (pure): what one UTC hour of one window key
 * (`live:v1`) looked like, kept after the stream has trimmed the entries themselves. Bounded:
 * per column a reservoir of at most HOUR_SAMPLE numbers (uniform over the hour, Algorithm R
 * with a PRNG seeded by the hour and the count, so replays are deterministic) and at most
 * HOUR_CATEGORIES category counts (further categories count as `(other)`); per hour-of-week
 * slot the newest `keep` hours (= `weeks`).
 */
import { mulberry32 } from '../runtime/synthetic.ts';
import { entryInstances, entryOutputs, type LogEntry } from '../runtime/entry.ts';
import { outputValue, ReferenceBuilder } from './reference-builder.ts';

export const HOUR_SAMPLE = 100;
export const HOUR_CATEGORIES = 64;
export const OTHER = '(other)';

export interface ColumnAggregate {
  /** numbers seen (the reservoir's counter) */
  n: number;
  /** a uniform sample of them, at most HOUR_SAMPLE */
  values: number[];
  /** labels (strings, booleans) by count */
  labels: Record<string, number>;
}

export interface HourAggregate {
  hour_start: number;
  /** entries added */
  entries: number;
  features: Record<string, ColumnAggregate>;
  output: ColumnAggregate | null;
}

/** One hour-of-week slot of one window key: its newest hours, newest first. */
export interface SlotAggregates {
  hours: HourAggregate[];
}

const emptyColumn = (): ColumnAggregate => ({ n: 0, values: [], labels: {} });

function addValue(c: ColumnAggregate, v: unknown, seed: number): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return;
    c.n++;
    if (c.values.length < HOUR_SAMPLE) c.values.push(v);
    else {
      const j = Math.floor(mulberry32(seed ^ c.n)() * c.n);
      if (j < HOUR_SAMPLE) c.values[j] = v;
    }
  } else if (typeof v === 'string' || typeof v === 'boolean') {
    let k = String(v);
    if (!(k in c.labels) && Object.keys(c.labels).length >= HOUR_CATEGORIES) k = OTHER;
    c.labels[k] = (c.labels[k] ?? 0) + 1;
  }
}

/** Adds entries (all of the hour `hourStart`) to its aggregate, in place. */
export function addToHour(h: HourAggregate, entries: readonly LogEntry[]): HourAggregate {
  const seed = Math.floor(h.hour_start / 1000);
  for (const e of entries) {
    h.entries++;
    for (const inst of entryInstances(e)) for (const k in inst) addValue((h.features[k] ??= emptyColumn()), inst[k], seed ^ hashName(k));
    for (const o of entryOutputs(e)) addValue((h.output ??= emptyColumn()), outputValue(o), seed ^ 0x5bd1e995);
  }
  return h;
}

/** Puts entries of one hour into its slot: the hour is created when new, and only the newest `keep` hours stay. */
export function addToSlot(slot: SlotAggregates | null, hourStart: number, entries: readonly LogEntry[], keep: number): SlotAggregates {
  const s: SlotAggregates = slot ?? { hours: [] };
  let h = s.hours.find((x) => x.hour_start === hourStart);
  if (!h) {
    h = { hour_start: hourStart, entries: 0, features: {}, output: null };
    s.hours.push(h);
    s.hours.sort((a, b) => b.hour_start - a.hour_start);
  }
  addToHour(h, entries);
  s.hours = s.hours.slice(0, keep);
  return s;
}

/** Feeds stored hours into a reference builder: every sampled number, every label count. */
export function feedHours(b: ReferenceBuilder, hours: readonly HourAggregate[]): void {
  for (const h of hours) {
    for (const [k, c] of Object.entries(h.features)) {
      for (const v of c.values) b.addInstance({ [k]: v });
      for (const [label, n] of Object.entries(c.labels)) for (let i = 0; i < n; i++) b.addInstance({ [k]: label });
    }
    if (h.output) {
      for (const v of h.output.values) b.addOutput(v);
      for (const [label, n] of Object.entries(h.output.labels)) for (let i = 0; i < n; i++) b.addOutput(label);
    }
  }
}

function hashName(s: string): number {
  let x = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x01000193);
  return x >>> 0;
}
