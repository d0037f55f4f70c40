/**
 * A replica that starts while Redis is unreachable serves its file, says so in /readyz,
 * refuses admin writes (503), and joins once Redis is up. Without Redis at all, the admin API
 * says every change is in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { admin, startGatewayProc, variantFor, type GatewayProc } from './control-plane-helpers.ts';

const until = async (cond: () => Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('control plane: redis unreachable, or not configured', () => {
  let redis: PrivateRedis;
  let backend: TestBackend;
  const procs: GatewayProc[] = [];
  const routes = (url: string) => ({
    fraud: { models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend: url, weight: 100 }] },
  });

  beforeAll(async () => {
    [redis, backend] = await Promise.all([startRedis(), startBackend(modelBehaviour('v1'))]);
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await Promise.all([backend.close(), redis.stop()]);
  });

  it('serves the file config while redis is down, says so, and joins when it is back', async () => {
    await redis.kill();
    const gw = await startGatewayProc({ redis: { url: redis.url, prefix: 'down', poll_ms: 200, connect_timeout_ms: 300 }, log: { enabled: false }, routes: routes(backend.url) });
    procs.push(gw);
    const ready = await (await fetch(`${gw.dataUrl}/readyz`)).json();
    expect(ready.checks.redis.status).toBe('degraded');
    expect(await variantFor(gw.dataUrl, 'u1')).toBe('v1');
    const w = await admin(gw.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 100 } }, ifMatch: '"1"' });
    expect(w.status).toBe(503);
    expect(w.body.error.code).toBe('CONFIG_STORE_UNAVAILABLE');

    await redis.restart();
    await until(async () => (await (await fetch(`${gw.dataUrl}/readyz`)).json()).checks.redis.status === 'ok');
    const c = new Redis(redis.url);
    expect(await c.hget('{down}:config', 'version')).toBe('1');
    const [entry] = await c.xrevrange('{down}:audit', '+', '-', 'COUNT', 1);
    expect(entry[1]).toEqual(expect.arrayContaining(['action', 'seed']));
    c.disconnect();
  });

  it('without redis, every admin answer says the change stays in this process', async () => {
    const gw = await startGatewayProc({ log: { enabled: false }, routes: routes(backend.url) });
    procs.push(gw);
    const r = await admin(gw.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 100 } }, ifMatch: '"1"' });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-modelgate-store')).toBe('memory');
    expect(r.body.warning).toMatch(/single process/);
    const e = await admin(gw.adminUrl, 'GET', '/admin/routes/nope');
    expect(e.headers.get('x-modelgate-store')).toBe('memory');
  });
});
