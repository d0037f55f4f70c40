/**
 * The control plane, the prediction log and the monitor against a REAL 3-master Redis Cluster
 * (test/helpers/redis-cluster.ts, one cluster shared by the cases, which run in order): two
 * routes whose streams live on different masters, two in-process gateway replicas, one
 * monitor. Weights changed through either replica reach both; both routes' drift reports
 * appear; /admin/replicas lists both replicas (heartbeats scanned on every master). Then one
 * master is SIGKILLed: serving continues on both routes, what degrades is on /readyz and in
 * `modelgate_redis_errors_total`, and the route whose keys survive keeps its log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { BaselineStore } from '../src/monitor/drift/baseline-store.ts';
import { DriftStore } from '../src/monitor/drift/drift-store.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import { ReferenceBuilder } from '../src/monitor/drift/reference-builder.ts';
import { connectRedis, whenReady, type RedisClient } from '../src/redis/connect.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { ALICE, TOKENS, admin } from './control-plane-helpers.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { startRedisCluster, type ClusterNode, type PrivateRedisCluster } from './helpers/redis-cluster.ts';
import { until } from './helpers/wait.ts';

const P = 'mg';
let cluster: PrivateRedisCluster;
let b1: TestBackend;
let b2: TestBackend;
let A: Awaited<ReturnType<typeof gatewayWith>>;
let B: Awaited<ReturnType<typeof gatewayWith>>;
let monitor: MonitorHandle;
let client: RedisClient;
/** `keep`: every key of it survives the kill; `lose`: its stream lives on the master killed */
let keep: string;
let lose: string;
let victim: ClusterNode;
const savedTokens = process.env.MODELGATE_ADMIN_TOKENS;

const route = (name: string) => ({
  models: [name],
  unit: { header: 'x-user-id' },
  features: ['a', 'b'],
  variants: [
    { name: 'v1', backend: b1.url, version: '1', weight: 50 },
    { name: 'v2', backend: b2.url, version: '2', weight: 50 },
  ],
});

function baseline(variant: string) {
  const b = new ReferenceBuilder();
  for (let i = 0; i < 500; i++) {
    b.addInstance({ a: (i % 100) / 10, b: i % 7 });
    b.addOutput(0.5);
  }
  return b.build({ variant, model_version: variant === 'v1' ? '1' : '2', source: 'file' });
}

/** Route names: `keep` has all its keys off `victim`, `lose`'s stream is on it; config too is off it. */
async function chooseRoutes(): Promise<void> {
  const spare = [await cluster.nodeOf(`{${P}}:config`), await cluster.nodeOf(`${P}:monitors`)];
  victim = cluster.nodes.find((n) => !spare.includes(n)) ?? cluster.nodes.find((n) => n !== spare[0])!;
  const perRoute = (r: string) => ['predictions', 'lease', 'baseline', 'drift'].map((k) => `${P}:${k}:${r}`);
  for (let i = 0; !keep || !lose; i++) {
    if (i > 500) throw new Error('no route names found');
    const name = `r${i}`;
    const owners = await Promise.all(perRoute(name).map((k) => cluster.nodeOf(k)));
    if (!keep && owners.every((n) => n !== victim)) keep = name;
    else if (!lose && owners[0] === victim) lose = name;
  }
}

