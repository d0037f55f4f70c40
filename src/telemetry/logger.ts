/** The process logger (pino, JSON to stdout). Never log tokens or raw unit ids. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = process.env.MODELGATE_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid }, redact: { paths: ['token', 'authorization', 'headers.authorization', '*.token'], censor: '[redacted]' } });
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
