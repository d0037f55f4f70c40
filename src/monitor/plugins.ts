/**
 * The window consumers the monitor runs besides drift: one line per feature. Each factory
 * gets the route context (Redis, config, events) and returns a WindowConsumer.
 */
import type { FileConfig } from '../config/schema.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Registry } from 'prom-client';
import type { ConsumerFactory } from './window-consumer.ts';

export interface PluginDeps {
  cfg: FileConfig;
  logger: Logger;
  registry?: Registry;
}

export function monitorPlugins(deps: PluginDeps): ConsumerFactory[] {
  void deps;
  return [];
}
