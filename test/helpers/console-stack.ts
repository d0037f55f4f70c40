/**
 * The stack the console tests run on: a private redis-server, the demo's model backends, an
 * in-process gateway (admin API and console on its admin port) with the demo route `fraud`
 * (90/10 and a shadow) and a route `score` for canaries, demo baselines, and an in-process
 * monitor with every plug-in and small windows. `traffic()` sends the demo's transactions.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { parseConfig } from '../../src/config/load.ts';
import { RedisConfigStore } from '../../src/config/redis-store.ts';
import { initialSnapshot } from '../../src/config/snapshot.ts';
import { startModelServer } from '../../src/demo/backend.ts';
import { demoBaseline } from '../../src/demo/extras.ts';
import { runTraffic, type TrafficOptions } from '../../src/demo/traffic.ts';
import { BaselineStore } from '../../src/monitor/drift/baseline-store.ts';
import { startMonitor, type MonitorHandle } from '../../src/monitor/runtime/monitor.ts';
import { monitorAnalyses } from '../../src/monitor/analyses.ts';
import { silentLogger } from '../../src/telemetry/logger.ts';
import { gatewayWith } from './gateway.ts';
import { startRedis, type PrivateRedis } from './redis.ts';

export const CONSOLE_TOKEN = 'console-token-0123456789';

export interface ConsoleStack {
  adminUrl: string;
  dataUrl: string;
  /** an admin call with the token: status, body, ETag */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; etag: string | null }>;
  traffic(o: Omit<TrafficOptions, 'url'>): Promise<{ sent: number; failed: number }>;
  close(): Promise<void>;
}

export async function startConsoleStack(): Promise<ConsoleStack> {
  const redis: PrivateRedis = await startRedis();
  const servers: Server[] = [];
  const backend = async (model: string) => {
    const { server } = await startModelServer(model, 0);
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const [b1, b2, b3] = [await backend('fraud-v1'), await backend('fraud-v2'), await backend('fraud-v3')];
  const features = ['amount', 'merchant_risk', 'hour', 'country'];
  const raw = {
    redis: { url: redis.url, prefix: 'mgc', poll_ms: 100 },
    admin: { allow_backends: ['127.0.0.0/8'] },
    log: { flush_ms: 10, sample_percent: 100 },
    monitor: { port: 0, window_entries: 200, window_ms: 60_000, min_entries: 100, lease_ms: 2000 },
    routes: {
      fraud: {
        models: ['fraud'],
        unit: { header: 'x-user-id' },
        features,
        variants: [
          { name: 'v1', backend: b1, version: '1.4.2', weight: 90, model: 'fraud-v1' },
          { name: 'v2', backend: b2, version: '2.0.0', weight: 10, model: 'fraud-v2' },
        ],
        shadows: [{ name: 'v3', backend: b3, version: '3.0.0-rc1', percent: 100, timeout_ms: 2000, max_inflight: 64, model: 'fraud-v3' }],
      },
      score: {
        models: ['score'],
        unit: { header: 'x-user-id' },
        features,
        variants: [
          { name: 'stable', backend: b1, version: '1.4.2', weight: 100, model: 'fraud-v1' },
          { name: 'candidate', backend: b2, version: '2.0.0', weight: 0, model: 'fraud-v2' },
        ],
      },
    },
  };
  process.env.MODELGATE_ADMIN_TOKENS = `console:${CONSOLE_TOKEN}`; // the admin app reads its tokens from the environment
  const gw = await gatewayWith(raw);
  const client = new Redis(redis.url);
  const baselines = new BaselineStore(client, 'mgc');
  await baselines.setVariant('fraud', demoBaseline('fraud-v1', 'v1', '1.4.2'), true);
  await baselines.setVariant('fraud', demoBaseline('fraud-v2', 'v2', '2.0.0'));
  const cfg = parseConfig(raw, 'test', {});
  const monitorStore = new RedisConfigStore(initialSnapshot(cfg), { url: redis.url, prefix: 'mgc', replicaId: 'console-monitor', logger: silentLogger(), pollMs: 100 });
  await monitorStore.start();
  const registry = new Registry();
  const monitor: MonitorHandle = await startMonitor(cfg, { http: false, pollMs: 20, registry, analyses: monitorAnalyses(), store: monitorStore, routes: () => monitorStore.current().snapshot.routes });
  const adminUrl = `http://127.0.0.1:${gw.adminPort}`;
  return {
    adminUrl,
    dataUrl: gw.url,
    async api(method, path, body, headers = {}) {
      const res = await fetch(adminUrl + path, {
        method,
        headers: { authorization: `Bearer ${CONSOLE_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, etag: res.headers.get('etag') };
    },
    traffic: (o) => runTraffic({ url: gw.url, ...o }),
    async close() {
      await monitor.close();
      await monitorStore.stop();
      await gw.close();
      for (const s of servers) s.close();
      client.disconnect();
      await redis.stop();
    },
  };
}
