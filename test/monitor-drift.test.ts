/**
 * The drift monitor end to end against a private redis-server (no mocks): entries XADDed as
 * the gateway writes them, an in-process monitor, reports read back from Redis.
 */
import { createServer, type Server } from 'node:http';
import { syntheticReference } from '../src/monitor/drift/synthetic-reference.ts';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import type { FileConfig } from '../src/config/schema.ts';
import { MonitorAdmin } from '../src/monitor/drift/admin-ops.ts';
import { BaselineStore } from '../src/monitor/drift/baseline-store.ts';
import { DriftStore } from '../src/monitor/drift/drift-store.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import type { DriftReport } from '../src/monitor/drift/report.ts';
import { predictionsKey } from '../src/redis/keys.ts';
import { StreamIO } from '../src/monitor/runtime/stream-io.ts';
import { generate, xaddAll, type TrafficSpec } from '../src/monitor/runtime/synthetic.ts';
import type { ConsumerFactory } from '../src/monitor/runtime/window-consumer.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

const SPEC: TrafficSpec = { numeric: 4, categorical: 2 };
const ROUTE = 'fraud';
const KEY = predictionsKey('mg', ROUTE);

let server: PrivateRedis;
let redis: Redis;
let monitor: MonitorHandle | undefined;
let hook: Server;
let alerts: any[] = [];

function config(extra: Record<string, unknown> = {}): FileConfig {
  return parseConfig(
    {
      redis: { url: server.url, prefix: 'mg' },
      routes: {
        [ROUTE]: {
          models: ['fraud'],
          variants: [
            { name: 'v1', backend: 'http://127.0.0.1:9', version: '1.0.0', weight: 50 },
            { name: 'v2', backend: 'http://127.0.0.1:9', version: '2.0.0', weight: 50 },
          ],
        },
      },
      monitor: { window_entries: 1000, window_ms: 3_600_000, lease_ms: 2000, webhook_url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, ...extra },
    },
    'test',
    {},
  );
}

function trainingBaseline(seed: number, rows: number) {
  return syntheticReference(seed, rows, SPEC, { variant: 'v1', model_version: '1.0.0' });
}


const reports = () => new DriftStore(redis, 'mg');
const windowsOf = (variant: string, n: number) =>
  until(`${n} windows of ${variant}`, async () => {
    const r = await reports().load(ROUTE);
    return r && r.variants[variant]?.totals.windows >= n ? r : undefined;
  });

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      alerts.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
  await new Promise<void>((r) => hook.close(() => r()));
});

beforeEach(async () => {
  await redis.flushall();
  alerts = [];
});

afterEach(async () => {
  await monitor?.close();
  monitor = undefined;
});

