/**
 * The few operations that differ between one Redis node and a Redis Cluster:
 * - SCAN sees one node: on a cluster, scan every master (`cluster.nodes('master')`);
 * - MGET over keys of different slots answers CROSSSLOT: on a cluster, GET each key;
 * - an ioredis pipeline on a cluster must stay within one node: commands are grouped per key
 *   (every command here has one key), one pipeline per key, all sent at once; the order of
 *   commands on one key is kept.
 */
import type { ChainableCommander } from 'ioredis';
import { isCluster, type RedisClient } from './connect.ts';

/**
 * Every key matching `pattern`, over all masters of a cluster; stops after `limit` keys. A
 * master that does not answer is listed in `failed` (host:port) and the others still count;
 * on one node, or when every master failed, the error is thrown.
 */
export async function scanAll(client: RedisClient, pattern: string, limit = 10_000): Promise<{ keys: string[]; failed: string[] }> {
  const nodes = isCluster(client) ? client.nodes('master') : [client];
  const keys = new Set<string>();
  const results = await Promise.allSettled(
    nodes.map(async (node) => {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        for (const k of batch) keys.add(k);
      } while (cursor !== '0' && keys.size < limit);
    }),
  );
  const failed: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected') failed.push(`${nodes[i].options.host}:${nodes[i].options.port}`);
  });
  if (isCluster(client)) {
    // a master whose connection ended drops out of nodes(): the slot map still names it
    const have = new Set(nodes.map((n) => `${n.options.host}:${n.options.port}`));
    for (const key of new Set(client.slots.map((s) => s?.[0]).filter(Boolean))) if (!have.has(key)) failed.push(key);
  }
  const firstError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (firstError && (failed.length === nodes.length || !isCluster(client))) throw firstError.reason;
  return { keys: [...keys].slice(0, limit), failed };
}

/** GET of many keys: one MGET on a node, one GET per key (in parallel) on a cluster, where a key that cannot be read is null. */
export async function getMany(client: RedisClient, keys: readonly string[]): Promise<Array<string | null>> {
  if (!keys.length) return [];
  if (!isCluster(client)) return client.mget(...keys);
  return Promise.all(keys.map((k) => client.get(k).catch(() => null)));
}

export type PipelineReply = [Error | null, unknown];

/**
 * Runs `items` (each adds one command on `key` to a pipeline) as one pipeline on a node, or as
 * one pipeline per key on a cluster; the replies come back in the order of `items`. A pipeline
 * that fails as a whole gives its error to each of its commands.
 */
export async function pipelineByKey<T extends { key: string }>(client: RedisClient, items: readonly T[], add: (p: ChainableCommander, item: T) => void): Promise<PipelineReply[]> {
  if (!items.length) return [];
  if (!isCluster(client)) {
    const p = client.pipeline();
    for (const it of items) add(p, it);
    const r = (await p.exec()) ?? [];
    return items.map((_, i) => (r[i] as PipelineReply | undefined) ?? [new Error('no reply'), null]);
  }
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    const g = groups.get(it.key);
    if (g) g.push(i);
    else groups.set(it.key, [i]);
  });
  const out: PipelineReply[] = new Array(items.length);
  await Promise.all(
    [...groups.values()].map(async (idx) => {
      const p = client.pipeline();
      for (const i of idx) add(p, items[i]);
      try {
        const r = (await p.exec()) ?? [];
        idx.forEach((i, k) => (out[i] = (r[k] as PipelineReply | undefined) ?? [new Error('no reply'), null]));
      } catch (e) {
        for (const i of idx) out[i] = [e as Error, null];
      }
    }),
  );
  return out;
}
