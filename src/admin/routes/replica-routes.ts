/** Replicas and the config version each applied, from their heartbeats in Redis. */
import { hostname } from 'node:os';
import { Hono } from 'hono';
import type { RedisClient as Redis } from '../../redis/connect.ts';
import { ModelgateError } from '../../errors.ts';
import { configKeys } from '../../redis/keys.ts';
import { getMany, scanAll } from '../../redis/cluster-ops.ts';
import type { AdminEnv } from '../env.ts';
import { sendJson } from '../respond.ts';
import type { AdminContext } from './admin-context.ts';

export interface ReplicaBeat {
  id: string;
  version: number;
  heartbeat_ts: number;
  host?: string;
  pid?: number;
  store_healthy?: boolean;
}

/** Heartbeats from every master; `unreachable` lists cluster masters that did not answer. */
export async function readReplicaBeats(redis: Redis, prefix: string): Promise<{ beats: ReplicaBeat[]; unreachable: string[] }> {
  // every master of a cluster: the heartbeats spread over the slots
  const { keys, failed } = await scanAll(redis, configKeys(prefix).replicaPattern, 10_000);
  if (!keys.length) return { beats: [], unreachable: failed };
  const values = await getMany(redis, keys);
  const beats = values.flatMap((v) => {
    try {
      return v ? [JSON.parse(v) as ReplicaBeat] : [];
    } catch {
      return [];
    }
  });
  return { beats, unreachable: failed };
}


export function replicaRoutes({ deps }: AdminContext): Hono<AdminEnv> {
  const { store } = deps;
  const app = new Hono<AdminEnv>();
  app.get('/replicas', async (c) => {
    const version = store.current().version;
    const now = Date.now();
    let beats: ReplicaBeat[];
    let unreachable: string[] = [];
    if (deps.redis && store.mode === 'redis') {
      ({ beats, unreachable } = await readReplicaBeats(deps.redis, deps.prefix).catch((e: Error) => {
        throw new ModelgateError('CONFIG_STORE_UNAVAILABLE', `cannot read replicas: ${e.message}`);
      }));
    } else beats = [{ id: deps.replicaId, version, heartbeat_ts: now, host: hostname(), pid: process.pid, store_healthy: store.healthy() }];
    const replicas = beats
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((b) => ({ ...b, age_ms: Math.max(0, now - b.heartbeat_ts), current: b.version === version, self: b.id === deps.replicaId }));
    // a cluster master that did not answer: the list may miss the replicas whose beats it holds
    return sendJson(c, store, unreachable.length ? { version, replicas, unreachable_nodes: unreachable } : { version, replicas }, 200, version);
  });
  return app;
}
