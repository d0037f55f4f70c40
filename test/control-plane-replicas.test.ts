/**
 * Two real gateway processes sharing a private redis-server: propagation of admin changes,
 * sticky assignment across replicas, compare-and-set, refusals, restarts of a replica and of
 * Redis itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { admin, percentile, servedVersion, startGatewayProc, variantFor, type GatewayProc } from './control-plane-helpers.ts';
import { bucketOf } from '../src/routing/hash.ts';
import { layoutSlots, rebalanceSlots } from '../src/routing/slot-table.ts';
import { Redis } from 'ioredis';

const until = async (cond: () => Promise<boolean>, ms = 5000, step = 5) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, step));
  }
};

describe('control plane: two replicas, one redis', () => {
  let redis: PrivateRedis;
  let b1: TestBackend;
  let b2: TestBackend;
  let A: GatewayProc;
  let B: GatewayProc;
  let base: Record<string, any>;
  const version = async () => Number((await admin(A.adminUrl, 'GET', '/admin/routes')).etag!.replace(/"/g, ''));

  beforeAll(async () => {
    redis = await startRedis();
    [b1, b2] = await Promise.all([startBackend(modelBehaviour('v1')), startBackend(modelBehaviour('v2'))]);
    base = {
      redis: { url: redis.url, prefix: 'cp', poll_ms: 500 },
      admin: { allow_backends: ['127.0.0.0/8'] },
      log: { enabled: false },
      routes: {
        fraud: {
          models: ['fraud'],
          unit: { header: 'x-user-id' },
          variants: [
            { name: 'v1', backend: b1.url, version: '1', weight: 90 },
            { name: 'v2', backend: b2.url, version: '2', weight: 10 },
          ],
        },
      },
    };
    [A, B] = await Promise.all([startGatewayProc(base), startGatewayProc(base)]);
  });

  afterAll(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
    await Promise.all([b1?.close(), b2?.close(), redis?.stop()]);
  });

  it('serves a unit the same variant through both replicas, before and after a change; only the units that must move do', async () => {
    const units = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    const bucket = (u: string) => bucketOf('fraud:', u);
    const before = layoutSlots([{ name: 'v1', bp: 9000 }, { name: 'v2', bp: 1000 }]);
    const seenA = await Promise.all(units.map((u) => variantFor(A.dataUrl, u)));
    const seenB = await Promise.all(units.map((u) => variantFor(B.dataUrl, u)));
    expect(seenB).toEqual(seenA);
    expect(seenA).toEqual(units.map((u) => before[bucket(u)]));

    const v = await version();
    const r = await admin(A.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 75, v2: 25 } }, ifMatch: `"${v}"` });
    expect(r.status).toBe(200);
    await until(async () => (await servedVersion(B.dataUrl)) === v + 1, 1000);

    const after = rebalanceSlots(before, [{ name: 'v1', bp: 7500 }, { name: 'v2', bp: 2500 }]);
    const nowA = await Promise.all(units.map((u) => variantFor(A.dataUrl, u)));
    const nowB = await Promise.all(units.map((u) => variantFor(B.dataUrl, u)));
    expect(nowB).toEqual(nowA);
    expect(nowA).toEqual(units.map((u) => after[bucket(u)]));
    const moved = units.filter((_, i) => seenA[i] !== nowA[i]);
    expect(moved.length).toBeGreaterThan(0);
    for (const u of moved) expect([seenA[units.indexOf(u)], nowA[units.indexOf(u)]]).toEqual(['v1', 'v2']);
  });

  it('a weight change through A is served by B within 1 s (propagation over 100 changes)', async () => {
    const latencies: number[] = [];
    const acked: number[] = [];
    for (let i = 0; i < 100; i++) {
      const v = await version();
      const w1 = i % 2 ? 80 : 70;
      const t0 = performance.now();
      const r = await admin(A.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: w1, v2: 100 - w1 } }, ifMatch: `"${v}"` });
      const tAck = performance.now();
      expect(r.status).toBe(200);
      await until(async () => (await servedVersion(B.dataUrl)) === v + 1, 1000, 1);
      const t1 = performance.now();
      latencies.push(t1 - t0);
      acked.push(t1 - tAck);
    }
    const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
    const worst = latencies.map((x, i) => [i, Math.round(x)]).sort((a, b) => b[1] - a[1]).slice(0, 3);
    console.log(`propagation A -> B over ${latencies.length} changes, from the PATCH sent: ${fmt(latencies)}; after A's answer: ${fmt(acked)}; slowest [change, ms]: ${JSON.stringify(worst)}`);
    expect(percentile(latencies, 99)).toBeLessThan(1000);
  });

  it('two concurrent writes with the same If-Match, through different replicas: one 200, one 412', async () => {
    const v = await version();
    const [ra, rb] = await Promise.all([
      admin(A.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 60, v2: 40 } }, ifMatch: `"${v}"` }),
      admin(B.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 55, v2: 45 } }, ifMatch: `"${v}"` }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 412]);
    const loser = ra.status === 412 ? ra : rb;
    expect(loser.body.error.code).toBe('PRECONDITION_FAILED');
    expect(await version()).toBe(v + 1);
    const audit = await admin(B.adminUrl, 'GET', '/admin/audit?limit=1');
    expect(audit.body.entries[0]).toMatchObject({ version: v + 1, actor: 'alice', action: 'weights', route: 'fraud' });
    expect(audit.body.entries[0].diff).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/fraud/variants/v1/weight' })]));
    const history = await admin(A.adminUrl, 'GET', '/admin/history?limit=3');
    expect(history.body.history.map((h: { version: number }) => h.version)).toEqual([v + 1, v, v - 1]);
  });

  it('refuses writes without If-Match (428) and invalid changes (400, every problem), changing nothing anywhere', async () => {
    const v = await version();
    const missing = await admin(B.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 50, v2: 50 } } });
    expect(missing.status).toBe(428);
    const weights = await admin(A.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 120, v3: 5 } }, ifMatch: `"${v}"` });
    expect(weights.status).toBe(400);
    expect(weights.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['weights', 'weights.v1', 'weights.v2', 'weights.v3']);
    const route = {
      models: ['fraud'],
      variants: [
        { name: 'v1', backend: 'http://metadata.google.internal/', weight: 50 },
        { name: 'v2', backend: b2.url, weight: 50 },
      ],
      shadows: [{ name: 's', backend: 'http://10.0.0.7:80' }],
    };
    const put = await admin(A.adminUrl, 'PUT', '/admin/routes/fraud', { body: route, ifMatch: `"${v}"` });
    expect(put.status).toBe(400);
    expect(put.body.error.details.map((d: { path: string }) => d.path)).toEqual(['routes.fraud.variants[0].backend', 'routes.fraud.shadows[0].backend']);
    expect(await version()).toBe(v);
    expect(await servedVersion(A.dataUrl)).toBe(v);
    expect(await servedVersion(B.dataUrl)).toBe(v);
  });

  it('refuses no token and a wrong token with 401', async () => {
    for (const token of [null, 'tok-alice-012345678X']) {
      const r = await admin(B.adminUrl, 'GET', '/admin/routes', { token });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('never reaches the admin API from the data port, however the path is encoded', async () => {
    const paths = [
      '/admin/routes',
      '/v1/models/../../admin/routes',
      '/v1/models/%2e%2e/%2e%2e/admin/routes',
      '/v1/models/%2E%2E%2F%2E%2E%2Fadmin%2Froutes',
      '/v1/models/fraud/..%2F..%2F..%2Fadmin/routes',
      '/%2e%2e/admin/routes',
      '/%2Fadmin/routes',
      '/v2/models/..%2f..%2fadmin%2froutes/infer',
      '//admin/routes',
    ];
    const { request } = await import('node:http');
    for (const path of paths) {
      // raw request: fetch would normalise the dots away before sending
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${A.dataUrl}/`, { path, method: 'GET', headers: { authorization: 'Bearer tok-alice-0123456789' } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.body, path).not.toContain('"routes"');
      expect(r.body, path).not.toContain('"weights"');
    }
  });

  it('lists both replicas with the version they applied', async () => {
    const v = await version();
    await until(async () => {
      const r = await admin(A.adminUrl, 'GET', '/admin/replicas');
      return r.body.replicas.length === 2 && r.body.replicas.every((x: { version: number }) => x.version === v);
    }, 3000, 100);
  });

  it('a restarted replica serves the newest version, not its file', async () => {
    const v = await version();
    await B.restart();
    expect(await servedVersion(B.dataUrl)).toBe(v);
    expect((await admin(B.adminUrl, 'GET', '/admin/routes/fraud')).body.weights).not.toEqual({ v1: 90, v2: 10 });
  });

  it('Redis restarted empty: the newest version the replicas hold is written back', async () => {
    const v = await version();
    const weights = (await admin(A.adminUrl, 'GET', '/admin/routes/fraud')).body.weights;
    await redis.restart();
    const c = new Redis(redis.url);
    try {
      await until(async () => (await c.hget('{cp}:config', 'version').catch(() => null)) === String(v), 5000, 50);
      expect(JSON.parse((await c.hget('{cp}:config', 'snapshot'))!).routes.fraud.variants.map((x: { weight: number }) => x.weight)).toEqual([weights.v1, weights.v2]);
      await until(async () => (await fetch(`${A.dataUrl}/readyz`).then((r) => r.json())).checks.redis.status === 'ok', 5000, 50);
      // and the control plane works again on top of it
      const r = await admin(B.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 50, v2: 50 } }, ifMatch: `"${v}"` });
      expect(r.status).toBe(200);
      await until(async () => (await servedVersion(A.dataUrl)) === v + 1, 1000);
    } finally {
      c.disconnect();
    }
  });
});
