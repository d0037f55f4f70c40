/**
 * The outcome sink against a real private redis-server: a stream that cannot be written holds
 * back only its own outcomes (each stream has its own batch in flight and backoff), the others
 * are written at once and in order, and the held ones land once the stream can be written.
 */
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcomeMetrics } from '../src/outcomes/outcome-metrics.ts';
import { OutcomeSink } from '../src/outcomes/outcome-sink.ts';
import type { OutcomeEntry } from '../src/outcomes/resolve.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

let redis: PrivateRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const entry = (route: string, id: string): OutcomeEntry => ({ route, fields: ['id', id, 'metric', 'converted', 'value', '1'], bytes: 40 });
const ids = async (key: string) => (await client.xrange(key, '-', '+')).map(([, f]) => f[1]);

describe('outcome sink', () => {
  it('a stream that cannot be written holds back only its own outcomes', async () => {
    const writer = new Redis(redis.url);
    const registry = new Registry();
    const sink = new OutcomeSink(writer, { keyPrefix: 'os:outcomes:', maxlen: 10_000, bufferEntries: 10_000, bufferBytes: 1 << 20, batchEntries: 20, flushMs: 10 }, new OutcomeMetrics(registry, ['fraud', 'broken']), silentLogger());
    try {
      await client.set('os:outcomes:broken', 'not a stream'); // every XADD fails: WRONGTYPE
      expect(sink.offer(Array.from({ length: 300 }, (_, i) => entry('broken', `b${i}`)))).toBe(true);
      expect(sink.offer(Array.from({ length: 300 }, (_, i) => entry('fraud', `f${i}`)))).toBe(true);
      await until('the healthy stream', async () => ((await client.xlen('os:outcomes:fraud')) === 300 ? true : undefined), 5000);
      expect(await ids('os:outcomes:fraud')).toEqual(Array.from({ length: 300 }, (_, i) => `f${i}`));
      expect(sink.buffered).toBe(300);
      await client.del('os:outcomes:broken');
      await until('the held outcomes', async () => ((await client.xlen('os:outcomes:broken')) === 300 ? true : undefined), 5000);
      expect(await ids('os:outcomes:broken')).toEqual(Array.from({ length: 300 }, (_, i) => `b${i}`));
      const text = await registry.metrics();
      expect(text).toContain('modelgate_outcomes_total{route="fraud",outcome="written"} 300');
      expect(text).toContain('modelgate_outcomes_total{route="broken",outcome="written"} 300');
      expect(text).toContain('modelgate_outcomes_total{route="broken",outcome="dropped"} 0');
    } finally {
      await sink.close();
      writer.disconnect();
    }
  });
});
