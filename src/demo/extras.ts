/**
 * Parts of the demo that come with later features (monitor, baseline). Each returns lines to
 * print and a close(). Kept apart so run.ts stays the same as features land.
 */
import type { FileConfig } from '../config/schema.ts';
import type { Logger } from '../telemetry/logger.ts';

export interface DemoExtras {
  lines(base: string, admin: string, token: string): string[];
  close(): Promise<void>;
}

export async function demoExtras(cfg: FileConfig, logger: Logger): Promise<DemoExtras> {
  void cfg;
  void logger;
  return { lines: () => [], close: async () => {} };
}
