/** Several monitors share the routes: each takes its fair share; a survivor takes them all. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';


describe('monitors share routes', () => {
  let redis: PrivateRedis;
  const monitors: MonitorHandle[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.allSettled(monitors.map((m) => m.close()));
    await redis.stop();
  });

  it('two monitors split four routes 2/2; when one leaves, the other takes all four', async () => {
    const route = (m: string) => ({ models: [m], variants: [{ name: 'a', backend: 'http://127.0.0.1:1', weight: 100 }] });
    const cfg = parseConfig({ redis: { url: redis.url }, monitor: { lease_ms: 1000 }, routes: { r1: route('m1'), r2: route('m2'), r3: route('m3'), r4: route('m4') } }, 'test', {});
    const a = await startMonitor(cfg, { logger: silentLogger(), http: false, pollMs: 20 });
    monitors.push(a);
    await until('a owns all four', () => ((a.owned().length === 4) ? true : undefined));
    const b = await startMonitor(cfg, { logger: silentLogger(), http: false, pollMs: 20 });
    monitors.push(b);
    await until('a 2/2 split', () => ((a.owned().length === 2 && b.owned().length === 2) ? true : undefined));
    expect([...a.owned(), ...b.owned()].sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
    await a.close();
    monitors.shift();
    await until('b owns all four', () => ((b.owned().length === 4) ? true : undefined));
  }, 40_000);
});
