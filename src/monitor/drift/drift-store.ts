/** Reads and writes the latest drift report of a route, `<prefix>:drift:<route>` (report.ts). */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import type { DriftReport } from './report.ts';
import { driftKey } from '../../redis/keys.ts';


export class DriftStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async load(route: string): Promise<DriftReport | null> {
    const raw = await this.redis.get(driftKey(this.prefix, route));
    return raw ? (JSON.parse(raw) as DriftReport) : null;
  }

  async save(r: DriftReport): Promise<void> {
    await this.redis.set(driftKey(this.prefix, r.route), JSON.stringify(r));
  }
}
