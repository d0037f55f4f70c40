/**
 * The SRM watch end to end: prediction-log entries written straight to the stream (as the
 * gateway writes them) with seeded assignment counts, an in-process monitor with the
 * plug-ins, results read back from Redis, the metrics and the webhook.
 *
 * False-alarm budget: under a correct split each window's p-value is uniform, so with
 * alpha = 0.001 a window alarms with probability 0.001 and 20 independent windows with
 * 1 - 0.999^20 ≈ 2 %; the cumulative test adds at most 20 · 0.001 = 2 % more (union bound),
 * ~4 % in all. The generator is seeded (mulberry32, seed 7), so the run is reproducible; a
 * different seed fails this test with probability at most ~4 %.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/monitor/runtime/synthetic.ts';
import { loadSrmReport } from '../src/monitor/srm/srm-consumer.ts';
import { predictionsKey } from '../src/redis/keys.ts';
import { admin } from './control-plane-helpers.ts';
import { MONITOR, startHarness, until, type Harness } from './canary-harness.ts';

let h: Harness;
let version = 0;
let rid = 0;

beforeAll(async () => {
  h = await startHarness();
  const cur = await h.admin('GET', '/admin/routes/fraud');
  const r = await admin(h.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 50, v2: 50 } }, ifMatch: cur.etag! });
  expect(r.status).toBe(200);
  version = r.body.version;
});
afterAll(() => h.close());

/** `n` live entries; `shareV1` of the hash-assigned ones go to v1; `forced` extra forced entries on v1. */
async function write(rand: () => number, n: number, shareV1: number, forced = 0): Promise<void> {
  const p = h.client.pipeline();
  const entry = (variant: string, assign: string) => {
    const id = rid++;
    return ['v', '1', 'ts', String(Date.now()), 'rid', `r${id}`, 'route', 'fraud', 'variant', variant, 'version', '1', 'role', 'live', 'assign', assign, 'unit', `unit${id}`, 'bucket', String(id % 10000), 'status', '200', 'latency_ms', '1.0', 'features', '[{"x":1}]', 'prediction', '[0.5]', 'cfg', String(version)];
  };
  for (let i = 0; i < n; i++) p.xadd(predictionsKey('mg', 'fraud'), '*', ...entry(rand() < shareV1 ? 'v1' : 'v2', 'hash'));
  for (let i = 0; i < forced; i++) p.xadd(predictionsKey('mg', 'fraud'), '*', ...entry('v1', 'forced'));
  await p.exec();
}

describe('SRM watch', () => {
  it('stays quiet over 20 balanced windows (forced assignments excluded), then alarms on a skewed split', async () => {
    const rand = mulberry32(7);
    // 20 windows of 200 hash-assigned units, plus forced traffic on v1 that would skew the
    // counts badly if it were counted
    for (let w = 0; w < 20; w++) await write(rand, MONITOR.window_entries, 0.5, 60);
    const quiet = await until('20 windows', async () => {
      const r = await loadSrmReport(h.client, 'mg', 'fraud');
      return r && r.windows_tested >= 20 ? r : undefined;
    });
    expect(quiet.alarm).toBe(false);
    expect(quiet.recent.every((x) => !x.alarm)).toBe(true);
    expect(quiet.cumulative).toMatchObject({ alarm: false, versions: [version] });
    expect(quiet.cumulative!.units.v1 + quiet.cumulative!.units.v2).toBe(20 * MONITOR.window_entries);
    let text = await h.registry.metrics();
    expect(text).toMatch(/modelgate_srm_pvalue\{route="fraud"\} 0\.\d+|modelgate_srm_pvalue\{route="fraud"\} 1/);
    expect(text).toMatch(/modelgate_srm_alarm\{route="fraud"\} 0/);
    expect(h.hooks.filter((x) => x.type === 'srm_alarm')).toHaveLength(0);

    // 65 / 35 against 50 / 50 weights: chi-squared 18 over 200 units, p ≈ 2e-5
    for (let w = 0; w < 2; w++) await write(rand, MONITOR.window_entries, 0.65);
    const loud = await until('the alarm', async () => {
      const r = await loadSrmReport(h.client, 'mg', 'fraud');
      return r?.alarm ? r : undefined;
    });
    expect(loud.window!.pvalue!).toBeLessThan(0.001);
    expect(loud.window!.units.v1).toBeGreaterThan(loud.window!.units.v2);
    text = await h.registry.metrics();
    expect(text).toMatch(/modelgate_srm_alarm\{route="fraud"\} 1/);
    await until('the webhook', async () => (h.hooks.some((x) => x.type === 'srm_alarm') ? true : undefined));
    expect(h.hooks.filter((x) => x.type === 'srm_alarm')).toHaveLength(1);
    expect(h.hooks.find((x) => x.type === 'srm_alarm')).toMatchObject({ route: 'fraud', alpha: 0.001 });
  });
});
