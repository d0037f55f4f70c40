/**
 * The persisted drift history of a route: `<prefix>:drift-history:<route>`, a Redis list of
 * history.ts records, oldest first, capped at `monitor.drift_history_windows` (RPUSH and LTRIM
 * in one MULTI on the one key, so it is bounded at every instant and runs on one cluster slot).
 * Written by the route's drift consumer (the lease owner), read by the admin API.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { selectHistory, type HistoryQuery, type HistoryWindow } from './history.ts';

import { driftHistoryKey } from '../../redis/keys.ts';
export { driftHistoryKey };

export const DEFAULT_DRIFT_HISTORY = 1000;

export class DriftHistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async append(route: string, w: HistoryWindow, max = DEFAULT_DRIFT_HISTORY): Promise<void> {
    const key = driftHistoryKey(this.prefix, route);
    await this.redis.multi().rpush(key, JSON.stringify(w)).ltrim(key, -max, -1).exec();
  }

  async read(route: string, q: HistoryQuery = {}): Promise<HistoryWindow[]> {
    const raw = await this.redis.lrange(driftHistoryKey(this.prefix, route), 0, -1);
    const all: HistoryWindow[] = [];
    for (const r of raw) {
      try {
        all.push(JSON.parse(r) as HistoryWindow);
      } catch {
        // a record that does not parse is skipped, never fatal to the read
      }
    }
    return selectHistory(all, q);
  }
}
