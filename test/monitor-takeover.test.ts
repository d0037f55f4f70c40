/**
 * Scale-out and failover of real monitor processes (`node bin/modelgate.js monitor`) over a
 * private redis-server: the owner is SIGKILLed mid-window; the standby takes the route within
 * the lease TTL, reclaims the dead owner's pending entries, and every entry is counted once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { syntheticReference } from '../src/monitor/drift/synthetic-reference.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { BaselineStore } from '../src/monitor/drift/baseline-store.ts';
import { DriftStore } from '../src/monitor/drift/drift-store.ts';
import { startMonitor } from '../src/monitor/runtime/monitor.ts';
import { predictionsKey } from '../src/redis/keys.ts';
import { MONITOR_GROUP } from '../src/monitor/runtime/stream-io.ts';
import { generate, xaddAll, type TrafficSpec } from '../src/monitor/runtime/synthetic.ts';
import { freePort } from './helpers/ports.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

const SPEC: TrafficSpec = { numeric: 3, categorical: 1 };
const LEASE_MS = 2000;
const KEY = predictionsKey('mg', 'fraud');
const LEASE = 'mg:lease:fraud';

let server: PrivateRedis;
let redis: Redis;
const children: ChildProcess[] = [];

const routes = { fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9', version: '1', weight: 100 }] } };

async function writeConfig(port: number): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'mg-mon-')), 'modelgate.yaml');
  writeFileSync(file, JSON.stringify({ redis: { url: server.url, prefix: 'mg' }, routes, monitor: { host: '127.0.0.1', port, window_entries: 500, window_ms: 3_600_000, lease_ms: LEASE_MS } }));
  return file;
}

function spawnMonitor(file: string): ChildProcess {
  const child = spawn(process.execPath, ['bin/modelgate.js', 'monitor', '--config', file], { env: { ...process.env, MODELGATE_LOG_LEVEL: 'warn', REDIS_URL: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c) => (err += c));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') process.stderr.write(`monitor ${child.pid} exited ${code} ${signal}: ${err}\n`);
  });
  children.push(child);
  return child;
}


const ownerPid = async () => {
  const v = await redis.get(LEASE);
  return v ? Number(v.split('-').at(-2)) : undefined;
};

const healthy = (port: number) => until(`monitor on ${port}`, async () => ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ? true : undefined));

const totals = async () => (await new DriftStore(redis, 'mg').load('fraud'))?.variants.v1.totals;
const pendingCount = async () => Number(((await redis.xpending(KEY, MONITOR_GROUP)) as [number])[0]);

function baseline() {
  return syntheticReference(7, 5000, SPEC, { variant: 'v1', model_version: '1' });
}

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  redis.disconnect();
  await server.stop();
});

describe('monitor failover', () => {
  it('a standby takes over a killed owner within the lease TTL; no entry lost, none counted twice', async () => {
    await redis.flushall();
    await new BaselineStore(redis, 'mg').setVariant('fraud', baseline());
    await xaddAll(redis, KEY, generate(1, 1250, SPEC, { variant: 'v1', ridPrefix: 'a' }));

    const [portA, portB] = [await freePort(), await freePort()];
    const a = spawnMonitor(await writeConfig(portA));
    await until('A to own the route', async () => ((await ownerPid()) === a.pid ? true : undefined));
    const b = spawnMonitor(await writeConfig(portB));
    await healthy(portB);
    // A has judged two windows of 500 and holds the third one open: 250 entries pending
    await until('A mid-window', async () => ((await totals())?.entries === 1000 && (await pendingCount()) === 250 ? true : undefined));
    expect(await ownerPid()).toBe(a.pid);

    a.kill('SIGKILL');
    const killedAt = Date.now();
    await until('B to own the route', async () => ((await ownerPid()) === b.pid ? true : undefined), 10_000, 10);
    const takeoverMs = Date.now() - killedAt;
    // the lease runs out at most LEASE_MS after A's last renewal; B retries every LEASE_MS / 10
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + LEASE_MS / 10 + 300);

    await xaddAll(redis, KEY, [
      ...generate(2, 750, SPEC, { variant: 'v1', ridPrefix: 'b' }),
      ...generate(1, 5, SPEC, { variant: 'v1', ridPrefix: 'a', ridStart: 1245 }), // at-least-once repeats
    ]);
    const t = await until('every entry judged', async () => {
      const x = await totals();
      return x && x.windows >= 4 ? x : undefined;
    });
    expect(t).toEqual({ entries: 2000, windows: 4 });
    await until('B to hold nothing of the closed windows', async () => ((await pendingCount()) <= 5 ? true : undefined));
    const metrics = await (await fetch(`http://127.0.0.1:${portB}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_monitor_entries_processed_total\{route="fraud"\} 1000/); // 250 reclaimed + 750 new
    expect(metrics).toMatch(/modelgate_monitor_entries_duplicate_total\{route="fraud"\} 5/);
    expect(metrics).toMatch(/modelgate_monitor_route_owned\{route="fraud"\} 1/);
    const consumers = (await redis.call('XINFO', 'CONSUMERS', KEY, MONITOR_GROUP)) as unknown[][];
    expect(consumers).toHaveLength(1); // the dead owner was forgotten after its entries were reclaimed

    b.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => b.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(await redis.get(LEASE)).toBeNull(); // released on SIGTERM
  });

  it('does not count again windows redelivered after their report was written', async () => {
    // a crash between writing the report and XACK: the group redelivers the whole stream
    await redis.flushall();
    await new BaselineStore(redis, 'mg').setVariant('fraud', baseline());
    await xaddAll(redis, KEY, generate(3, 1000, SPEC, { variant: 'v1', ridPrefix: 'c' }));
    const cfg = parseConfig({ redis: { url: server.url, prefix: 'mg' }, routes, monitor: { window_entries: 500, window_ms: 3_600_000, lease_ms: LEASE_MS } }, 'test', {});
    let m = await startMonitor(cfg, { http: false, pollMs: 20 });
    await until('two windows', async () => ((await totals())?.windows === 2 ? true : undefined));
    await m.close();
    await redis.call('XGROUP', 'SETID', KEY, MONITOR_GROUP, '0');
    await xaddAll(redis, KEY, generate(4, 500, SPEC, { variant: 'v1', ridPrefix: 'd' }));
    m = await startMonitor(cfg, { http: false, pollMs: 20 });
    try {
      await until('the new window', async () => ((await totals())?.windows === 3 ? true : undefined));
      expect(await totals()).toEqual({ entries: 1500, windows: 3 });
    } finally {
      await m.close();
    }
  });
});
