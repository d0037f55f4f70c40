/**
 * The admin API over a real port, in memory mode (no Redis): auth, If-Match, every call,
 * and the error shape of DESIGN.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { MemoryConfigStore } from '../src/config/memory-store.ts';
import { initialSnapshot } from '../src/config/snapshot.ts';
import { startAdminServer, type AdminServer } from '../src/admin/server.ts';
import { FailureLimiter } from '../src/admin/failure-limiter.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { AdminClient } from '../src/ctl/client.ts';
import { bucketOf } from '../src/routing/hash.ts';

const cfg = parseConfig({
  admin: { port: 0, allow_backends: ['127.0.0.0/8', '*.models.internal'] },
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

describe('admin API (memory store)', () => {
  let server: AdminServer;
  let store: MemoryConfigStore;
  let url: string;
  let alice: AdminClient;
  const call = (method: string, path: string, init: { token?: string | null; body?: unknown; ifMatch?: string } = {}) =>
    fetch(url + path, {
      method,
      headers: {
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? 'tok-alice'}` }),
        ...(init.ifMatch ? { 'if-match': init.ifMatch } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    store = new MemoryConfigStore(initialSnapshot(cfg));
    const deps = { cfg, store, prefix: 'modelgate', logger: silentLogger(), replicaId: 'solo' };
    server = (await startAdminServer(deps, '127.0.0.1', 0, { env: { MODELGATE_ADMIN_TOKENS: 'alice:tok-alice,bob:tok-bob' }, limiter: new FailureLimiter({ maxFailures: 5 }) }))!;
    url = `http://127.0.0.1:${server.port}`;
    alice = new AdminClient({ url, token: 'tok-alice' });
  });
  afterAll(() => server.close());

  it('refuses a missing or wrong token with 401 and the JSON error shape', async () => {
    for (const token of [null, 'nope']) {
      const r = await call('GET', '/admin/routes', { token });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await r.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
  });

  it('reads routes with a strong ETag and says changes are in memory', async () => {
    const r = await call('GET', '/admin/routes/fraud');
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBe('"1"');
    expect(r.headers.get('x-modelgate-store')).toBe('memory');
    const body = await r.json();
    expect(body).toMatchObject({ name: 'fraud', version: 1, weights: { v1: 90, v2: 10 }, warning: expect.stringContaining('memory') });
    expect(body.config.variants[0].backend).toBe('http://127.0.0.1:9001');
    const all = await (await call('GET', '/admin/routes')).json();
    expect(Object.keys(all.routes)).toEqual(['fraud']);
    expect((await call('GET', '/admin/routes/nope')).status).toBe(404);
    expect((await (await call('GET', '/admin/nothing')).json()).error.code).toBe('NOT_FOUND');
    const wrong = await call('POST', '/admin/routes/fraud/weights', { body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('PATCH');
    expect((await wrong.json()).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('needs If-Match with exactly the current version on writes', async () => {
    const body = { weights: { v1: 75, v2: 25 } };
    const missing = await call('PATCH', '/admin/routes/fraud/weights', { body });
    expect(missing.status).toBe(428);
    expect((await missing.json()).error.code).toBe('PRECONDITION_REQUIRED');
    expect((await call('PATCH', '/admin/routes/fraud/weights', { body, ifMatch: '*' })).status).toBe(428);
    const stale = await call('PATCH', '/admin/routes/fraud/weights', { body, ifMatch: '"0"' });
    expect(stale.status).toBe(412);
    expect((await stale.json()).error.code).toBe('PRECONDITION_FAILED');
    expect((await call('PATCH', '/admin/routes/fraud/weights', { body, ifMatch: 'W/"1"' })).status).toBe(412);
    expect(store.current().version).toBe(1);
  });

  it('rejects invalid weights with every problem, changing nothing', async () => {
    const r = await call('PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 50, v9: 20, v2: 10.001 } }, ifMatch: '"1"' });
    expect(r.status).toBe(400);
    const { error } = await r.json();
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(['weights', 'weights.v2', 'weights.v9']);
    expect((await call('PATCH', '/admin/routes/fraud/weights', { body: '{not json', ifMatch: '"1"' })).status).toBe(400);
    expect(store.current().version).toBe(1);
  });

  it('refuses disallowed backend hosts in routes and shadows, listing each', async () => {
    const route = {
      models: ['fraud'],
      variants: [
        { name: 'v1', backend: 'http://169.254.169.254/latest', weight: 50 },
        { name: 'v2', backend: 'http://[::1]:9002', weight: 40 },
      ],
      shadows: [{ name: 'v3', backend: 'http://evil.example.com?key=s3cret' }],
    };
    const r = await call('PUT', '/admin/routes/fraud', { body: route, ifMatch: '"1"' });
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text).not.toContain('s3cret');
    const paths = JSON.parse(text).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['routes.fraud.variants', 'routes.fraud.variants[0].backend', 'routes.fraud.variants[1].backend', 'routes.fraud.shadows[0].backend']));
    const sh = await call('PUT', '/admin/routes/fraud/shadows', { body: { shadows: [{ name: 's', backend: 'http://10.0.0.1' }] }, ifMatch: '"1"' });
    expect(sh.status).toBe(400);
    expect(store.current().version).toBe(1);
  });

  it('dry-runs a change: the share of units moving per pair', async () => {
    const r = await alice.call('POST', '/admin/routes/fraud/dry-run', { weights: { v1: 75, v2: 25 } });
    expect(r.body).toMatchObject({ moved: 0.15, pairs: { v1: { v2: 0.15 } } });
    expect(store.current().version).toBe(1);
  });

  it('changes weights, moving only the units that must move, and answers the new ETag', async () => {
    const before = store.current().routes.get('fraud')!;
    const r = await call('PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 75, v2: 25 } }, ifMatch: '"1"' });
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBe('"2"');
    expect(await r.json()).toMatchObject({ version: 2, weights: { v1: 75, v2: 25 }, moved: 0.15 });
    const after = store.current().routes.get('fraud')!;
    let moved = 0;
    for (let s = 0; s < 10_000; s++) if (before.owners[s] !== after.owners[s]) (moved++, expect(after.owners[s]).toBe(1));
    expect(moved).toBe(1500);
  });

  it('explains a unit: bucket, slot, variant, shadowed', async () => {
    const unit = 'üser-42';
    const r = await alice.call('GET', `/admin/routes/fraud/explain?unit=${encodeURIComponent(unit)}`);
    const bucket = bucketOf('fraud:', Buffer.from(unit, 'utf8').toString('latin1'));
    const variant = store.current().routes.get('fraud')!.variants[store.current().routes.get('fraud')!.owners[bucket]].name;
    expect(r.body).toMatchObject({ route: 'fraud', unit, bucket, slot: bucket, variant, shadowed: false });
    expect((await call('GET', '/admin/routes/fraud/explain')).status).toBe(400);
  });

  it('replaces shadows, re-randomises, keeps history and audit, restores', async () => {
    const sh = await alice.write('PUT', '/admin/routes/fraud/shadows', { shadows: [{ name: 'v3', backend: 'http://a.models.internal:9003', percent: 100 }] });
    expect(sh.etag).toBe('"3"');
    expect((await alice.call('GET', '/admin/routes/fraud/explain?unit=u1')).body).toMatchObject({ shadowed: true, shadows: ['v3'] });
    const rr = await alice.write('POST', '/admin/routes/fraud/rerandomize', undefined);
    expect(rr.body.config.salt).toMatch(/^fraud-[0-9a-f]{12}$/);
    const bob = new AdminClient({ url, token: 'tok-bob' });
    const rs = await bob.write('POST', '/admin/history/2/restore', undefined);
    expect(rs.body).toMatchObject({ version: 5, restored: 2 });
    expect(store.current().snapshot.routes.fraud.shadows).toEqual([]);
    expect(store.current().snapshot.slots.fraud).toEqual((await store.snapshotAt(2))!.slots.fraud);
    const h = (await alice.call('GET', '/admin/history')).body.history;
    expect(h.map((e: { version: number }) => e.version)).toEqual([5, 4, 3, 2, 1]);
    const audit = (await alice.call('GET', '/admin/audit?limit=2')).body.entries;
    expect(audit[0]).toMatchObject({ version: 5, actor: 'bob', action: 'restore:2' });
    expect(audit[1]).toMatchObject({ version: 4, actor: 'alice', action: 'rerandomize', route: 'fraud' });
    expect((await call('POST', '/admin/history/99/restore', { ifMatch: '"5"' })).status).toBe(404);
  });

  it('creates and deletes a route', async () => {
    const route = { models: ['spam'], variants: [{ name: 'a', backend: 'http://127.0.0.1:1', weight: 100 }] };
    const v = store.current().version;
    const r = await call('PUT', '/admin/routes/spam', { body: route, ifMatch: `"${v}"` });
    expect(r.status).toBe(201);
    const d = await call('DELETE', '/admin/routes/spam', { ifMatch: `"${v + 1}"` });
    expect(d.status).toBe(200);
    expect(store.current().routes.has('spam')).toBe(false);
  });

  it('mounts the monitor routes under /admin, behind the same auth', async () => {
    const r = await call('GET', '/admin/routes/fraud/drift');
    expect(await r.text()).not.toContain('no admin call');
    expect((await call('GET', '/admin/routes/fraud/drift', { token: null })).status).toBe(401);
  });

  it('lists this single replica', async () => {
    const r = await alice.call('GET', '/admin/replicas');
    expect(r.body.replicas).toEqual([expect.objectContaining({ id: 'solo', version: store.current().version, current: true })]);
  });

  it('slows down repeated failures from one address with 429', async () => {
    let last = 0;
    for (let i = 0; i < 7; i++) last = (await call('GET', '/admin/routes', { token: `bad-${i}` })).status;
    expect(last).toBe(429);
    // even the right token is refused while the address is blocked
    const r = await call('GET', '/admin/routes');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('admin API without tokens', () => {
  it('answers 401 to everything', async () => {
    const store = new MemoryConfigStore(initialSnapshot(cfg));
    const s = (await startAdminServer({ cfg, store, prefix: 'modelgate', logger: silentLogger(), replicaId: 'x' }, '127.0.0.1', 0, { env: {} }))!;
    try {
      for (const token of ['', 'anything']) {
        const r = await fetch(`http://127.0.0.1:${s.port}/admin/routes`, { headers: { authorization: `Bearer ${token}` } });
        expect(r.status).toBe(401);
        expect((await r.json()).error.message).toMatch(/no tokens configured/);
      }
    } finally {
      await s.close();
    }
  });
});
