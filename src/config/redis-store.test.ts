import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, type PrivateRedis } from '../../test/helpers/redis.ts';
import { silentLogger } from '../telemetry/logger.ts';
import { parseConfig } from './load.ts';
import { RedisConfigStore, configKeys } from './redis-store.ts';
import { initialSnapshot, setWeights } from './snapshot.ts';
import { VersionMismatch } from '../errors.ts';

const file = (w1: number, backend = 'http://127.0.0.1:9001') =>
  parseConfig({
    routes: {
      fraud: {
        models: ['fraud'],
        unit: { header: 'x-user-id' },
        variants: [
          { name: 'v1', backend, weight: w1 },
          { name: 'v2', backend: 'http://127.0.0.1:9002', weight: 100 - w1 },
        ],
      },
    },
  });

const until = async (cond: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('RedisConfigStore', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  const stores: RedisConfigStore[] = [];
  let n = 0;
  const prefix = () => `t${++n}`;
  const make = async (p: string, w1 = 90, id = `r${stores.length}`, start = true) => {
    const s = new RedisConfigStore(initialSnapshot(file(w1)), { url: redis.url, prefix: p, replicaId: id, logger: silentLogger(), pollMs: 100, connectTimeoutMs: 500 });
    stores.push(s);
    if (start) await s.start();
    return s;
  };
  const weights = (s: RedisConfigStore) => s.current().routes.get('fraud')!.variants.map((v) => v.bp);

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  it('seeds an empty redis from the file, and a later replica takes the redis version, not its file', async () => {
    const p = prefix();
    const a = await make(p, 90);
    expect(await admin.hget(configKeys(p).config, 'version')).toBe('1');
    const b = await make(p, 50);
    expect(b.current().version).toBe(1);
    expect(weights(b)).toEqual([9000, 1000]);
    expect(a.healthy() && b.healthy()).toBe(true);
    const audit = await a.audit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ version: 1, action: 'seed' });
  });

  it('propagates a change to another replica by pub/sub, fast', async () => {
    const p = prefix();
    const a = await make(p);
    const b = await make(p);
    const seen: number[] = [];
    b.subscribe((c) => seen.push(c.version));
    const t0 = performance.now();
    await a.update(1, (s) => setWeights(s, 'fraud', { v1: 75, v2: 25 }), { actor: 'alice', action: 'weights', route: 'fraud' });
    await until(() => b.current().version === 2, 2000);
    expect(performance.now() - t0).toBeLessThan(100); // well under the 100 ms poll: pub/sub did it
    expect(weights(b)).toEqual([7500, 2500]);
    expect(seen).toEqual([2]);
  });

  it('catches a missed message by polling', async () => {
    const p = prefix();
    const a = await make(p);
    const next = setWeights(a.current().snapshot, 'fraud', { v1: 60, v2: 40 });
    // written behind the stores' back, without an announcement
    await admin.hset(configKeys(p).config, 'version', 2, 'snapshot', JSON.stringify(next));
    await until(() => a.current().version === 2, 1000);
    expect(weights(a)).toEqual([6000, 4000]);
  });

  it('compare-and-set: of two writes on the same version exactly one wins', async () => {
    const p = prefix();
    const a = await make(p);
    const b = await make(p);
    const results = await Promise.allSettled([
      a.update(1, (s) => setWeights(s, 'fraud', { v1: 80, v2: 20 }), { actor: 'a', action: 'weights', route: 'fraud' }),
      b.update(1, (s) => setWeights(s, 'fraud', { v1: 70, v2: 30 }), { actor: 'b', action: 'weights', route: 'fraud' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(VersionMismatch);
    expect(await admin.hget(configKeys(p).config, 'version')).toBe('2');
    // an internal actor (no expected version) retries on top of the latest
    const s = await b.update(undefined, (x) => setWeights(x, 'fraud', { v1: 50, v2: 50 }), { actor: 'canary', action: 'weights', route: 'fraud' });
    expect(s.version).toBe(3);
  });

  it('keeps history and an audit stream with actor and diff', async () => {
    const p = prefix();
    const a = await make(p);
    await a.update(1, (s) => setWeights(s, 'fraud', { v1: 75, v2: 25 }), { actor: 'alice', action: 'weights', route: 'fraud' });
    const h = await a.history();
    expect(h.map((e) => e.version)).toEqual([2, 1]);
    expect(h[0]).toMatchObject({ actor: 'alice', action: 'weights', route: 'fraud' });
    const old = await a.snapshotAt(1);
    expect(old?.routes.fraud.variants[0].weight).toBe(90);
    expect(await a.snapshotAt(99)).toBeUndefined();
    const [last] = await a.audit(1);
    expect(last).toMatchObject({ version: 2, actor: 'alice', action: 'weights', route: 'fraud' });
    expect(last.diff).toEqual(expect.arrayContaining([{ path: '/fraud/variants/v1/weight', from: 90, to: 75 }]));
    expect(await admin.ttl(configKeys(p).replica('r0'))).toBeGreaterThan(0);
  });

  it('keeps the last good version when redis holds garbage', async () => {
    const p = prefix();
    const a = await make(p);
    await admin.hset(configKeys(p).config, 'version', 5, 'snapshot', '{"version":5,"routes":{"x":{}},"slots":{}}');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.current().version).toBe(1);
  });

  it('serves the file while redis is down at start, then joins when it comes up', async () => {
    const own = await startRedis();
    await own.kill();
    const s = new RedisConfigStore(initialSnapshot(file(90)), { url: own.url, prefix: 'down', replicaId: 'x', logger: silentLogger(), pollMs: 100, connectTimeoutMs: 200 });
    try {
      await s.start();
      expect(s.healthy()).toBe(false);
      expect(s.current().version).toBe(1);
      await expect(s.update(1, (x) => x, { actor: 'a', action: 'noop' })).rejects.toMatchObject({ code: 'CONFIG_STORE_UNAVAILABLE' });
      await own.restart();
      await until(() => s.healthy(), 5000);
      const c = new Redis(own.url);
      await until(async () => (await c.hget(configKeys('down').config, 'version')) === '1', 3000);
      c.disconnect();
    } finally {
      await s.stop();
      await own.stop();
    }
  });

  it('writes the newest version back when redis restarts empty, never lowering it', async () => {
    const own = await startRedis();
    const mk = (id: string, w1: number) =>
      new RedisConfigStore(initialSnapshot(file(w1)), { url: own.url, prefix: 'p', replicaId: id, logger: silentLogger(), pollMs: 100, connectTimeoutMs: 300 });
    const a = mk('a', 90);
    const b = mk('b', 10);
    try {
      await a.start();
      await b.start();
      await a.update(1, (s) => setWeights(s, 'fraud', { v1: 75, v2: 25 }), { actor: 'alice', action: 'weights', route: 'fraud' });
      await a.update(2, (s) => setWeights(s, 'fraud', { v1: 60, v2: 40 }), { actor: 'alice', action: 'weights', route: 'fraud' });
      await until(() => b.current().version === 3);
      await own.restart();
      const c = new Redis(own.url);
      await until(async () => (await c.hget(configKeys('p').config, 'version')) === '3', 5000);
      await until(() => a.healthy() && b.healthy(), 5000);
      expect(a.current().version).toBe(3);
      expect(weights(b)).toEqual([6000, 4000]);
      const [entry] = await a.audit(1);
      expect(entry.action).toBe('write_back');
      c.disconnect();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await own.stop();
    }
  });
});
