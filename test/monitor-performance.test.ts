/**
 * Model quality end to end: a real gateway (two variants and a shadow, each a real backend
 * whose score is a known function of the request), the monitor with its plug-ins, a private
 * redis-server. Predictions go through the gateway; labels are posted to /v1/outcomes by
 * request id (single and batched) and by unit + time, some for requests the monitor's bounded
 * index has already forgotten (they are found again in the prediction stream by time). The
 * report read from GET /admin/routes/fraud/performance must equal figures computed here, from
 * the definitions, on the same (score, label) pairs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Behaviour } from './helpers/backend.ts';
import { predict } from './helpers/http.ts';
import { startBackend, type TestBackend } from './helpers/backend.ts';
import { startHarness, until, type Harness } from './canary-harness.ts';
import { admin } from './control-plane-helpers.ts';

/** each model's score of an instance [x, ...]: known here, so the reference needs no log */
const MODELS: Record<string, (x: number) => number> = {
  v1: (x) => x,
  v2: (x) => Math.round((0.2 + 0.6 * x * x) * 1e4) / 1e4,
  s1: (x) => Math.round((1 - x) * 1e4) / 1e4,
};
const scorer = (name: string): Behaviour => (req, res) => {
  const body = JSON.parse(req.body || '{}');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ predictions: (body.instances as number[][]).map((i) => MODELS[name](i[0])) }));
};

let h: Harness;
let shadow: TestBackend;
const N = 150;
const INDEX = 100;

beforeAll(async () => {
  shadow = await startBackend(scorer('s1'));
  h = await startHarness({
    stable: scorer('v1'),
    canary: scorer('v2'),
    monitor: { label_index_entries: INDEX, outcome_join_ms: 1500 },
    // outcomes keyed by unit are hashed like the log only with a shared key
    log: { hmac_key: 'perf-test-key' },
    route: {
      shadows: [{ name: 's1', backend: shadow.url, percent: 100 }],
      // the shadow ranks backwards (AUC < 0.4): it crosses the alert limit, the variants do not
      performance: { task: 'binary', threshold: 0.5, alerts: { auc_below: 0.45, min_labels: 50 } },
    },
  });
});
afterAll(async () => {
  await h?.close();
  await shadow?.close();
});

// ---- reference figures, from the definitions (independent of src/) ----
function refAuc(s: number[], y: number[]): number {
  let num = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
    if (y[i] !== 1 || y[j] !== 0) continue;
    pairs++;
    num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
  }
  return num / pairs;
}
const avg = (a: number[]) => a.reduce((x, v) => x + v, 0) / a.length;
const refLogLoss = (s: number[], y: number[]) => avg(s.map((p, i) => {
  const q = Math.min(1 - 1e-15, Math.max(1e-15, p));
  return y[i] ? -Math.log(q) : -Math.log(1 - q);
}));
const refBrier = (s: number[], y: number[]) => avg(s.map((p, i) => (p - y[i]) ** 2));
function refEce(s: number[], y: number[]): number {
  let ece = 0;
  for (let b = 0; b < 10; b++) {
    const idx = s.map((p, i) => (Math.min(9, Math.floor(p * 10)) === b ? i : -1)).filter((i) => i >= 0);
    if (idx.length) ece += (idx.length / s.length) * Math.abs(avg(idx.map((i) => y[i])) - avg(idx.map((i) => s[i])));
  }
  return ece;
}