describe('drift monitor', () => {
  it('flags the one shifted feature within one window and leaves the others stable', async () => {
    await new BaselineStore(redis, 'mg').setVariant(ROUTE, trainingBaseline(1, 20_000));
    monitor = await startMonitor(config(), { http: false, pollMs: 20 });
    await xaddAll(redis, KEY, generate(11, 3000, SPEC, { variant: 'v1', ridPrefix: 'a' }));
    let r = await windowsOf('v1', 3);
    expect(r.variants.v1.status).toBe('stable');
    expect(r.variants.v1.totals.entries).toBe(3000);
    await xaddAll(redis, KEY, generate(12, 1000, { ...SPEC, shift: { n3: 1 } }, { variant: 'v1', ridPrefix: 'b' }));
    r = await windowsOf('v1', 4);
    const v1 = r.variants.v1;
    expect(v1.status).toBe('significant');
    expect(v1.features.n3).toMatchObject({ status: 'significant', kind: 'numeric', test: 'ks' });
    expect(v1.features.n3.psi!).toBeGreaterThan(0.2);
    for (const f of ['n0', 'n1', 'n2', 'c0', 'c1']) expect(v1.features[f].status, f).toBe('stable');
    expect(v1.entries).toBe(1000);
    expect(r.baseline).toMatchObject({ variant: 'v1', version: 1, entries: 20_000 });
    expect(r.status).toBe('significant');

    const text = await monitor.registry.metrics();
    expect(text).toMatch(/modelgate_drift_status\{route="fraud",variant="v1"\} 2/);
    expect(text).toMatch(/modelgate_drift_psi\{route="fraud",variant="v1",feature="n3"\} 0\.[2-9]|modelgate_drift_psi\{route="fraud",variant="v1",feature="n3"\} [1-9]/);
    expect(text).toMatch(/modelgate_drift_pvalue\{route="fraud",variant="v1",feature="c0",test="chi2"\}/);
    expect(text).toMatch(/modelgate_output_drift_psi\{route="fraud",variant="v1"\}/);
    expect(text).toMatch(/modelgate_monitor_entries_processed_total\{route="fraud"\} 4000/);
    await until('the webhook', async () => (alerts.length ? true : undefined));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'drift_status_changed', route: ROUTE, variant: 'v1', from: 'stable', to: 'significant', direction: 'worsened' });
    expect(alerts[0].drifting[0].name).toBe('n3');
  });

  it('flags nothing over 20 windows without a shift', async () => {
    // Under no drift PSI ≈ (1/n + 1/N)·χ²₉ (n = 1000, N = 20000): PSI > 0.1 needs χ²₉ > 95,
    // probability ~1e-16, so no feature may reach moderate or significant through PSI. The
    // Bonferroni-corrected p-values keep the chance that a window has any p-value below
    // alpha = 0.01 at most 1 % (the KS reference is a quantile sketch, which only makes the
    // test more conservative), so over 20 windows P(2 or more such windows) <= C(20,2)·1e-4
    // ≈ 0.02 and P(3 or more) ≈ 1e-3: we allow at most 2 `moderate` windows, no `significant`.
    await new BaselineStore(redis, 'mg').setVariant(ROUTE, trainingBaseline(2, 20_000));
    const seen: DriftReport['variants'][string][] = [];
    const recorder: ConsumerFactory = (ctx) => ({
      name: 'recorder',
      async onWindow() {
        const r = await new DriftStore(ctx.redis, ctx.prefix).load(ctx.route);
        seen.push(structuredClone(r!.variants.v1));
      },
    });
    monitor = await startMonitor(config(), { http: false, pollMs: 20, consumers: [recorder] });
    await xaddAll(redis, KEY, generate(21, 20_000, SPEC, { variant: 'v1', ridPrefix: 'n' }));
    await windowsOf('v1', 20);
    // the recorder runs after the drift consumer has stored the 20th report
    await until('the recorder to see 20 windows', async () => (seen.length >= 20 ? true : undefined));
    expect(seen).toHaveLength(20);
    const maxPsi = Math.max(...seen.flatMap((v) => Object.values(v.features).map((c) => c.psi!)));
    expect(maxPsi).toBeLessThan(0.05);
    expect(seen.filter((v) => v.status === 'significant')).toHaveLength(0);
    expect(seen.filter((v) => v.status === 'moderate').length).toBeLessThanOrEqual(2);
    expect(seen.every((v) => v.status !== 'insufficient_data')).toBe(true);
    expect(alerts.filter((a) => a.to === 'significant')).toHaveLength(0);
  });

  it('captures a live baseline, then flags the output shift of a new model version', async () => {
    monitor = await startMonitor(config(), { http: false, pollMs: 20 });
    const admin = new MonitorAdmin(redis, 'mg', config().monitor);
    // traffic before the capture request is not part of it
    await xaddAll(redis, KEY, generate(30, 200, { ...SPEC, shift: { n0: 5 } }, { variant: 'v1', ridPrefix: 'pre' }));
    const { after } = await admin.requestCapture(ROUTE, 'v1', 1000);
    expect(after).not.toBe('0-0');
    await xaddAll(redis, KEY, generate(31, 1000, SPEC, { variant: 'v1', ridPrefix: 'cap' }));
    const doc = await until('the captured baseline', async () => {
      const d = await new BaselineStore(redis, 'mg').load(ROUTE);
      return d?.variants.v1 ? d : undefined;
    });
    expect(doc.default).toBe('v1');
    expect(doc.captures).toEqual({});
    expect(doc.variants.v1).toMatchObject({ source: 'capture', entries: 1000, model_version: '1.0.0' });
    const n0 = doc.variants.v1.features.n0;
    expect(n0.kind === 'numeric' && Math.abs(n0.mean) < 0.2).toBe(true); // the shifted pre-capture entries are not in it

    await xaddAll(redis, KEY, [
      ...generate(32, 1000, SPEC, { variant: 'v1', ridPrefix: 'live1' }),
      ...generate(33, 1000, { ...SPEC, outputShift: 2 }, { variant: 'v2', version: '2.0.0', ridPrefix: 'live2' }),
    ]);
    const r = await until('verdicts for v1 and v2', async () => {
      const x = await reports().load(ROUTE);
      return x && x.variants.v1.judged_at && x.variants.v2.judged_at ? x : undefined;
    });
    expect(r.variants.v1.status).toBe('stable');
    expect(r.variants.v2.output).toMatchObject({ status: 'significant' });
    expect(r.variants.v2.output!.psi!).toBeGreaterThan(0.2);
    for (const f of Object.values(r.variants.v2.features)) expect(f.status).toBe('stable');
    expect(r.variants.v2).toMatchObject({ status: 'significant', model_version: '2.0.0', baseline: { variant: 'v1', model_version: '1.0.0' } });
    expect(r.baseline).toMatchObject({ variant: 'v1', entries: 1000 });
    // windows of 1000 v1 entries: [200 pre-capture + 800 captured], [200 captured + 800 live];
    // captured entries are not judged (nor counted), the pre-capture ones had no baseline yet
    expect(r.variants.v1.totals).toEqual({ entries: 200 + 800, windows: 2 });
    expect(r.variants.v1.last_window).toMatchObject({ entries: 1000, judged: 800 });
    expect(r.variants.v1.entries).toBe(800);
  });

  it('detects entries trimmed before they were read, and drops repeated (rid, role) entries', async () => {
    await new BaselineStore(redis, 'mg').setVariant(ROUTE, trainingBaseline(4, 5000));
    await new StreamIO(redis, KEY, 'setup').ensureGroup();
    await xaddAll(redis, KEY, generate(40, 500, SPEC, { variant: 'v1', ridPrefix: 't' }));
    await redis.xtrim(KEY, 'MAXLEN', 200);
    const again = generate(40, 10, SPEC, { variant: 'v1', ridPrefix: 't', ridStart: 490 }); // last 10 rids repeated
    await xaddAll(redis, KEY, again);
    monitor = await startMonitor(config({ window_entries: 100 }), { http: false, pollMs: 20 });
    await windowsOf('v1', 2);
    const text = await until('the counters', async () => {
      const t = await monitor!.registry.metrics();
      return /modelgate_monitor_entries_processed_total\{route="fraud"\} 200/.test(t) ? t : undefined;
    });
    expect(text).toMatch(/modelgate_monitor_entries_lost_total\{route="fraud"\} 300/);
    expect(text).toMatch(/modelgate_monitor_entries_duplicate_total\{route="fraud"\} 10/);
    expect(text).toMatch(/modelgate_monitor_lag_entries\{route="fraud"\} 0/);
    // reported once: the group's counters now account for the gap
    await xaddAll(redis, KEY, generate(41, 100, SPEC, { variant: 'v1', ridPrefix: 'u' }));
    await windowsOf('v1', 3);
    expect(await monitor.registry.metrics()).toMatch(/modelgate_monitor_entries_lost_total\{route="fraud"\} 300/);
    // acknowledged right after the report is written
    await until('no pending entries', async () => (Number(((await redis.xpending(KEY, 'modelgate-monitor')) as [number])[0]) === 0 ? true : undefined));
  });
});
