/**
 * Chooses the prediction log sink: the Redis stream sink when `redis.url` is set and logging
 * is enabled, else a no-op. The sink has its own Redis connection (offline queue off, no
 * automatic resend: the sink's buffer is the only retry). A gateway whose Redis is absent at
 * start still serves; the sink buffers and reports itself degraded until Redis is ready.
 */
import type { Registry } from 'prom-client';
import type { FileConfig } from '../config/schema.ts';
import { connectRedis, redisSettings } from '../redis/connect.ts';
import type { RedisFaults } from '../redis/faults.ts';
import { LogMetrics } from '../telemetry/log-metrics.ts';
import type { Logger } from '../telemetry/logger.ts';
import { NOOP_SINK, type LogSink } from './record.ts';
import { StreamSink } from './stream-sink.ts';
import { unitEncoder } from './unit-hash.ts';
import { predictionsKeyPrefix } from '../redis/keys.ts';

export interface SinkDeps {
  logger: Logger;
  registry: Registry;
  /** counts the log's failed Redis commands (component `log`) */
  faults?: RedisFaults;
}

/** a write pending this long (a frozen Redis) marks the log degraded */
const STALL_MS = 1000;

export function createLogSink(cfg: FileConfig, deps: SinkDeps): LogSink {
  const log = cfg.log;
  const url = cfg.redis?.url;
  if (!log.enabled || !url) {
    deps.logger.info({ enabled: log.enabled, redis: Boolean(url) }, 'prediction log disabled (needs log.enabled and redis.url or REDIS_URL)');
    return NOOP_SINK;
  }
  const prefix = cfg.redis?.prefix ?? 'modelgate';
  const unit = unitEncoder(log.unit, log.hmac_key);
  if (unit.ephemeralKey)
    deps.logger.warn('log.unit is hmac but no log.hmac_key or MODELGATE_LOG_KEY is set: unit ids are hashed with a random per-process key, so entries cannot be joined on unit across replicas or restarts');
  const client = connectRedis(redisSettings(cfg.redis, 'modelgate-log', { faults: deps.faults, component: 'log' }), { autoResendUnfulfilledCommands: false });
  const metrics = new LogMetrics(deps.registry, Object.keys(cfg.routes ?? {}));
  return new StreamSink(
    client,
    { keyPrefix: predictionsKeyPrefix(prefix), maxlen: String(log.maxlen), maxEntryBytes: log.max_entry_bytes, maxFeatures: log.max_features, maxDepth: cfg.limits.max_json_depth, unit: unit.encode },
    { batchEntries: log.batch_entries, flushMs: log.flush_ms, bufferEntries: log.buffer_entries, bufferBytes: log.buffer_bytes, stallMs: Math.max(STALL_MS, log.flush_ms * 10), writeMode: log.redis_write },
    metrics,
    deps.logger,
  );
}
