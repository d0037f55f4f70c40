/**
 * Stored hourly samples for `seasonal` baselines (pure): what one UTC hour of one window key
 * (`live:v1`) looked like, kept after the stream has trimmed the entries themselves.
 * Bounded: per hour a uniform reservoir of at most HOUR_SAMPLE entries (Algorithm R, with a
 * PRNG seeded by the hour and the count, so a replay decides alike), each kept as the raw
 * `features` and `prediction` JSON the stream held, if together at most SAMPLED_ENTRY_BYTES
 * (a wider entry is counted in `skipped`, not kept); per hour-of-week slot the newest `keep`
 * hours (= `weeks`). So one slot holds at most keep × HOUR_SAMPLE × SAMPLED_ENTRY_BYTES. An entry is parsed only when a reference is built, so keeping the sample
 * costs one random draw per entry.
 */
import { mulberry32 } from '../runtime/synthetic.ts';
import { parseEntry, type LogEntry } from '../../predictions/schema.ts';

export const HOUR_SAMPLE = 100;
/** UTF-16 code units of `features` + `prediction` a sampled entry may have (about 2 KiB of ASCII) */
export const SAMPLED_ENTRY_BYTES = 2048;

/** One sampled entry: what a reference needs of it. */
export interface SampledEntry {
  ts: number;
  version: string;
  features: string;
  prediction: string;
}

export interface HourAggregate {
  hour_start: number;
  /** entries seen in the hour (the reservoir's counter) */
  entries: number;
  /** a uniform sample of them, at most HOUR_SAMPLE */
  sample: SampledEntry[];
  /** entries drawn for the sample but too wide to keep */
  skipped?: number;
}

/** One hour-of-week slot of one window key: its newest hours, newest first. */
export interface SlotAggregates {
  hours: HourAggregate[];
}

const keep = (e: LogEntry): SampledEntry => ({ ts: e.ts, version: e.version, features: e.featuresJson, prediction: e.predictionJson });

/** Adds entries (all of the hour `hour_start`) to its sample, in place. */
export function addToHour(h: HourAggregate, entries: readonly LogEntry[]): HourAggregate {
  const seed = Math.floor(h.hour_start / 1000);
  for (const e of entries) {
    h.entries++;
    const j = h.sample.length < HOUR_SAMPLE ? h.sample.length : Math.floor(mulberry32(seed ^ h.entries)() * h.entries);
    if (j >= HOUR_SAMPLE) continue;
    if (e.featuresJson.length + e.predictionJson.length > SAMPLED_ENTRY_BYTES) h.skipped = (h.skipped ?? 0) + 1;
    else h.sample[j] = keep(e);
  }
  return h;
}

/** Puts entries of one hour into its slot: the hour is created when new, and only the newest `keep` hours stay. */
export function addToSlot(slot: SlotAggregates | null, hourStart: number, entries: readonly LogEntry[], keepHours: number): SlotAggregates {
  const s: SlotAggregates = slot ?? { hours: [] };
  let h = s.hours.find((x) => x.hour_start === hourStart);
  if (!h) {
    h = { hour_start: hourStart, entries: 0, sample: [] };
    s.hours.push(h);
    s.hours.sort((a, b) => b.hour_start - a.hour_start);
  }
  addToHour(h, entries);
  s.hours = s.hours.slice(0, keepHours);
  return s;
}

/** The sampled entries of stored hours, as log entries (role, variant and status are the window's). */
export function sampledEntries(hours: readonly HourAggregate[], variant: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const h of hours)
    h.sample.forEach((s, i) => out.push(parseEntry(`${s.ts}-${i}`, ['ts', String(s.ts), 'rid', `${h.hour_start}-${i}`, 'variant', variant, 'version', s.version, 'status', '200', 'features', s.features, 'prediction', s.prediction])));
  return out;
}
