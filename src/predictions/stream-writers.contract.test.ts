import { afterAll, beforeAll } from 'vitest';
import { Registry } from 'prom-client';
import { startRedis, type PrivateRedis } from '../../test/helpers/redis.ts';
import { until } from '../../test/helpers/wait.ts';
import { parseConfig } from '../config/load.ts';
import { connectRedis, whenReady, type RedisClient as Redis } from '../redis/connect.ts';
import { predictionsKey, predictionsKeyPrefix } from '../redis/keys.ts';
import { silentLogger } from '../telemetry/logger.ts';
import { BatchWriter, type WriteMode } from './batch-writer.ts';
import { createLogSink } from './create-sink.ts';
import { toEntry } from './entry.ts';
import { runStreamWriterContract, type WriterFactory } from '../../test/contracts/stream-writer.ts';
import { unitEncoder } from './unit-hash.ts';

let redis: PrivateRedis;
let reader: Redis;
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
  reader = connectRedis({ url: redis.url });
  await whenReady(reader, 5000);
});
afterAll(async () => {
  reader?.disconnect();
  await redis?.stop();
});

const total = async (prefix: string, routes: string[]) => (await Promise.all(routes.map((r) => reader.xlen(predictionsKey(prefix, r))))).reduce((a, b) => a + b, 0);

const sink =
  (mode: WriteMode): WriterFactory =>
  async () => {
    const prefix = `sink${++n}`;
    const cfg = parseConfig({ redis: { url: redis.url, prefix }, log: { hmac_key: 'k', flush_ms: 10, redis_write: mode }, routes: { fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9001', weight: 100 }] } } }, 'test', {});
    const s = createLogSink(cfg, { logger: silentLogger(), registry: new Registry() });
    return {
      prefix,
      async write(events) {
        const routes = [...new Set(events.map((e) => e.route.name))];
        const before = await total(prefix, routes);
        for (const e of events) s.push(e);
        await until('entries in redis', async () => ((await total(prefix, routes)) === before + events.length ? true : undefined), 5000);
      },
      close: () => s.close(),
    };
  };

const batch =
  (mode: WriteMode): WriterFactory =>
  async () => {
    const prefix = `batch${++n}`;
    const client = connectRedis({ url: redis.url });
    await whenReady(client, 5000);
    const w = new BatchWriter(client, mode);
    const ctx = { keyPrefix: predictionsKeyPrefix(prefix), maxlen: '1000', maxEntryBytes: 65_536, unit: unitEncoder('hmac', 'k').encode };
    return {
      prefix,
      async write(events) {
        const out = await w.write(events.map((e) => toEntry(e, ctx)));
        if (out.some((x) => x !== null)) throw new Error('a write failed');
      },
      close: async () => client.disconnect(),
    };
  };

runStreamWriterContract('StreamSink, script', () => reader, sink('script'));
runStreamWriterContract('StreamSink, xadd', () => reader, sink('xadd'));
runStreamWriterContract('BatchWriter, script', () => reader, batch('script'));
runStreamWriterContract('BatchWriter, xadd', () => reader, batch('xadd'));
