/**
 * ioredis connections as modelgate uses them: offline queue OFF (RELIABILITY.md: it kept every
 * command of an outage and replayed them all), fast failure, endless reconnects with backoff.
 * Callers keep their own bounded buffers.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisSettings {
  url: string;
  connectTimeoutMs?: number;
  /** a name shown in CLIENT LIST */
  name?: string;
}

export function connectRedis(s: RedisSettings, extra: RedisOptions = {}): Redis {
  const client = new Redis(s.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: s.connectTimeoutMs ?? 2000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    lazyConnect: false,
    enableReadyCheck: true,
    autoResubscribe: true,
    connectionName: s.name,
    ...extra,
  });
  // Errors surface through command results and the 'ready'/'end' state; an unhandled
  // 'error' event would crash the process.
  client.on('error', () => {});
  return client;
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export function whenReady(client: Redis, timeoutMs = 2000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      cleanup();
      reject(new Error(`redis not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(t);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}
