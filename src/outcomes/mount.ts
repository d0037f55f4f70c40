/** `POST /v1/outcomes` on the data plane (filled in by the experiments work). */
import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import type { Logger } from '../telemetry/logger.ts';

export interface OutcomeDeps {
  cfg: FileConfig;
  store: ConfigStore;
  /** a command connection when Redis is configured */
  redis?: Redis;
  registry: Registry;
  logger: Logger;
}

/** Mounts the outcome routes on the data plane's ops app; returns a close() for buffers. */
export function mountOutcomes(app: Hono, deps: OutcomeDeps): { close(): Promise<void> } {
  void app;
  void deps;
  return { close: async () => {} };
}
