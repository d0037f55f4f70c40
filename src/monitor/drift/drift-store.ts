/** Reads and writes the latest drift report of a route, `<prefix>:drift:<route>` (report.ts). */
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { JsonDocStore } from '../../redis/json-doc-store.ts';
import { driftKey } from '../../redis/keys.ts';
import type { DriftReport } from './report.ts';

export class DriftStore {
  private readonly docs: JsonDocStore<DriftReport>;
  constructor(redis: Redis, prefix: string) {
    this.docs = new JsonDocStore(redis, (route) => driftKey(prefix, route));
  }

  load(route: string): Promise<DriftReport | null> {
    return this.docs.load(route);
  }

  save(r: DriftReport): Promise<void> {
    return this.docs.save(r.route, r);
  }
}
