/**
 * Chooses the prediction log sink: the Redis stream sink when `redis.url` is set and logging
 * is enabled, else a no-op. (The stream sink is added by the prediction-log work.)
 */
import type { Registry } from 'prom-client';
import type { FileConfig } from '../config/schema.ts';
import type { Logger } from '../telemetry/logger.ts';
import { NOOP_SINK, type LogSink } from './record.ts';

export interface SinkDeps {
  logger: Logger;
  registry: Registry;
}

export function createLogSink(cfg: FileConfig, deps: SinkDeps): LogSink {
  void cfg;
  void deps;
  return NOOP_SINK;
}
