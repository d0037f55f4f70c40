/**
 * Reads past entries of a route's prediction stream by time: stream ids are ms timestamps, so
 * a time range is an XRANGE. Every read is a list of bounded slices (baseline-periods.ts
 * `sampleSlices`), sent in one pipeline on the stream's own key (one cluster slot).
 */
import type { RedisClient as Redis } from '../redis/connect.ts';
import { xrangeBounds, type Slice } from './baseline-periods.ts';
import { parseEntry, type LogEntry } from './entry.ts';

type RawEntry = [string, string[]];

/** The entries of each slice (in stream order), one list per slice. */
export async function readSlices(redis: Redis, key: string, slices: readonly Slice[]): Promise<LogEntry[][]> {
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
