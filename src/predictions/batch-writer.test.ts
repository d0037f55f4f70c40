import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, whenReady } from '../redis/connect.ts';
import { startRedis, type PrivateRedis } from '../../test/helpers/redis.ts';
import { BatchWriter } from './batch-writer.ts';
import type { RedisClient as Redis } from '../redis/connect.ts';

const entry = (key: string, i: number, extra = 'x') => {
  const args = [key, 'MAXLEN', '~', '1000', '*', 'i', String(i), 'f', extra];
  return { args, bytes: args.slice(5).reduce((n, a) => n + Buffer.byteLength(a), 0) };
};

describe('BatchWriter (real redis-server)', () => {
  let redis: PrivateRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = connectRedis({ url: redis.url });
    await whenReady(client, 5000);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('writes each stream in order with one script call per stream', async () => {
    const w = new BatchWriter(client);
    const batch = [entry('s:a', 0), entry('s:b', 1), entry('s:a', 2, 'ünïcode ✓'), entry('s:b', 3)];
    expect(await w.write(batch)).toEqual([null, null, null, null]);
    expect(w.fallbacks).toBe(0);
    const a = await client.xrange('s:a', '-', '+');
    expect(a.map(([, f]) => f)).toEqual([['i', '0', 'f', 'x'], ['i', '2', 'f', 'ünïcode ✓']]);
    expect((await client.xrange('s:b', '-', '+')).map(([, f]) => f[1])).toEqual(['1', '3']);
  });

  it('in xadd mode writes the same entries with pipelined XADDs', async () => {
    const w = new BatchWriter(client, 'xadd');
    expect(await w.write([entry('s:x', 0), entry('s:y', 1), entry('s:x', 2)])).toEqual([null, null, null]);
    expect((await client.xrange('s:x', '-', '+')).map(([, f]) => f[1])).toEqual(['0', '2']);
    expect(w.fallbacks).toBe(0);
  });

  it('reports the entries after a failing XADD as failed, in order', async () => {
    await client.set('s:notastream', 'x');
    const w = new BatchWriter(client);
    const out = await w.write([entry('s:notastream', 0), entry('s:c', 1)]);
    expect(out[0]).toBeInstanceOf(Error);
    expect(out[1]).toBeNull();
  });

  it('stores every byte as it is: MessagePack size classes, multi-byte characters, a lone surrogate as a plain XADD stores it', async () => {
    const w = new BatchWriter(client);
    const values = [0, 31, 32, 255, 256, 65_535, 65_536].map((n) => 'a'.repeat(n)).concat(['é'.repeat(31), '😀 ✓', '\ud800 lone surrogate']);
    expect(await w.write(values.map((v, i) => entry('s:sizes', i, v)))).toEqual(values.map(() => null));
    expect(await new BatchWriter(client, 'xadd').write(values.map((v, i) => entry('s:sizes-xadd', i, v)))).toEqual(values.map(() => null));
    expect(w.fallbacks).toBe(0);
    const stored = (await client.xrange('s:sizes', '-', '+')).map(([, f]) => f[3]);
    expect(stored).toEqual((await client.xrange('s:sizes-xadd', '-', '+')).map(([, f]) => f[3]));
    expect(stored).toEqual(values.map((v) => Buffer.from(v).toString()));
    expect(stored.at(-1)).toBe('\ufffd lone surrogate');
  });

  it('writes a group the script cannot run as plain XADDs, losing nothing', async () => {
    const w = new BatchWriter(client);
    // more fields than Lua's unpack takes (LUAI_MAXCSTACK, 8000): the script fails, XADD does not
    const wide = entry('s:d', 0);
    for (let k = 0; k < 4100; k++) wide.args.push(`k${k}`, 'v');
    expect(await w.write([wide, entry('s:d', 1), entry('s:e', 2)])).toEqual([null, null, null]);
    expect(w.fallbacks).toBe(1);
    const d = await client.xrange('s:d', '-', '+');
    expect(d.map(([, f]) => f[1])).toEqual(['0', '1']);
    expect(d[0][1]).toHaveLength(wide.args.length - 5);
    expect((await client.xrange('s:e', '-', '+')).map(([, f]) => f[1])).toEqual(['2']);
    expect(await w.write([entry('s:d', 3)])).toEqual([null]);
    expect(w.fallbacks).toBe(1);
  });
});
