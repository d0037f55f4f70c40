/**
 * The persisted course of a route's experiment: `<prefix>:experiment-history:<route>`, a Redis
 * list whose first element is the header `{id, gap_ms}` and the rest look-history.ts points,
 * oldest first. A point within the gap is an RPUSH; a new experiment or a thinning rewrites
 * the list in one MULTI on the one key (one cluster slot). The recorder is the monitor's (the
 * lease owner, which loads the list on its first look after a takeover); the admin API reads.
 */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { addLook, DEFAULT_LOOK_HISTORY, type LookHistory, type LookPoint } from './look-history.ts';

import { experimentHistoryKey } from '../../redis/keys.ts';
export { experimentHistoryKey };

function parse(raw: string[]): LookHistory | null {
  if (raw.length === 0) return null;
  try {
    const head = JSON.parse(raw[0]) as { id?: unknown; gap_ms?: unknown };
    if (typeof head.id !== 'string' || typeof head.gap_ms !== 'number') return null;
    return { id: head.id, gap_ms: head.gap_ms, looks: raw.slice(1).map((r) => JSON.parse(r) as LookPoint) };
  } catch {
    return null;
  }
}

export async function readLookHistory(redis: Redis, prefix: string, route: string): Promise<LookHistory | null> {
  return parse(await redis.lrange(experimentHistoryKey(prefix, route), 0, -1));
}

export class LookRecorder {
  private history: LookHistory | null | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly route: string,
    private readonly max = DEFAULT_LOOK_HISTORY,
  ) {}

  async record(id: string, look: LookPoint, final = false): Promise<void> {
    const key = experimentHistoryKey(this.prefix, this.route);
    if (this.history === undefined || this.history?.id !== id) this.history = await readLookHistory(this.redis, this.prefix, this.route);
    const { history, change } = addLook(this.history, id, look, this.max, final);
    if (change === 'append') await this.redis.rpush(key, JSON.stringify(look));
    else if (change === 'rewrite')
      await this.redis
        .multi()
        .del(key)
        .rpush(key, JSON.stringify({ id: history.id, gap_ms: history.gap_ms }), ...history.looks.map((l) => JSON.stringify(l)))
        .exec();
    this.history = history;
  }
}
