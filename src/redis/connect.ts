/**
 * The one connection factory for every component (config store, log, outcomes, admin,
 * monitor, demo): ioredis `Redis` for one node, ioredis `Cluster` when `redis.cluster` is true
 * (then `url` is a comma-separated list of seed node URLs). Options as RELIABILITY.md asks:
 * offline queue OFF (it kept every command of an outage and replayed them all), fast failure,
 * endless reconnects with backoff. Callers keep their own bounded buffers.
 * With `faults`, every failed command is classified and counted (faults.ts).
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisFaults } from './faults.ts';

/** What a component holds: one node or a cluster; the commands modelgate uses exist on both. */
export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  /** one URL, or (cluster) comma-separated seed URLs */
  url: string;
  /** `redis.cluster`: connect with ioredis Cluster */
  cluster?: boolean;
  connectTimeoutMs?: number;
  /** a name shown in CLIENT LIST */
  name?: string;
  /** where failed commands are counted and persistent faults reported */
  faults?: RedisFaults;
  /** the `component` label of those counts (default: name) */
  component?: string;
}

const backoff = (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000);

/** Seed nodes of `redis://[user:pass@]host:port,redis://host:port` (a bare host:port works too). */
export function parseSeeds(url: string): { nodes: Array<{ host: string; port: number }>; username?: string; password?: string; tls: boolean } {
  const nodes: Array<{ host: string; port: number }> = [];
  let username: string | undefined;
  let password: string | undefined;
  let tls = false;
  for (const part of url.split(',').map((s) => s.trim()).filter(Boolean)) {
    const u = new URL(part.includes('://') ? part : `redis://${part}`);
    if (u.protocol === 'rediss:') tls = true;
    else if (u.protocol !== 'redis:') throw new Error(`redis.url: "${part}" is not a redis:// or rediss:// URL`);
    nodes.push({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) });
    if (u.username) username ??= decodeURIComponent(u.username);
    if (u.password) password ??= decodeURIComponent(u.password);
  }
  if (!nodes.length) throw new Error('redis.url: no seed node');
  return { nodes, username, password, tls };
}

export function connectRedis(s: RedisSettings, extra: RedisOptions = {}): RedisClient {
  const common = {
    maxRetriesPerRequest: 0,
    connectTimeout: s.connectTimeoutMs ?? 2000,
    enableReadyCheck: true,
    autoResubscribe: true,
    connectionName: s.name,
  };
  let client: RedisClient;
  if (s.cluster) {
    const seeds = parseSeeds(s.url);
    const { retryStrategy: _r, enableOfflineQueue: _q, ...nodeExtra } = extra;
    const options: ClusterOptions = {
      enableOfflineQueue: false,
      enableReadyCheck: true,
      clusterRetryStrategy: backoff,
      // no clusterNodeRetryStrategy: ioredis gives node connections an offline queue, so a node
      // that reconnected forever would queue without bound; a lost node's connection ends
      // (its queued commands fail at once) and the next command or slot refresh reopens it
      retryDelayOnClusterDown: 200,
      retryDelayOnFailover: 200,
      maxRedirections: 16,
      slotsRefreshTimeout: Math.max(1000, s.connectTimeoutMs ?? 2000),
      slotsRefreshInterval: 5000,
      redisOptions: { ...common, username: seeds.username, password: seeds.password, ...(seeds.tls ? { tls: {} } : {}), ...nodeExtra },
    };
    client = new Cluster(seeds.nodes, options);
  } else {
    client = new Redis(s.url, { ...common, enableOfflineQueue: false, retryStrategy: backoff, lazyConnect: false, ...extra });
  }
  // Errors surface through command results and the 'ready'/'end' state; an unhandled
  // 'error' event would crash the process.
  client.on('error', () => {});
  if (s.faults) s.faults.watch(client, s.component ?? s.name ?? 'redis');
  return client;
}

/** True for a Cluster client (SCAN must visit every master; multi-key commands need one slot). */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as Cluster).isCluster === true;
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export function whenReady(client: RedisClient, timeoutMs = 2000): Promise<void> {
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

/** Settings for a component from the config file's `redis` block. */
export function redisSettings(redis: { url?: string; cluster?: boolean; connect_timeout_ms?: number } | undefined, name: string, more: Pick<RedisSettings, 'faults' | 'component'> = {}): RedisSettings {
  return { url: redis?.url ?? '', cluster: redis?.cluster ?? false, connectTimeoutMs: redis?.connect_timeout_ms, name, ...more };
}
