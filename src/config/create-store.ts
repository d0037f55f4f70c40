/**
 * Chooses the config store: Redis-backed (shared by every replica) when `redis.url` is set,
 * else in memory for this single process. The returned store is started; start() is
 * idempotent, so callers may call it again.
 */
import type { FileConfig } from './schema.ts';
import type { ConfigStore } from './store.ts';
import { initialSnapshot } from './snapshot.ts';
import { MemoryConfigStore } from './memory-store.ts';
import { RedisConfigStore } from './redis-store.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { RedisFaults } from '../redis/faults.ts';

export interface StoreDeps {
  logger: Logger;
  replicaId: string;
  /** registers as a replica in `<prefix>:replicas:<id>` (default true; the monitor says false) */
  heartbeat?: boolean;
  /** counts the store's failed Redis commands */
  faults?: RedisFaults;
}

export async function createConfigStore(cfg: FileConfig, deps: StoreDeps): Promise<ConfigStore> {
  const seed = initialSnapshot(cfg);
  if (!cfg.redis?.url) {
    deps.logger.warn('no redis.url: admin changes stay in this process, in memory');
    return new MemoryConfigStore(seed);
  }
  const store = new RedisConfigStore(seed, {
    url: cfg.redis.url,
    cluster: cfg.redis.cluster,
    faults: deps.faults,
    prefix: cfg.redis.prefix,
    replicaId: deps.replicaId,
    logger: deps.logger.child({ component: 'config-store' }),
    pollMs: cfg.redis.poll_ms,
    connectTimeoutMs: cfg.redis.connect_timeout_ms,
    heartbeat: deps.heartbeat,
  });
  await store.start();
  return store;
}
