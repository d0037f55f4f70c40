/**
 * No-op admin writes (issue 12): a write whose result equals the current config answers 200
 * with `"changed": false` and the same ETag, and makes no version, history or audit entry.
 * One rule in the stores (config/diff.ts `unchanged`), so the same cases run against the
 * memory store and the Redis store (a private redis-server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { MemoryConfigStore } from '../src/config/memory-store.ts';
import { RedisConfigStore } from '../src/config/redis-store.ts';
import { initialSnapshot } from '../src/config/snapshot.ts';
import type { ConfigStore } from '../src/config/store.ts';
import { startAdminServer, type AdminServer } from '../src/admin/server.ts';
import { ctlActions } from '../src/ctl/actions.ts';
import { AdminClient } from '../src/ctl/client.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';

const cfg = parseConfig({
  admin: { port: 0 },
  routes: {
    fraud: {
      models: ['fraud'],
      unit: { header: 'x-user-id' },
      variants: [
        { name: 'v1', backend: 'http://127.0.0.1:9001', version: '1.4.2', weight: 90 },
        { name: 'v2', backend: 'http://127.0.0.1:9002', version: '2.0.0', weight: 10 },
      ],
    },
  },
});

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const kinds: Array<[string, () => ConfigStore]> = [
  ['memory store', () => new MemoryConfigStore(initialSnapshot(cfg))],
  ['redis store', () => new RedisConfigStore(initialSnapshot(cfg), { url: redis.url, prefix: 'noop', replicaId: 'solo', logger: silentLogger(), pollMs: 100, connectTimeoutMs: 1000 })],
];

describe.each(kinds)('no-op admin writes (%s)', (_kind, makeStore) => {
  let store: ConfigStore;
  let server: AdminServer;
  let client: AdminClient;
  let url: string;

  beforeAll(async () => {
    store = makeStore();
    await store.start();
    server = (await startAdminServer({ cfg, store, prefix: 'noop', logger: silentLogger(), replicaId: 'solo' }, '127.0.0.1', 0, { env: { MODELGATE_ADMIN_TOKENS: 'alice:tok-alice' } }))!;
    url = `http://127.0.0.1:${server.port}`;
    client = new AdminClient({ url, token: 'tok-alice' });
  });
  afterAll(async () => {
    await server.close();
    await store.stop();
  });

  /** version, history length and audit length: what a no-op must leave alone */
  const trail = async () => ({ version: store.current().version, history: (await store.history()).length, audit: (await store.audit()).length });
  const raw = (method: string, path: string, body: unknown, ifMatch: string) =>
    fetch(url + path, { method, headers: { authorization: 'Bearer tok-alice', 'content-type': 'application/json', 'if-match': ifMatch }, body: JSON.stringify(body) });

  it('weights set to the weights the route already has: 200, changed false, the same ETag, nothing recorded', async () => {
    const before = await trail();
    const r = await raw('PATCH', '/admin/routes/fraud/weights', { weights: { v1: 90.0, v2: 10 } }, `"${before.version}"`);
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBe(`"${before.version}"`);
    expect(await r.json()).toMatchObject({ name: 'fraud', version: before.version, changed: false, moved: 0, weights: { v1: 90, v2: 10 } });
    expect(await trail()).toEqual(before);
  });

  it('`ctl shadow clear` on a route without shadows changes nothing and says so', async () => {
    const before = await trail();
    const out = await ctlActions(client).shadowClear('fraud');
    expect(out.body).toMatchObject({ changed: false, version: before.version });
    expect(out.text).toMatch(/^nothing changed: .*still version \d+/);
    expect(await trail()).toEqual(before);
  });

  it('a route PUT back as it was read (the GET answer itself) is a no-op', async () => {
    const before = await trail();
    const got = await client.call('GET', '/admin/routes/fraud');
    const r = await client.call('PUT', '/admin/routes/fraud', got.body, got.etag);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ changed: false, version: before.version });
    expect(await trail()).toEqual(before);
  });

  it('a stale If-Match is still 412, even for a write that would change nothing', async () => {
    const before = await trail();
    const r = await raw('PATCH', '/admin/routes/fraud/weights', { weights: { v1: 90, v2: 10 } }, '"0"');
    expect(r.status).toBe(412);
    expect(await trail()).toEqual(before);
  });

  it('a real change still makes one version and one audit entry (changed true); restoring the current state is a no-op', async () => {
    const before = await trail();
    const w = await client.write('PATCH', '/admin/routes/fraud/weights', { weights: { v1: 80, v2: 20 } }, '/admin/routes/fraud');
    expect(w.body).toMatchObject({ changed: true, version: before.version + 1, moved: 0.1 });
    const after = await trail();
    expect(after).toEqual({ version: before.version + 1, history: before.history + 1, audit: before.audit + 1 });
    // the new version restored onto itself
    const rs = await client.write('POST', `/admin/history/${after.version}/restore`, undefined);
    expect(rs.body).toMatchObject({ changed: false, version: after.version, restored: after.version });
    expect(await trail()).toEqual(after);
    // and the same weights again, through ctl
    const again = await ctlActions(client).weights('fraud', ['v1=80', 'v2=20']);
    expect(again.body).toMatchObject({ changed: false, version: after.version });
    expect(await trail()).toEqual(after);
  });
});
