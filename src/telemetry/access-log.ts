/** Structured access logs (being built): undefined when off. */
import type { FileConfig } from '../config/schema.ts';
import type { AccessLog } from '../gateway/tracer.ts';
import type { Logger } from './logger.ts';

export function createAccessLog(cfg: FileConfig, logger: Logger): AccessLog | undefined {
  void cfg;
  void logger;
  return undefined;
}
