/**
 * Baseline modes end to end against a private redis-server (no mocks): weeks and days of past
 * traffic XADDed with explicit ids (stream ids are ms timestamps), one in-process monitor
 * working several routes that differ only in their `baseline` mode, reports read back.
 *
 * - a weekly peak (one UTC hour of the week where feature n0 sits 3 sd higher, in every week):
 *   `fixed` flags the peak hour, `seasonal` (the same hour in the 4 weeks before) does not;
 * - the same weekly peak worked through by the monitor and then trimmed from the stream: the
 *   seasonal reference comes from the hourly aggregates the monitor stored;
 * - a level change 3 days ago: `rolling` over 2 days has moved with it, `rolling` over 10
 *   days (mostly before the change) and `fixed` flag it.
 */
import { Redis } from 'ioredis';
import { syntheticReference } from '../src/monitor/drift/synthetic-reference.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { DAY_MS, HOUR_MS, WEEK_MS, hourOfWeek } from '../src/monitor/drift/baseline-periods.ts';
import { BaselineStore } from '../src/monitor/drift/baseline-store.ts';
import { DriftStore } from '../src/monitor/drift/drift-store.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import type { DriftReport } from '../src/monitor/drift/report.ts';
import { predictionsKey } from '../src/redis/keys.ts';
import { MONITOR_GROUP } from '../src/monitor/runtime/stream-io.ts';
import { entryFields, makeInstance, mulberry32, normal, type TrafficSpec } from '../src/monitor/runtime/synthetic.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

const SPEC: TrafficSpec = { numeric: 2, categorical: 1 };
const PEAK: TrafficSpec = { ...SPEC, shift: { n0: 3 } };
const WINDOW = 500;

let server: PrivateRedis;
let redis: Redis;
let monitor: MonitorHandle;

/**
 * The current window starts at T, a fixed past hour (a Friday afternoon), so the hourly
 * samples' seeds, and with them every statistic, are the same on every run; ids stay below
 * now, and every window is old enough for the monitor to close it by time once caught up.
 */
const T = Date.parse('2024-01-05T14:00:00Z');

const route = (model: string, baseline?: object) => ({ models: [model], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9', version: '1.0.0', weight: 100 }], ...(baseline ? { baseline } : {}) });
const ROUTES = {
  'weekly-fixed': route('wf'),
  'weekly-seasonal': route('ws', { mode: 'seasonal', weeks: 4 }),
  'fresh-seasonal': route('fs', { mode: 'seasonal' }),
  'trimmed-seasonal': route('ts', { mode: 'seasonal' }),
  'trend-fixed': route('tf'),
  'trend-rolling2': route('tr2', { mode: 'rolling', days: 2 }),
  'trend-rolling10': route('tr10', { mode: 'rolling', days: 10 }),
};

/** `n` entries of v1 from `from`, `stepMs` apart, ids `<ts>-<seq>` (seq keeps ids unique per ms). */
function entries(seed: number, from: number, n: number, stepMs: number, spec: TrafficSpec, tag: string): [string, string[]][] {
  const rand = mulberry32(seed);
  const gauss = normal(rand);
  return Array.from({ length: n }, (_, i) => {
    const ts = from + i * stepMs;
    const { features, score } = makeInstance(rand, gauss, spec);
    return [`${ts}-${i}`, entryFields({ rid: `${tag}-${seed}-${i}`, variant: 'v1', ts }, features, score)];
  });
}

async function write(routeName: string, list: [string, string[]][], atomic = false): Promise<void> {
  const key = predictionsKey('mg', routeName);
  list.sort((a, b) => Number(a[0].split('-')[0]) - Number(b[0].split('-')[0]) || Number(a[0].split('-')[1]) - Number(b[0].split('-')[1]));
  for (let i = 0; i < list.length; i += 500) {
    // atomic: one MULTI, so the monitor reads the window whole (an old window it read in part would close by time)
    const p = atomic ? redis.multi() : redis.pipeline();
    for (const [id, f] of list.slice(i, i + 500)) p.xadd(key, id, ...f);
    for (const [err] of (await p.exec()) ?? []) if (err) throw err;
  }
}

/** Writes the history, marks it as already worked through (the group starts after it), then the current window. */
async function stream(routeName: string, history: [string, string[]][], current: [string, string[]][]): Promise<string> {
  await write(routeName, history);
  const key = predictionsKey('mg', routeName);
  const last = (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0][0];
  await redis.call('XGROUP', 'CREATE', key, MONITOR_GROUP, last);
  await write(routeName, current);
  return current[0][0];
}

function trainingBaseline() {
  return syntheticReference(7, 5000, SPEC, { variant: 'v1', model_version: '1.0.0' });
}

const firstIds: Record<string, string> = {};
const judged = (routeName: string) =>
  until(`the current window of ${routeName} judged`, async () => {
    const r = await new DriftStore(redis, 'mg').load(routeName);
    return r?.variants.v1?.window?.first_id === firstIds[routeName] ? r : undefined;
  }, 30_000, 50);

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  for (const name of Object.keys(ROUTES)) await new BaselineStore(redis, 'mg').setVariant(name, trainingBaseline());

  // weekly: the peak hour (T's weekday and hour) in each of the 4 weeks before, and ordinary hours around it
  const weekly: [string, string[]][] = [];
  for (let p = 1; p <= 4; p++) {
    const h = T - p * WEEK_MS;
    weekly.push(...entries(100 + p, h - 3 * HOUR_MS, 150, 24_000, SPEC, 'before'));
    weekly.push(...entries(200 + p, h, 150, 24_000, PEAK, 'peak'));
    weekly.push(...entries(300 + p, h + 3 * HOUR_MS, 150, 24_000, SPEC, 'after'));
  }
  const peakNow = entries(400, T, WINDOW, 2000, PEAK, 'now');
  for (const name of ['weekly-fixed', 'weekly-seasonal']) firstIds[name] = await stream(name, weekly, peakNow);
  // worked through by the monitor (no group yet): it stores hourly aggregates as it goes
  await write('trimmed-seasonal', weekly.map(([id, f]) => [id, f]));
  // a route with no history yet (one ordinary hour the day before)
  firstIds['fresh-seasonal'] = await stream('fresh-seasonal', entries(450, T - DAY_MS, 150, 24_000, SPEC, 'before'), peakNow);

  // trend: 1 entry per 5 minutes over 10 days, the level of n0 up by 3 sd from 3 days before T
  const change = T - 3 * DAY_MS;
  const trend = [...entries(500, T - 10 * DAY_MS, (7 * DAY_MS) / 300_000, 300_000, SPEC, 'old'), ...entries(501, change, (3 * DAY_MS) / 300_000, 300_000, PEAK, 'new')];
  const trendNow = entries(600, T, WINDOW, 2000, PEAK, 'now');
  for (const name of ['trend-fixed', 'trend-rolling2', 'trend-rolling10']) firstIds[name] = await stream(name, trend, trendNow);

  const cfg = parseConfig({ redis: { url: server.url, prefix: 'mg' }, routes: ROUTES, monitor: { window_entries: WINDOW, window_ms: 3_600_000, lease_ms: 2000, min_entries: 100 } }, 'test', {});
  monitor = await startMonitor(cfg, { http: false, pollMs: 20 });
}, 60_000);

