/**
 * Reads past entries of a route's prediction stream by time: stream ids are ms timestamps, so
 * a time range is an XRANGE. Every read is a list of bounded slices (drift/baseline-periods.ts
 * `sampleSlices` cuts them), sent in one pipeline on the stream's own key (one cluster slot).
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { parseEntry, type LogEntry } from '../../predictions/schema.ts';

/** One bounded read: entries with ms ids in [from_ts, to_ts), at most `count`. */
export interface TimeSlice {
  from_ts: number;
  to_ts: number;
  count: number;
}

/**
 * XRANGE bounds for a slice. Ids are `<ms>-<seq>`; an id given as ms alone starts at
 * sequence 0 and, as the (inclusive) end, ends at the largest sequence of that ms.
 */
export const xrangeBounds = (s: Pick<TimeSlice, 'from_ts' | 'to_ts'>): [string, string] => [String(s.from_ts), String(s.to_ts - 1)];

type RawEntry = [string, string[]];

/** The entries of each slice (in stream order), one list per slice. */
export async function readSlices(redis: Redis, key: string, slices: readonly TimeSlice[]): Promise<LogEntry[][]> {
  if (slices.length === 0) return [];
  const p = redis.pipeline();
  for (const s of slices) {
    const [from, to] = xrangeBounds(s);
    p.xrange(key, from, to, 'COUNT', s.count);
  }
  const res = await p.exec();
  if (!res) throw new Error('pipeline aborted');
  return res.map(([err, raw]) => {
    if (err) throw err;
    return ((raw ?? []) as RawEntry[]).filter((r) => Array.isArray(r[1])).map(([id, flat]) => parseEntry(id, flat));
  });
}

/** The ms timestamp of the stream's oldest entry (what trimming left), or null when it is empty. */
export async function oldestMs(redis: Redis, key: string): Promise<number | null> {
  const r = (await redis.xrange(key, '-', '+', 'COUNT', 1)) as RawEntry[];
  if (!r.length) return null;
  const id = r[0][0];
  return Number(id.slice(0, id.indexOf('-')));
}
