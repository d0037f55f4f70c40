import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type PrivateRedis } from '../../test/helpers/redis.ts';
import { connectRedis, whenReady, type RedisClient as Redis } from './connect.ts';
import { JsonDocStore } from './json-doc-store.ts';

describe('JsonDocStore (real redis-server)', () => {
  let redis: PrivateRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = connectRedis({ url: redis.url });
    await whenReady(client, 5000);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('reads what it wrote, and compare-and-sets on a numeric field', async () => {
    const s = new JsonDocStore<{ rev: number; v: string }>(client, (id) => `t:doc:${id}`);
    expect(await s.load('a')).toBeNull();
    expect(await s.saveIf('a', 'rev', 0, { rev: 1, v: 'x' })).toBe(false); // absent is -1
    expect(await s.saveIf('a', 'rev', -1, { rev: 0, v: 'x' })).toBe(true);
    expect(await s.saveIf('a', 'rev', -1, { rev: 0, v: 'y' })).toBe(false);
    expect(await s.saveIf('a', 'rev', 0, { rev: 1, v: 'z' })).toBe(true);
    expect(await s.load('a')).toEqual({ rev: 1, v: 'z' });
    expect(await s.saveIf('a', 'rev', 1, null)).toBe(true);
    expect(await client.exists('t:doc:a')).toBe(0);
    await s.save('b', { rev: 7, v: 'ü ✓' });
    expect(await s.load('b')).toEqual({ rev: 7, v: 'ü ✓' });
  });
});
