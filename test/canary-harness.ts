/**
 * The stack the canary, SRM and shadow-report end-to-end tests run on: a private
 * redis-server, real backends, an in-process gateway (shared store + prediction log + admin
 * API) and an in-process monitor with the monitor plug-ins, small windows, and a webhook
 * receiver. `traffic()` sends paced predictions with fresh unit ids until stopped.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { parseConfig } from '../src/config/load.ts';
import { RedisConfigStore } from '../src/config/redis-store.ts';
import { initialSnapshot } from '../src/config/snapshot.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import { monitorAnalyses } from '../src/monitor/analyses.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { modelBehaviour, sleep, startBackend, type Behaviour, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { ALICE, TOKENS, admin } from './control-plane-helpers.ts';
import { until } from './helpers/wait.ts';
export { until };

export const MONITOR = { window_entries: 200, window_ms: 1000, min_entries: 50, lease_ms: 2000 };

export interface Harness {
  redis: PrivateRedis;
  client: Redis;
  stable: TestBackend;
  canary: TestBackend;
  dataUrl: string;
  adminUrl: string;
  registry: Registry;
  monitorStore: RedisConfigStore;
  hooks: any[];
  admin(method: string, path: string, body?: unknown): ReturnType<typeof admin>;
  /** paced traffic with fresh units; resolves the request count when stopped */
  traffic(workers?: number, pauseMs?: number): { stop(): Promise<number> };
  close(): Promise<void>;
}

/** A behaviour that waits `ms` before answering like a model. */
export const delayed = (name: string, ms: number, score = 0.5): Behaviour => {
  const inner = modelBehaviour(name, score);
  return async (req, res) => {
    await sleep(ms);
    await inner(req, res);
  };
};

export async function startHarness(o: { route?: Record<string, unknown>; stable?: Behaviour; canary?: Behaviour; monitor?: Record<string, unknown>; log?: Record<string, unknown> } = {}): Promise<Harness> {
  process.env.MODELGATE_ADMIN_TOKENS = TOKENS;
  const redis = await startRedis();
  const client = new Redis(redis.url);
  const stable = await startBackend(o.stable ?? modelBehaviour('v1'));
  const canary = await startBackend(o.canary ?? modelBehaviour('v2'));
  const hooks: any[] = [];
  const hook: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hooks.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const raw = {
    redis: { url: redis.url, prefix: 'mg', poll_ms: 100 },
    log: { flush_ms: 10, ...(o.log ?? {}) },
    monitor: { ...MONITOR, port: 0, webhook_url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, ...(o.monitor ?? {}) },
    routes: {
      fraud: {
        models: ['fraud'],
        unit: { header: 'x-user-id' },
        variants: [
          { name: 'v1', backend: stable.url, version: '1.0.0', weight: 100 },
          { name: 'v2', backend: canary.url, version: '2.0.0', weight: 0 },
        ],
        ...(o.route ?? {}),
      },
    },
  };
  const gw = await gatewayWith(raw);
  const cfg = parseConfig(raw, 'test', {});
  const monitorStore = new RedisConfigStore(initialSnapshot(cfg), { url: redis.url, prefix: 'mg', replicaId: 'monitor-test', logger: silentLogger(), pollMs: 100 });
  await monitorStore.start();
  const registry = new Registry();
  const monitor: MonitorHandle = await startMonitor(cfg, { http: false, pollMs: 20, registry, analyses: monitorAnalyses(), store: monitorStore });
  const dataUrl = gw.url;
  const adminUrl = `http://127.0.0.1:${gw.adminPort}`;
  let seq = 0;
  return {
    redis,
    client,
    stable,
    canary,
    dataUrl,
    adminUrl,
    registry,
    monitorStore,
    hooks,
    admin: (method, path, body) => admin(adminUrl, method, path, { body, token: ALICE }),
    traffic(workers = 6, pauseMs = 10) {
      let running = true;
      let sent = 0;
      const loops = Array.from({ length: workers }, async () => {
        while (running) {
          const unit = `u-${process.pid}-${seq++}`;
          await predict(dataUrl, { instances: [[1, 2]] }, { 'x-user-id': unit }).catch(() => undefined);
          sent++;
          await sleep(pauseMs);
        }
      });
      return {
        async stop() {
          running = false;
          await Promise.all(loops);
          return sent;
        },
      };
    },
    async close() {
      await monitor.close();
      await monitorStore.stop();
      await gw.close();
      await Promise.all([stable.close(), canary.close()]);
      await new Promise<void>((r) => hook.close(() => r()));
      client.disconnect();
      await redis.stop();
    },
  };
}


/** Audit entries of the route by the canary actor, oldest first. */
export async function canaryAudit(h: Harness): Promise<{ version: number; actor: string; action: string }[]> {
  const r = await h.admin('GET', '/admin/audit?limit=200');
  return (r.body.entries as { version: number; actor: string; action: string }[]).filter((e) => e.actor === 'canary').reverse();
}

export async function weightsOf(h: Harness): Promise<Record<string, number>> {
  return (await h.admin('GET', '/admin/routes/fraud')).body.weights;
}

/**
 * The route's weights once the monitor's last weight change is in effect: the canary
 * document records the config version that applied its weight (null while the change is
 * still being written, right after a state change), and the gateway's admin API serves that
 * version or a later one (its store polls Redis every `redis.poll_ms`).
 */
export async function settledWeights(h: Harness): Promise<Record<string, number>> {
  const d = await until('the canary weight change', async () => {
    const doc = (await h.admin('GET', '/admin/routes/fraud/canary')).body;
    return doc.config_version !== null ? doc : undefined;
  }, 10_000);
  return until('the gateway on that config version', async () => {
    const r = (await h.admin('GET', '/admin/routes/fraud')).body;
    return r.version >= d.config_version ? r.weights : undefined;
  }, 10_000);
}
