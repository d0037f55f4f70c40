/**
 * The persisted histories over a private redis-server: the drift history list stays capped at
 * every append and is served (filtered, oldest first) by GET …/drift/history; the experiment's
 * look history survives a new recorder (a takeover), is replaced by a new experiment, stays
 * bounded while spanning the whole run, and is served by GET …/experiment/history.
 */
import { adminErrorHandler } from '../src/admin/respond.ts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentRoutes } from '../src/monitor/experiments/experiment-routes.ts';
import { driftRoutes } from '../src/monitor/drift/drift-routes.ts';
import { parseConfig } from '../src/config/load.ts';
import { MemoryConfigStore } from '../src/config/memory-store.ts';
import { initialSnapshot } from '../src/config/snapshot.ts';
import { historyWindow, type OutcomeLike } from '../src/monitor/drift/history.ts';
import { DriftHistoryStore, driftHistoryKey } from '../src/monitor/drift/history-store.ts';
import { experimentKey } from '../src/redis/keys.ts';
import type { LookPoint } from '../src/monitor/experiments/look-history.ts';
import { experimentHistoryKey, LookRecorder, readLookHistory } from '../src/monitor/experiments/look-history-store.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';

let server: PrivateRedis;
let redis: Redis;
let drift: ReturnType<typeof driftRoutes>;
let experiments: ReturnType<typeof experimentRoutes>;
const CAP = 12;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
  const cfg = parseConfig(
    {
      redis: { url: server.url, prefix: 'mh' },
      monitor: { drift_history_windows: CAP, experiment_history_looks: 10 },
      routes: { fraud: { models: ['fraud'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9', weight: 60 }, { name: 'v2', backend: 'http://127.0.0.1:9', weight: 40 }] } },
    },
    'test',
    {},
  );
  const deps = { cfg, store: new MemoryConfigStore(initialSnapshot(cfg)), redis, prefix: 'mh', logger: silentLogger(), replicaId: 'r1' };
  drift = driftRoutes(deps);
  // the routes throw their errors; the admin app's error handler answers them (as in src/admin/app.ts)
  experiments = experimentRoutes(deps);
  experiments.onError(adminErrorHandler(silentLogger()));
  drift.onError(adminErrorHandler(silentLogger()));
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const col = (psi: number) => ({ status: psi > 0.2 ? 'significant' : 'stable', psi, test: 'ks', statistic: psi / 2, pvalue_adjusted: 0.5, n: 200 });
const outcome = (i: number, variant: string, role: 'live' | 'shadow' = 'live'): OutcomeLike => ({
  role,
  variant,
  meta: { start_ts: i * 1000, end_ts: i * 1000 + 999 },
  counted: 200,
  judged: 200,
  modelVersion: '1',
  baseline: { version: 1 },
  verdict: { status: col(i / 100).status, features: { amount: col(i / 100) }, output: null },
});

describe('drift history', () => {
  it('keeps at most monitor.drift_history_windows records, the newest, and serves them filtered and oldest first', async () => {
    const store = new DriftHistoryStore(redis, 'mh');
    for (let i = 0; i < 30; i++) {
      await store.append('fraud', historyWindow(outcome(i, i % 3 === 2 ? 'v3' : i % 2 ? 'v2' : 'v1', i % 3 === 2 ? 'shadow' : 'live')), CAP);
      expect(await redis.llen(driftHistoryKey('mh', 'fraud'))).toBe(Math.min(i + 1, CAP));
    }
    const all = await (await drift.request('/routes/fraud/drift/history')).json();
    expect(all.capacity).toBe(CAP);
    expect(all.thresholds).toEqual({ psi_moderate: 0.1, psi_significant: 0.2, alpha: 0.01 });
    expect(all.windows.map((w: { end_ts: number }) => (w.end_ts - 999) / 1000)).toEqual([18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    const v1 = await (await drift.request('/routes/fraud/drift/history?role=live&variant=v1&limit=2')).json();
    expect(v1.windows.map((w: { end_ts: number }) => (w.end_ts - 999) / 1000)).toEqual([24, 28]);
    expect(v1.windows[1].features.amount).toEqual({ status: 'significant', psi: 0.28, test: 'ks', statistic: 0.14, pvalue_adjusted: 0.5, n: 200 });
    const shadows = await (await drift.request('/routes/fraud/drift/history?role=shadow')).json();
    expect(shadows.windows.every((w: { variant: string }) => w.variant === 'v3')).toBe(true);
  });

  it('refuses a bad query with every problem, and an unknown route without history', async () => {
    const bad = await drift.request('/routes/fraud/drift/history?role=canary&limit=0');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.map((p: { path: string }) => p.path)).toEqual(['role', 'limit']);
    const none = await drift.request('/routes/nope/drift/history');
    expect(none.status).toBe(404);
    expect((await none.json()).error.code).toBe('ROUTE_NOT_FOUND');
  });
});

const look = (at: number, n: number): LookPoint => ({ at, units: { v1: n, v2: n }, p_always_valid: { v2: 1 / (1 + n) }, p_fixed: { v2: 0.5 }, difference: { v2: 0.01 }, units_per_arm: 1000, srm_pvalue: 0.5 });

describe('experiment look history', () => {
  it('answers 404 without an experiment, and empty looks until the monitor records one for it', async () => {
    expect((await experiments.request('/routes/fraud/experiment/history')).status).toBe(404);
    await redis.hset(experimentKey('mh', 'fraud'), 'id', 'e1', 'status', 'running');
    const r = await (await experiments.request('/routes/fraud/experiment/history')).json();
    expect(r).toEqual({ route: 'fraud', id: 'e1', gap_ms: null, capacity: 10, looks: [] });
  });

  it('spans the whole run within the bound, survives a new recorder, and starts over for a new experiment', async () => {
    const rec = new LookRecorder(redis, 'mh', 'fraud', 10);
    for (let i = 0; i < 100; i++) {
      await rec.record('e1', look(i * 1000, i));
      expect(await redis.llen(experimentHistoryKey('mh', 'fraud'))).toBeLessThanOrEqual(11); // header + at most 10 looks
    }
    // a takeover: a new recorder reads the stored history and appends to it
    const next = new LookRecorder(redis, 'mh', 'fraud', 10);
    await next.record('e1', look(100_000, 100), true);
    const h = (await readLookHistory(redis, 'mh', 'fraud'))!;
    expect(h.id).toBe('e1');
    expect(h.looks[0].at).toBe(0);
    expect(h.looks.at(-1)!.at).toBe(100_000);
    expect(h.looks.length).toBeLessThanOrEqual(10);
    const served = await (await experiments.request('/routes/fraud/experiment/history')).json();
    expect(served.looks).toEqual(h.looks);
    expect(served.gap_ms).toBe(h.gap_ms);

    // a new experiment on the route: the old course is not shown, then replaced
    await redis.hset(experimentKey('mh', 'fraud'), 'id', 'e2');
    expect((await (await experiments.request('/routes/fraud/experiment/history')).json()).looks).toEqual([]);
    await next.record('e2', look(200_000, 1));
    const e2 = await (await experiments.request('/routes/fraud/experiment/history')).json();
    expect(e2.id).toBe('e2');
    expect(e2.looks).toEqual([look(200_000, 1)]);
  });
});
