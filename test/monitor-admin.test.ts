/** The monitor's admin routes (drift report, baselines, capture) over a private redis-server. */
import { adminErrorHandler } from '../src/admin/respond.ts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorAdmin } from '../src/monitor/drift/admin-ops.ts';
import { driftRoutes } from '../src/monitor/drift/drift-routes.ts';
import { parseConfig } from '../src/config/load.ts';
import { MemoryConfigStore } from '../src/config/memory-store.ts';
import { initialSnapshot } from '../src/config/snapshot.ts';
import { ReferenceBuilder } from '../src/monitor/drift/reference-builder.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';

let server: PrivateRedis;
let redis: Redis;
let app: ReturnType<typeof driftRoutes>;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  const cfg = parseConfig(
    { redis: { url: server.url, prefix: 'mg' }, routes: { fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9', weight: 60 }, { name: 'v2', backend: 'http://127.0.0.1:9', weight: 40 }] } } },
    'test',
    {},
  );
  app = driftRoutes({ cfg, store: new MemoryConfigStore(initialSnapshot(cfg)), redis, prefix: 'mg', logger: silentLogger(), replicaId: 'r1' });
  app.onError(adminErrorHandler(silentLogger())); // the routes throw; the admin app answers (src/admin/app.ts)
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const json = (method: string, path: string, body?: unknown) =>
  app.request(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

describe('monitor admin routes', () => {
  it('answers 200 insufficient_data before the first verdict, 404 for unknown routes', async () => {
    const r = await json('GET', '/routes/fraud/drift');
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ route: 'fraud', status: 'insufficient_data', baseline: null, variants: { v1: { status: 'insufficient_data', entries: 0 }, v2: { status: 'insufficient_data' } } });
    const missing = await json('GET', '/routes/nope/drift');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('stores uploaded baselines with a version counter per route and rejects invalid ones', async () => {
    const b = new ReferenceBuilder();
    for (let i = 0; i < 100; i++) b.addInstance({ amount: i, country: i % 3 ? 'US' : 'DE' });
    const baseline = b.build({ variant: 'v1', model_version: '1.4.2', source: 'file' });
    let r = await json('PUT', '/routes/fraud/baseline', baseline);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ route: 'fraud', variant: 'v1', version: 1, default: 'v1' });
    r = await json('PUT', '/routes/fraud/baseline?variant=v2', baseline);
    expect(await r.json()).toEqual({ route: 'fraud', variant: 'v2', version: 2, default: 'v1' });
    r = await json('GET', '/routes/fraud/baseline');
    expect(await r.json()).toMatchObject({ version: 2, default: 'v1', variants: { v1: { version: 1, model_version: '1.4.2', features: { amount: { kind: 'numeric', n: 100 }, country: { kind: 'categorical' } } }, v2: { version: 2 } } });
    r = await json('GET', '/routes/fraud/drift');
    expect((await r.json()).baseline).toMatchObject({ variant: 'v1', version: 1, entries: 100 });

    r = await json('PUT', '/routes/fraud/baseline', { variant: 'v1', features: { amount: { kind: 'numeric', edges: 'x' } } });
    expect(r.status).toBe(400);
    const err = (await r.json()).error;
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.details.map((d: { path: string }) => d.path)).toContain('features.amount.edges');
    const bad = await json('PUT', '/routes/fraud/baseline', '{nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('INVALID_JSON');
    expect((await json('PUT', '/routes/nope/baseline', baseline)).status).toBe(404);
  });

  it('records a live capture (202) after the current end of the stream', async () => {
    const id = await redis.xadd('mg:predictions:fraud', '*', 'v', '1');
    const r = await json('POST', '/routes/fraud/baseline/capture', { variant: 'v2', entries: 500 });
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ route: 'fraud', variant: 'v2', entries: 500, after: id, status: 'capturing' });
    const doc = await new MonitorAdmin(redis, 'mg', parseConfig({}, 't', {}).monitor).baselineDoc('fraud');
    expect(doc?.captures.v2).toMatchObject({ variant: 'v2', entries: 500, after: id });
    const bad = await json('POST', '/routes/fraud/baseline/capture', { variant: 'v9', entries: 0 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.map((d: { path: string }) => d.path)).toEqual(['variant', 'entries']);
  });
});
