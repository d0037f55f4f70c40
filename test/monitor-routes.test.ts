/**
 * The monitor follows the versioned config: a route added through the config store (as the
 * admin API does) is picked up and worked without a restart; a removed route is released.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRoute, parseRoute, putRoute } from '../src/config/snapshot.ts';
import { parseConfig } from '../src/config/load.ts';
import { DriftStore } from '../src/monitor/drift/drift-store.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { connectRedis, whenReady } from '../src/redis/connect.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';


describe('monitor routes follow the config store', () => {
  let redis: PrivateRedis;
  let backend: TestBackend;
  let gw: Awaited<ReturnType<typeof gatewayWith>>;
  let monitor: MonitorHandle;
  beforeAll(async () => {
    redis = await startRedis();
    backend = await startBackend(modelBehaviour('a', 0.3));
    gw = await gatewayWith({ redis: { url: redis.url }, log: { hmac_key: 'k', flush_ms: 10 }, routes: { fraud: splitRoute([backend.url]) } });
    const cfg = parseConfig({ redis: { url: redis.url }, monitor: { window_entries: 50, window_ms: 500, min_entries: 20, lease_ms: 1000 }, routes: { fraud: splitRoute([backend.url]) } }, 'test', {});
    monitor = await startMonitor(cfg, { logger: silentLogger(), http: false, pollMs: 20, routes: () => gw.store.current().snapshot.routes });
  });
  afterAll(async () => {
    await monitor.close();
    await gw.close();
    await backend.close();
    await redis.stop();
  });

  it('works a route added after start, and releases it when removed', async () => {
    await until('fraud owned', () => (monitor.owned().includes('fraud') ? true : undefined));
    expect(monitor.owned()).not.toContain('late');
    const late = parseRoute('late', { models: ['late-model'], unit: { header: 'x-user-id' }, variants: [{ name: 'a', backend: backend.url, version: '1', weight: 100 }] });
    await gw.store.update(undefined, (s) => putRoute(s, 'late', late), { actor: 'test', action: 'put_route', route: 'late' });
    await until('late owned', () => (monitor.owned().includes('late') ? true : undefined));
    for (let i = 0; i < 60; i++) expect((await predict(gw.url, { instances: [[i]] }, { 'x-user-id': `u${i}` }, '/v1/models/late-model:predict')).status).toBe(200);
    const client = connectRedis({ url: redis.url });
    await whenReady(client, 5000);
    const report = await until('a drift report for the new route', async () => {
      const r = await new DriftStore(client, 'modelgate').load('late');
      return r && r.variants.a?.totals.entries >= 50 ? r : undefined;
    });
    expect(report.route).toBe('late');
    await gw.store.update(undefined, (s) => deleteRoute(s, 'late'), { actor: 'test', action: 'delete_route', route: 'late' });
    await until('late released', () => (!monitor.owned().includes('late') ? true : undefined));
    expect(await client.exists('modelgate:lease:late')).toBe(0);
    client.disconnect();
  }, 40_000);
});