afterAll(async () => {
  await monitor?.close();
  redis?.disconnect();
  await server?.stop();
});

const n0 = (r: DriftReport) => r.variants.v1.features.n0;

describe('baseline modes', () => {
  it('seasonal: a shift that repeats every week at this hour is not flagged; fixed flags it', async () => {
    const fixed = await judged('weekly-fixed');
    expect(fixed.variants.v1.status).toBe('significant');
    expect(n0(fixed).psi!).toBeGreaterThan(0.2);
    expect(fixed.baseline_mode).toEqual({ mode: 'fixed' });
    expect(fixed.variants.v1.baseline).toMatchObject({ mode: 'fixed', source: 'file', version: 1, entries: 5000 });

    const seasonal = await judged('weekly-seasonal');
    expect(seasonal.variants.v1.status).toBe('stable');
    expect(n0(seasonal).psi!).toBeLessThan(0.1);
    expect(seasonal.baseline_mode).toEqual({ mode: 'seasonal', weeks: 4, max_entries: 20_000 });
    const ref = seasonal.variants.v1.baseline!;
    const how = hourOfWeek(T).label;
    expect(ref).toMatchObject({ mode: 'seasonal', source: 'seasonal', entries: 600, period: { mode: 'seasonal', weeks: 4, hour_of_week: how, from_ts: T - 4 * WEEK_MS, to_ts: T - WEEK_MS + HOUR_MS } });
    expect(ref.fallback).toBeUndefined();
    // exactly the peak hour of each week, none of the ordinary hours beside it
    expect(ref.period!.ranges).toEqual([1, 2, 3, 4].map((p) => ({ from_ts: T - p * WEEK_MS, to_ts: T - p * WEEK_MS + HOUR_MS, entries: 150, source: 'stream' })));
    const metrics = await monitor.registry.metrics();
    expect(metrics).toContain('modelgate_drift_baseline_mode{route="weekly-seasonal",variant="v1",mode="seasonal"} 1');
    expect(metrics).toContain('modelgate_drift_baseline_mode{route="weekly-seasonal",variant="v1",mode="fixed"} 0');
    expect(metrics).toContain('modelgate_drift_baseline_mode{route="weekly-fixed",variant="v1",mode="fixed"} 1');
  });

  it('seasonal after the stream was trimmed: the weeks come from the stored hourly aggregates', async () => {
    const key = predictionsKey('mg', 'trimmed-seasonal');
    const lastHistory = (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0][0];
    await until('the history worked through', async () => ((await new DriftStore(redis, 'mg').load('trimmed-seasonal'))?.progress['live:v1']?.last_id === lastHistory ? true : undefined), 30_000, 50);
    // bounded: one field per UTC hour of the week seen (3 hours a week here), each with at most `weeks` hours
    const fields = await redis.hkeys('mg:baseline:trimmed-seasonal:hours');
    expect(fields.sort()).toEqual([-3, 0, 3].map((d) => `live:v1@${hourOfWeek(T + d * HOUR_MS).index}`).sort());
    const slot = JSON.parse((await redis.hget('mg:baseline:trimmed-seasonal:hours', `live:v1@${hourOfWeek(T).index}`))!);
    expect(slot.hours.map((h: { hour_start: number; entries: number }) => [h.hour_start, h.entries])).toEqual([1, 2, 3, 4].map((p) => [T - p * WEEK_MS, 150]));
    expect(slot.hours[0].sample).toHaveLength(100);

    await redis.xtrim(key, 'MINID', T);
    expect(await redis.xlen(key)).toBe(0);
    await write('trimmed-seasonal', entries(400, T, WINDOW, 2000, PEAK, 'now'), true);
    firstIds['trimmed-seasonal'] = `${T}-0`;
    const r = await judged('trimmed-seasonal');
    expect(r.variants.v1.status).toBe('stable');
    expect(n0(r).psi!).toBeLessThan(0.1);
    // 100 sampled entries of each week's 150
    expect(r.variants.v1.baseline).toMatchObject({ mode: 'seasonal', entries: 400 });
    expect(r.variants.v1.baseline!.period!.ranges).toEqual([1, 2, 3, 4].map((p) => ({ from_ts: T - p * WEEK_MS, to_ts: T - p * WEEK_MS + HOUR_MS, entries: 100, seen: 150, source: 'aggregate' })));
  });

  it('seasonal without enough history: judged against the fixed baseline, and the report says why', async () => {
    const r = await judged('fresh-seasonal');
    expect(r.variants.v1.status).toBe('significant');
    expect(r.variants.v1.baseline).toMatchObject({ mode: 'fixed', source: 'file', version: 1 });
    expect(await monitor.registry.metrics()).toContain('modelgate_drift_baseline_mode{route="fresh-seasonal",variant="v1",mode="fixed"} 1');
    expect(r.variants.v1.baseline!.fallback).toBe(`seasonal: 0 entries of live:v1 in ${hourOfWeek(T).label} over the last 4 week(s) (at least 100 needed)`);
    // the drift history records it per window too
    const history = (await redis.lrange('mg:drift-history:fresh-seasonal', 0, -1)).map((x) => JSON.parse(x));
    expect(history.at(-1)).toMatchObject({ start_ts: T, status: 'significant', baseline_fallback: r.variants.v1.baseline!.fallback });
    const seasonalHistory = (await redis.lrange('mg:drift-history:weekly-seasonal', 0, -1)).map((x) => JSON.parse(x));
    expect(seasonalHistory.at(-1)).toMatchObject({ start_ts: T, status: 'stable', baseline_mode: 'seasonal' });
  });

  it('rolling: the reference is the last N days before the window, stored with a version', async () => {
    const fixed = await judged('trend-fixed');
    expect(fixed.variants.v1.status).toBe('significant');

    const two = await judged('trend-rolling2');
    expect(two.variants.v1.status).toBe('stable');
    expect(n0(two).psi!).toBeLessThan(0.1);
    expect(two.baseline_mode).toEqual({ mode: 'rolling', days: 2, refresh_ms: 3_600_000, max_entries: 20_000 });
    const ref = two.variants.v1.baseline!;
    // one entry per 5 minutes over 2 days
    expect(ref).toMatchObject({ mode: 'rolling', source: 'rolling', entries: (2 * DAY_MS) / 300_000, period: { mode: 'rolling', days: 2, from_ts: T - 2 * DAY_MS, to_ts: T } });
    const doc = await new BaselineStore(redis, 'mg').load('trend-rolling2');
    expect(doc!.rolling!['live:v1']).toMatchObject({ version: ref.version, entries: ref.entries, period: ref.period });
    expect(ref.version).toBe(doc!.version);
    expect(ref.version).toBeGreaterThan(1); // the uploaded fixed baseline was version 1

    // 10 days reach back before the change: 7 of them at the old level
    const ten = await judged('trend-rolling10');
    expect(ten.variants.v1.status).toBe('significant');
    expect(ten.variants.v1.baseline).toMatchObject({ mode: 'rolling', entries: (10 * DAY_MS) / 300_000, period: { days: 10, from_ts: T - 10 * DAY_MS, to_ts: T } });
  });
});
