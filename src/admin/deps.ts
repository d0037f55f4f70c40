/** What every admin route module receives. */
import type { RedisClient as Redis } from '../redis/connect.ts';
import type { Registry } from 'prom-client';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import type { Logger } from '../telemetry/logger.ts';

export interface AdminDeps {
  cfg: FileConfig;
  store: ConfigStore;
  /** a command connection when Redis is configured (monitor state, replicas, baselines) */
  redis?: Redis;
  prefix: string;
  logger: Logger;
  replicaId: string;
  /** the gateway's metrics registry: live stats per variant (GET /admin/stats) */
  registry?: Registry;
  /**
   * where live stats read the counters when they are not this process's own: the primary of
   * `gateway --workers N` passes the sum over its workers (the registry /metrics serves)
   */
  trafficRegistry?: () => Promise<Registry>;
}