describe('model quality from delayed labels', () => {
  it('joins labels to live and shadow predictions and reports the exact figures', async () => {
    // before any label: 200 with insufficient_data, every variant and shadow at 0 labels; unknown routes 404
    const empty = await until('the first report', async () => {
      const r = await h.admin('GET', '/admin/routes/fraud/performance');
      return r.status === 200 ? r.body : undefined;
    });
    expect(empty).toMatchObject({ route: 'fraud', status: 'insufficient_data', task: 'binary', updated_at: null, variants: { v1: { labels: 0, auc: null }, v2: { labels: 0, auc: null } }, shadows: { s1: { labels: 0, auc: null } } });
    const unknown = await h.admin('GET', '/admin/routes/nope/performance');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect((await fetch(`${h.adminUrl}/admin/routes/fraud/performance`)).status).toBe(401);
    // the harness started v1 at 100 %: split 50/50 so both variants get traffic
    const cur = await h.admin('GET', '/admin/routes/fraud');
    const w = await admin(h.adminUrl, 'PATCH', '/admin/routes/fraud/weights', { body: { weights: { v1: 50, v2: 50 } }, ifMatch: cur.etag ?? undefined });
    expect(w.status).toBe(200);
    let seed = 11;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const served: { rid: string; unit: string; ts: number; variant: string; x: number; label: number }[] = [];
    for (let i = 0; i < N; i++) {
      const x = Math.round(rnd() * 1000) / 1000;
      const label = rnd() < x ? 1 : 0;
      const unit = `perf-${i}`;
      const ts = Date.now();
      const r = await predict(h.dataUrl, { instances: [[x, 1]] }, { 'x-user-id': unit });
      expect(r.status).toBe(200);
      served.push({ rid: String(r.headers['x-request-id']), unit, ts, variant: String(r.headers['x-model-variant']), x, label });
    }
    expect(new Set(served.map((s) => s.variant))).toEqual(new Set(['v1', 'v2']));
    // wait until the monitor has read every prediction (the first ones then left its index)
    await until('all predictions read', async () => {
      const groups = (await h.client.call('XINFO', 'GROUPS', 'mg:predictions:fraud')) as unknown[][];
      const g = groups[0] ?? [];
      const read = Number(g[g.indexOf('entries-read') + 1]);
      return read >= 2 * N ? true : undefined;
    });
    const post = (body: unknown) => fetch(`${h.dataUrl}/v1/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // forgotten by the index: by unit and prediction time (found again in the stream)
    for (const s of served.slice(0, 50)) expect((await post({ unit: s.unit, ts: s.ts, label: s.label })).status).toBe(202);
    // by request id, one at a time, then as one batch
    for (const s of served.slice(50, 100)) expect((await post({ request_id: s.rid, label: s.label, id: `label-${s.rid}` })).status).toBe(202);
    expect((await post({ outcomes: served.slice(100).map((s) => ({ request_id: s.rid, label: s.label, index: 0 })) })).status).toBe(202);
    // a repeat, two labels for unknown requests, and one the gateway refuses (binary route: 0 or 1)
    expect((await post({ request_id: served[60].rid, label: served[60].label, id: `label-${served[60].rid}` })).status).toBe(202);
    expect((await post({ outcomes: [{ request_id: 'no-such-request-1', label: 1 }, { request_id: 'no-such-request-2', label: 0 }] })).status).toBe(202);
    const bad = await post({ request_id: served[0].rid, label: 0.5 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details[0].path).toBe('label');

    let last: any;
    const report = await until('every label joined', async () => {
      const r = await h.admin('GET', '/admin/routes/fraud/performance');
      last = { labels: r.body.labels, v1: r.body.variants?.v1?.labels, v2: r.body.variants?.v2?.labels, s1: r.body.shadows?.s1?.labels };
      const l = r.body.labels;
      return r.status === 200 && l?.matched === N && l.unmatched === 2 && r.body.shadows?.s1?.labels === N ? r.body : undefined;
    }, 30_000, 50, () => last);
    expect(report).toMatchObject({ route: 'fraud', status: 'ok', task: 'binary', threshold: 0.5, labels: { matched: N, unmatched: 2, duplicate: 1, invalid_label: 0, invalid_prediction: 0, pending: 0 } });

    const arms: [string, 'variants' | 'shadows', (typeof served)[number][]][] = [
      ['v1', 'variants', served.filter((s) => s.variant === 'v1')],
      ['v2', 'variants', served.filter((s) => s.variant === 'v2')],
      ['s1', 'shadows', served],
    ];
    for (const [name, group, rows] of arms) {
      const s = rows.map((r) => MODELS[name](r.x));
      const y = rows.map((r) => r.label);
      const got = report[group][name];
      const tp = s.filter((p, i) => p >= 0.5 && y[i] === 1).length;
      const predictedPos = s.filter((p) => p >= 0.5).length;
      expect(got.labels, name).toBe(rows.length);
      expect(got.auc, name).toBeCloseTo(refAuc(s, y), 12);
      expect(got.log_loss, name).toBeCloseTo(refLogLoss(s, y), 12);
      expect(got.brier, name).toBeCloseTo(refBrier(s, y), 12);
      expect(got.ece, name).toBeCloseTo(refEce(s, y), 12);
      expect(got.precision, name).toBeCloseTo(tp / predictedPos, 12);
      expect(got.recall, name).toBeCloseTo(tp / y.filter((v) => v === 1).length, 12);
      expect(got.windows.reduce((n: number, w: { labels: number }) => n + w.labels, 0)).toBe(rows.length);
    }
    // v1 scores x and labels are drawn with P(y = 1) = x: a useful model; s1 scores 1 - x: worse than chance
    expect(report.variants.v1.auc).toBeGreaterThan(0.6);
    expect(report.shadows.s1.auc).toBeLessThan(0.4);

    const metrics = await h.registry.metrics();
    expect(metrics).toMatch(new RegExp(`modelgate_model_auc\\{route="fraud",variant="v1",role="live"\\} ${report.variants.v1.auc.toString().slice(0, 8).replace('.', '\\.')}`));
    expect(metrics).toMatch(/modelgate_model_labels\{route="fraud",variant="s1",role="shadow"\} 150/);
    expect(metrics).toMatch(/modelgate_labels_total\{route="fraud",result="matched"\} 150/);
    expect(metrics).toMatch(/modelgate_labels_total\{route="fraud",result="unmatched"\} 2/);
    // the quality alert went to the monitor's webhook, for the shadow only
    const alert = await until('the quality webhook', () => h.hooks.find((x) => x.type === 'model_quality_changed'));
    expect(alert).toMatchObject({ route: 'fraud', variant: 's1', role: 'shadow', from: 'ok', to: 'breach', breaches: [{ figure: 'auc', limit: 0.45, direction: 'below' }] });
    expect(h.hooks.filter((x) => x.type === 'model_quality_changed' && x.role === 'live')).toEqual([]);
  });
});

describe('model quality across a takeover', () => {
  it('a new owner resumes from the saved state: same figures, labels not counted twice, the old index warmed from the stream', async () => {
    const { PerformanceConsumer } = await import('../src/monitor/performance/performance-consumer.ts');
    const { createPerformanceMetrics } = await import('../src/monitor/performance/performance-metrics.ts');
    const { parseConfig } = await import('../src/config/load.ts');
    const { silentLogger } = await import('../src/telemetry/logger.ts');
    const { NOOP_MONITOR_EVENTS } = await import('../src/monitor/runtime/events.ts');
    const prefix = 'mgtake';
    const cfg = parseConfig({ routes: { r: { models: ['r'], variants: [{ name: 'a', backend: 'http://127.0.0.1:1', weight: 100 }] } } }, 'test', {});
    let owner = 1;
    const ctx = (me: number) => ({ route: 'r', routeConfig: cfg.routes.r, monitor: cfg.monitor, prefix, redis: h.client as any, logger: silentLogger(), events: NOOP_MONITOR_EVENTS, owned: () => owner === me });
    const metrics = createPerformanceMetrics(undefined);
    const key = `${prefix}:predictions:r`;
    const t0 = Date.now();
    for (let i = 0; i < 40; i++) await h.client.xadd(key, '*', 'v', '1', 'ts', String(t0 + i), 'rid', `t${i}`, 'variant', 'a', 'role', 'live', 'status', '200', 'unit', `u${i}`, 'prediction', JSON.stringify([i / 40]));
    const label = (i: number) => h.client.xadd(`${prefix}:outcomes:r`, '*', 'v', '1', 'ts', String(Date.now()), 'route', 'r', 'label', String(i % 3 === 0 ? 1 : 0), 'rid', `t${i}`);
    const first = new PerformanceConsumer(ctx(1), { cfg }, metrics);
    await first.start(); // warms its index from the stream
    for (let i = 0; i < 20; i++) await label(i);
    await first.onTick(Date.now() + 10_000);
    await first.stop(); // releases: report and state saved
    const before = JSON.parse((await h.client.hget(`${prefix}:performance:r`, 'report')) as string);
    expect(before.variants.a.labels).toBe(20);

    owner = 2;
    const second = new PerformanceConsumer(ctx(2), { cfg }, metrics);
    await second.start();
    for (let i = 20; i < 40; i++) await label(i);
    await second.onTick(Date.now() + 20_000);
    const after = JSON.parse((await h.client.hget(`${prefix}:performance:r`, 'report')) as string);
    expect(after.labels).toMatchObject({ matched: 40, unmatched: 0, duplicate: 0 });
    // reference: scores i/40, labels 1 when i % 3 == 0, every pair
    const s = Array.from({ length: 40 }, (_, i) => i / 40);
    const y = s.map((_, i) => (i % 3 === 0 ? 1 : 0));
    expect(after.variants.a.labels).toBe(40);
    expect(after.variants.a.auc).toBeCloseTo(refAuc(s, y), 12);
    expect(after.variants.a.brier).toBeCloseTo(refBrier(s, y), 12);
    // the first owner, no longer owning the route, writes nothing
    await label(0);
    await first.onTick(Date.now() + 30_000);
    expect(JSON.parse((await h.client.hget(`${prefix}:performance:r`, 'report')) as string)).toEqual(after);
  });
});