const predict = (base: string, model: string, user: string, a: number) =>
  fetch(`${base}/v1/models/${model}:predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user-id': user }, body: JSON.stringify({ instances: [[a, Number(user.slice(1)) % 7]] }) }).then(async (r) => {
    await r.text();
    return r.status;
  });

const traffic = async (n: number, start = 0) => {
  const statuses: number[] = [];
  for (let i = start; i < start + n; i += 20)
    statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, k) => i + k).flatMap((j) => [keep, lose].map((m) => predict(j % 2 ? A.url : B.url, m, `u${j}`, (j % 100) / 10))))));
  return statuses;
};

const readyz = async (base: string) => (await fetch(`${base}/readyz`)).json() as Promise<any>;
const version = async (g: typeof A) => (await readyz(g.url)).checks.config.version as number;
const adminUrl = (g: typeof A) => `http://127.0.0.1:${g.adminPort}`;

beforeAll(async () => {
  process.env.MODELGATE_ADMIN_TOKENS = TOKENS;
  [cluster, b1, b2] = await Promise.all([startRedisCluster(), startBackend(modelBehaviour('v1')), startBackend(modelBehaviour('v2'))]);
  await chooseRoutes();
  client = connectRedis({ url: cluster.url, cluster: true });
  await whenReady(client, 10_000);
  const baselines = new BaselineStore(client, P);
  for (const r of [keep, lose]) for (const v of ['v1', 'v2']) await baselines.setVariant(r, baseline(v), v === 'v1');
  const raw = {
    redis: { url: cluster.url, cluster: true, prefix: P, poll_ms: 200 },
    admin: { allow_backends: ['127.0.0.0/8'] },
    log: { hmac_key: 'k3y', flush_ms: 10 },
    routes: { [keep]: route(keep), [lose]: route(lose) },
    monitor: { port: 0, window_entries: 100, min_entries: 20, window_ms: 3_600_000, lease_ms: 2000 },
  };
  [A, B] = await Promise.all([gatewayWith(raw), gatewayWith(raw)]);
  monitor = await startMonitor(parseConfig(raw, 'test', {}), { pollMs: 20, logger: silentLogger() });
}, 60_000);

afterAll(async () => {
  process.env.MODELGATE_ADMIN_TOKENS = savedTokens;
  await monitor?.close();
  await Promise.all([A?.close(), B?.close()]);
  client?.disconnect();
  await Promise.all([b1?.close(), b2?.close(), cluster?.stop()]);
}, 30_000);

describe('Redis Cluster (3 masters)', () => {
  it('puts the two routes\' streams on different masters and the config keys on one slot', async () => {
    expect(await cluster.nodeOf(`${P}:predictions:${keep}`)).not.toBe(await cluster.nodeOf(`${P}:predictions:${lose}`));
    const slots = await Promise.all(['config', 'config:history', 'audit'].map((k) => cluster.keyslot(`{${P}}:${k}`)));
    expect(new Set(slots).size).toBe(1);
  });

  it('a weights change made through either replica reaches both', async () => {
    for (const [via, other, w] of [[A, B, 70], [B, A, 40]] as const) {
      const get = await admin(adminUrl(via), 'GET', `/admin/routes/${keep}`);
      const r = await admin(adminUrl(via), 'PATCH', `/admin/routes/${keep}/weights`, { body: { weights: { v1: w, v2: 100 - w } }, ifMatch: get.etag! });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const want = Number(get.etag!.replace(/"/g, '')) + 1;
      await until(`version ${want} on both replicas`, async () => ((await version(other)) === want && (await version(via)) === want ? true : undefined), 10_000);
    }
    const audit = await admin(adminUrl(A), 'GET', '/admin/audit');
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('alice');
  });

  it('logs both routes to their own masters and the monitor writes both drift reports', async () => {
    // windows close per variant at 100 entries: 400 requests a route give each variant 100+
    const statuses = await traffic(400);
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const r of [keep, lose]) await until(`entries of ${r}`, async () => ((await client.xlen(`${P}:predictions:${r}`)) >= 400 ? true : undefined), 10_000);
    const drift = new DriftStore(client, P);
    let last: unknown;
    for (const r of [keep, lose])
      await until(`drift report of ${r}`, async () => {
        const rep = (last = await drift.load(r));
        return rep && (rep.variants.v1?.totals.windows ?? 0) >= 1 && (rep.variants.v2?.totals.windows ?? 0) >= 1 ? rep : undefined;
      }, 20_000, 50, () => ({ last, monitor: monitor.owned() }));
    const viaAdmin = await admin(adminUrl(B), 'GET', `/admin/routes/${lose}/drift`);
    expect(viaAdmin.status).toBe(200);
    expect(viaAdmin.body.route).toBe(lose);
    expect(monitor.owned().sort()).toEqual([keep, lose].sort());
    for (const g of [A, B]) expect((await readyz(g.url)).status).toBe('ready');
  });

  it('lists both replicas from heartbeats spread over the masters', async () => {
    const r = await until('both replicas listed', async () => {
      const x = await admin(adminUrl(A), 'GET', '/admin/replicas');
      return x.body?.replicas?.length === 2 ? x : undefined;
    }, 10_000, 50);
    expect(r.body.replicas.map((x: any) => x.id).sort()).toEqual([A.replicaId, B.replicaId].sort());
    expect(r.body.unreachable_nodes).toBeUndefined();
  });

  it('a single-node client pointed at one cluster node (redis.cluster false): MOVED is reported on /readyz and counted, and it keeps serving', async () => {
    // its own prefix (no part in the other cases), on a node that does not own its config
    // keys: every config read answers MOVED
    const Q = `${P}-wrong`;
    const cfgNode = await cluster.nodeOf(`{${Q}}:config`);
    const node = cluster.nodes.find((n) => n !== cfgNode)!;
    const wrongRaw = {
      redis: { url: node.url, prefix: Q, poll_ms: 200 },
      log: { hmac_key: 'k3y', flush_ms: 10 },
      routes: { [keep]: route(keep), [lose]: route(lose) },
      monitor: { port: 0, lease_ms: 2000 },
    };
    const C = await gatewayWith(wrongRaw);
    const M = await startMonitor(parseConfig(wrongRaw, 'test', {}), { pollMs: 20, logger: silentLogger() });
    try {
      // the monitor too: MOVED on its keys is on /readyz, not a silent restart loop
      const m = await until('MOVED on the monitor /readyz', async () => {
        const body = (await (await fetch(`http://127.0.0.1:${M.port}/readyz`)).json()) as any;
        return body.faults?.some((f: any) => f.kind === 'moved' && f.component === 'monitor') ? body : undefined;
      }, 10_000, 100);
      expect(m.status).toBe('degraded');
      expect(await M.registry.metrics()).toMatch(/modelgate_redis_errors_total\{component="monitor",kind="moved"\} [1-9]/);
      expect(await predict(C.url, keep, 'u1', 1)).toBe(200);
      const r = await until('MOVED on /readyz', async () => {
        const body = await readyz(C.url);
        return body.checks.redis.faults?.some((f: any) => f.kind === 'moved' && f.component === 'config') ? body : undefined;
      }, 10_000, 100);
      expect(r.status).toBe('degraded');
      expect(r.checks.redis.status).toBe('degraded');
      expect(await C.registry.metrics()).toMatch(/modelgate_redis_errors_total\{component="config",kind="moved"\} [1-9]/);
      expect(await predict(C.url, keep, 'u2', 1)).toBe(200);
    } finally {
      await M.close();
      await C.close();
    }
  });

  it('a master killed mid-run: both routes keep serving, the lost slots are reported, the rest keeps working', async () => {
    const keptBefore = await client.xlen(`${P}:predictions:${keep}`);
    // whether the monitor holds the surviving route, every 50 ms from the kill on
    const owned: boolean[] = [];
    const sampler = setInterval(() => owned.push(monitor.owned().includes(keep)), 50);
    await cluster.kill(victim);
    // the survivors mark the victim failed after cluster-node-timeout; traffic continues meanwhile
    const statuses = await traffic(200, 1000);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // the route whose keys survive is still logged
    await until(`${keep} still logged`, async () => ((await client.xlen(`${P}:predictions:${keep}`).catch(() => 0)) >= keptBefore + 200 ? true : undefined), 15_000);
    // the other's writes fail: counted by kind, the log reports itself degraded
    const gw = await until('degraded log on a replica', async () => {
      await traffic(20, 5000);
      const [ra, rb] = await Promise.all([readyz(A.url), readyz(B.url)]);
      return ra.checks.log.state === 'degraded' && rb.checks.log.state === 'degraded' ? [ra, rb] : undefined;
    }, 20_000, 200);
    for (const r of gw) expect(r.status).toBe('degraded');
    // (a command to the dead master takes ~2 s to fail: the surviving stream's entries are written before it does)
    const failed = await until('log write failures counted', async () => {
      const metrics = await A.registry.metrics();
      const n = [...metrics.matchAll(/modelgate_redis_errors_total\{component="log",kind="(\w+)"\} (\d+)/g)].reduce((s, m) => s + Number(m[2]), 0);
      return n > 0 ? n : undefined;
    }, 10_000, 100);
    expect(failed).toBeGreaterThan(0);
    // the control plane lives on a surviving master: changes still reach both replicas
    const get = await admin(adminUrl(A), 'GET', `/admin/routes/${keep}`);
    const r = await admin(adminUrl(A), 'PATCH', `/admin/routes/${keep}/weights`, { body: { weights: { v1: 50, v2: 50 } }, ifMatch: get.etag!, token: ALICE });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const want = Number(get.etag!.replace(/"/g, '')) + 1;
    await until('the change on B', async () => ((await version(B)) === want ? true : undefined), 10_000);
    // replicas: the heartbeats on the dead master are missing, and the answer says so
    const reps = await admin(adminUrl(A), 'GET', '/admin/replicas');
    expect(reps.status).toBe(200);
    expect(reps.body.unreachable_nodes).toEqual([`127.0.0.1:${victim.port}`]);
    // the monitor keeps serving /readyz and says which route fails, backing off
    const m = await until('monitor reports the failing route', async () => {
      const body = (await (await fetch(`http://127.0.0.1:${monitor.port}/readyz`)).json()) as any;
      return body.failing?.some((f: any) => f.route === lose) ? body : undefined;
    }, 20_000, 200);
    expect(m.status).toBe('degraded');
    // the surviving route was worked all along: the dead master's lease commands (ioredis
    // takes ~2 s to give up on each) never held up its renewals
    expect(m.routes, JSON.stringify(m)).toContain(keep);
    expect(m.failing.map((f: any) => f.route), JSON.stringify(m)).not.toContain(keep);
    await until('5 s of ownership samples', () => (owned.length >= 100 ? true : undefined), 20_000);
    clearInterval(sampler);
    expect(owned.indexOf(false), 'sample at which the surviving route was not held').toBe(-1);
    // the surviving route's log keeps up under load: its stream has its own batches in flight,
    // so writes to the dead master (~2 s each to fail, retried with backoff) never queue it behind them
    const keepBefore = await client.xlen(`${P}:predictions:${keep}`);
    let sent = 0;
    const until3s = Date.now() + 3000;
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; Date.now() < until3s; i++) {
          expect(await predict(w % 2 ? A.url : B.url, i % 4 ? keep : lose, `s${w}-${i}`, 1)).toBe(200);
          if (i % 4) sent++;
        }
      }),
    );
    await until(`all ${sent} entries of ${keep} logged`, async () => ((await client.xlen(`${P}:predictions:${keep}`)) >= keepBefore + sent ? true : undefined), 5000);
  }, 90_000);
});
