/**
 * Chooses the config store: Redis-backed when `redis.url` is set, else in memory.
 * (The Redis store is added by the control-plane work; until then, memory.)
 */
import type { FileConfig } from './schema.ts';
import type { ConfigStore } from './store.ts';
import { initialSnapshot } from './snapshot.ts';
import { MemoryConfigStore } from './memory-store.ts';
import type { Logger } from '../telemetry/logger.ts';

export interface StoreDeps {
  logger: Logger;
  replicaId: string;
}

export async function createConfigStore(cfg: FileConfig, deps: StoreDeps): Promise<ConfigStore> {
  void deps;
  return new MemoryConfigStore(initialSnapshot(cfg));
}
