/**
 * The metrics as operators see them, with no mocks: two gateway replicas and a monitor on a
 * private redis-server, real backends (live and shadow), traffic; `promtool check metrics` on
 * every /metrics; a real Prometheus scraping them with the repo's alert rules loaded; and every
 * PromQL expression of the Grafana dashboard returning data.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { BaselineStore } from '../src/monitor/drift/baseline-store.ts';
import { createConfigStore } from '../src/config/create-store.ts';
import type { ConfigStore } from '../src/config/store.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import { monitorAnalyses } from '../src/monitor/analyses.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { createRegistry } from '../src/telemetry/registry.ts';
import { ReferenceBuilder } from '../src/monitor/drift/reference-builder.ts';
import { mulberry32 } from '../src/monitor/runtime/synthetic.ts';
import { modelBehaviour, sleep, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { freePort } from './helpers/ports.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { promtoolCheck, promtoolCheckMetrics, startPrometheus, type PrivatePrometheus } from './ops-prometheus-tools.ts';
import { until } from './helpers/wait.ts';

const DASHBOARD = 'config/grafana/dashboards/modelgate.json';
const ALERTS = 'config/prometheus/alerts.yml';

/**
 * Dashboard metrics whose producers are not built yet. The lead prunes this list as they land;
 * an entry whose metric is exported fails the test, so it cannot rot. (Empty: the canary
 * controller and the SRM watch have landed.)
 */
const NOT_YET_BUILT: string[] = [];

interface Target {
  expr: string;
  panel: string;
}

export function dashboardTargets(path = DASHBOARD): Target[] {
  const d = JSON.parse(readFileSync(path, 'utf8'));
  const out: Target[] = [];
  const walk = (panels: any[]) => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ expr: t.expr, panel: p.title });
      walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}

/** Grafana's variables as Prometheus sees them with "All" selected. */
const concrete = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$route', '.*');
const metricsOf = (expr: string) => [...expr.matchAll(/\b(modelgate_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|sum|count)$/, ''));

const FEATURES = ['amount', 'merchant_risk', 'hour', 'country'];
const COUNTRIES = ['US', 'DE', 'FR', 'BR'];
function instance(rand: () => number) {
  return { amount: Math.round(rand() * 50000) / 100, merchant_risk: Math.round(rand() * 100) / 100, hour: Math.floor(rand() * 24), country: COUNTRIES[Math.floor(rand() * COUNTRIES.length)] };
}

let redisServer: PrivateRedis;
let backends: TestBackend[] = [];
let gateways: Awaited<ReturnType<typeof gatewayWith>>[] = [];
let monitor: MonitorHandle;
let monitorStore: ConfigStore;
let prom: PrivatePrometheus;

const text = async (url: string) => {
  const r = await fetch(url);
  expect(r.status).toBe(200);
  return r.text();
};


beforeAll(async () => {
  redisServer = await startRedis();
  backends = [await startBackend(modelBehaviour('v1', 0.2)), await startBackend(modelBehaviour('v2', 0.3)), await startBackend(modelBehaviour('v3', 0.25))];
  const raw = {
    redis: { url: redisServer.url, prefix: 'mgops' },
    log: { sample_percent: 100, unit: 'hmac', hmac_key: 'ops-test' },
    routes: {
      fraud: {
        models: ['fraud'],
        unit: { header: 'x-user-id' },
        features: FEATURES,
        variants: [
          { name: 'v1', backend: backends[0].url, version: '1.0.0', weight: 50 },
          { name: 'v2', backend: backends[1].url, version: '2.0.0', weight: 50 },
        ],
        shadows: [{ name: 'v3', backend: backends[2].url, percent: 100, timeout_ms: 2000 }],
        // labels are scored at 0.25: v2 (0.3) and the shadow (0.25) predict positives, so precision is defined
        performance: { task: 'binary', threshold: 0.25 },
      },
      // a backend that is never there: every call is the gateway's UPSTREAM_UNAVAILABLE (502)
      broken: { models: ['broken'], unit: { header: 'x-user-id' }, variants: [{ name: 'dead', backend: `http://127.0.0.1:${await freePort()}`, weight: 100 }], upstream: { retries: 0 } },
    },
    monitor: { host: '127.0.0.1', port: await freePort(), window_entries: 40, min_entries: 20, window_ms: 3_600_000, lease_ms: 2000 },
  };
  gateways = [await gatewayWith(raw), await gatewayWith(raw)];

  // a baseline for the route, from the same distribution the traffic comes from
  const rand = mulberry32(7);
  const ref = new ReferenceBuilder();
  for (let i = 0; i < 2000; i++) {
    ref.addInstance(instance(rand));
    ref.addOutput(0.2);
  }
  const redis = new Redis(redisServer.url);
  await new BaselineStore(redis, 'mgops').setVariant('fraud', ref.build({ variant: 'v1', model_version: '1.0.0', source: 'file' }), true);
  redis.disconnect();
  // the monitor as `modelgate monitor` wires it: drift plus the canary, SRM, shadow and experiment plug-ins
  const mcfg = parseConfig(raw, 'test', {});
  const logger = silentLogger();
  monitorStore = await createConfigStore(mcfg, { logger, replicaId: 'ops-test-monitor', heartbeat: false });
  const registry = createRegistry('monitor');
  monitor = await startMonitor(mcfg, { logger, registry, analyses: monitorAnalyses(), store: monitorStore, pollMs: 50 });
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  await monitor?.close();
  await monitorStore?.stop();
  for (const g of gateways) await g.close();
  for (const b of backends) await b.close();
  await redisServer?.stop();
});

async function traffic(n: number, seed: number): Promise<string[]> {
  const rand = mulberry32(seed);
  const rids: string[] = [];
  for (let i = 0; i < n; i++) {
    const gw = gateways[i % gateways.length];
    const r = await predict(gw.url, { instances: [instance(rand)] }, { 'x-user-id': `user-${seed}-${i}` });
    expect(r.status).toBe(200);
    rids.push(String(r.headers['x-request-id']));
  }
  // a refusal and an unknown model, so the refusal counters move too
  expect((await predict(gateways[0].url, 'not json', { 'x-user-id': 'x' })).status).toBe(400);
  expect((await predict(gateways[0].url, { instances: [[1]] }, {}, '/v1/models/nope:predict')).status).toBe(404);
  return rids;
}

let monTarget = '';

/** Prometheus first (a scrape before any traffic: counters at zero let rate() see the rise), then traffic. */
async function scrapeTraffic() {
  const gwTargets = gateways.map((g) => `127.0.0.1:${g.dataPort}`);
  monTarget = `127.0.0.1:${monitor.port}`;
  prom = await startPrometheus(
    [
      { job: 'modelgate-gateway', targets: gwTargets },
      { job: 'modelgate-monitor', targets: [monTarget] },
    ],
    { ruleFiles: [`${process.cwd()}/${ALERTS}`] },
  );
  await until('all targets up', async () => {
    const t = await prom.targets();
    return t.length === 3 && t.every((x) => x.health === 'up') ? t : undefined;
  });
  // traffic in two rounds with a scrape between: histogram series appear on their first
  // observation, so the second round is what rate() sees rising (as under steady traffic)
  await traffic(80, 1);
  await until('the first round in Prometheus', async () => {
    const r = await prom.query('count(modelgate_request_duration_seconds_count) and count(modelgate_shadow_duration_seconds_count)');
    const n = await prom.query('sum(modelgate_requests_total)');
    return r.length > 0 && n.length > 0 && Number(n[0].value[1]) >= 80 ? true : undefined;
  });
  const rids = await traffic(80, 2);
  // delayed labels for the second round (both classes), so the model-quality panels have data
  const labels = await fetch(`${gateways[1].url}/v1/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcomes: rids.map((rid, i) => ({ request_id: rid, route: 'fraud', label: i % 2 })) }) });
  expect(labels.status).toBe(202);
  // the first errors of a route, after Prometheus has scraped its series at zero
  for (let i = 0; i < 5; i++) expect((await predict(gateways[0].url, { instances: [[1]] }, { 'x-user-id': `u${i}` }, '/v1/models/broken:predict')).status).toBe(502);
  // shadows are detached: wait for them, and for the monitor's first drift verdicts
  await until('shadow comparisons', async () => {
    const m = await text(`${gateways[0].url}/metrics`);
    return /modelgate_shadow_comparisons_total\{route="fraud",shadow="v3",result="(?:agree|disagree)"\} [1-9]/.test(m) ? true : undefined;
  });
  await until('drift verdicts on the monitor', async () => {
    const m = await text(`http://${monTarget}/metrics`);
    return /^modelgate_drift_psi\{/m.test(m) && /^modelgate_output_drift_psi\{/m.test(m) && /^modelgate_monitor_lag_entries\{/m.test(m) && /^modelgate_model_auc\{route="fraud",variant="v3",role="shadow"\} 0\.5$/m.test(m) ? m : undefined;
  });
  await until('the traffic in Prometheus', async () => {
    const r = await prom.query('sum(modelgate_requests_total)');
    return r.length > 0 && Number(r[0].value[1]) >= 160 ? true : undefined;
  });
  await until('drift in Prometheus', async () => ((await prom.query('modelgate_drift_psi')).length > 0 ? true : undefined));
  await sleep(2500); // a few more scrapes after the traffic
}

describe('metrics with a real Prometheus', () => {
  beforeAll(scrapeTraffic, 120_000);

  it('the rules and scrape config pass promtool', () => {
    const rules = promtoolCheck('rules', ALERTS);
    expect(rules.output).toContain('SUCCESS');
    expect(rules.code, rules.output).toBe(0);
    const cfg = promtoolCheck('config', 'config/prometheus/prometheus.yml');
    expect(cfg.code, cfg.output).toBe(0);
  });

  it('every /metrics (both gateways after traffic with shadows, and the monitor) passes promtool check metrics', async () => {
    const problems: string[] = [];
    const sources = [...gateways.map((g, i) => [`gateway ${i + 1}`, `${g.url}/metrics`]), ['monitor', `http://${monTarget}/metrics`]];
    for (const [name, url] of sources) {
      const exposition = await text(url);
      expect(exposition).toMatch(/^modelgate_requests_total|^modelgate_drift_psi/m);
      const r = promtoolCheckMetrics(exposition);
      if (r.code !== 0 || r.output !== '') problems.push(`${name} (exit ${r.code}):\n${r.output}`);
    }
    expect(problems.join('\n'), 'promtool check metrics').toBe('');
  });

  it('Prometheus scrapes every target and every dashboard expression returns data', async () => {
    const targets = dashboardTargets();
    expect(targets.length).toBeGreaterThan(30);
    const empty: string[] = [];
    for (const t of targets) {
      const result = await prom.query(concrete(t.expr)); // throws on a PromQL error
      const finite = result.filter((s) => Number.isFinite(Number(s.value[1])));
      const allowed = metricsOf(t.expr).some((m) => NOT_YET_BUILT.includes(m));
      if (finite.length === 0 && !allowed) empty.push(`${t.panel}: ${t.expr}`);
    }
    expect(empty, 'dashboard expressions without data').toEqual([]);

    // the allow-list holds only metrics nobody exports yet
    const exported = `${await text(`${gateways[0].url}/metrics`)}\n${await text(`http://${monTarget}/metrics`)}`;
    for (const m of NOT_YET_BUILT) expect(exported, `${m} is exported now: remove it from NOT_YET_BUILT`).not.toMatch(new RegExp(`^# TYPE ${m} `, 'm'));

    // the Grafana variable and the annotation are valid queries too
    expect((await prom.query('group by (route) (modelgate_requests_total)')).map((s) => s.metric.route).sort()).toEqual(['broken', 'fraud']);
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    for (const a of d.annotations.list) if (a.expr) await prom.query(concrete(a.expr));
    // both replicas are told apart
    expect(await prom.query('max by (instance) (modelgate_config_version)')).toHaveLength(2);
  });

  it('the first burst of errors is visible to rate(): every status and code exists at zero before it', async () => {
    const burst = await until('the 502s in Prometheus', async () => {
      const r = await prom.query('sum(increase(modelgate_requests_total{route="broken",status="502",code="UPSTREAM_UNAVAILABLE"}[1m]))');
      return r.length > 0 && Number(r[0].value[1]) > 0 ? Number(r[0].value[1]) : undefined;
    });
    expect(burst).toBeGreaterThan(0);
    // the high-error-rate alert's expression sees the route failing (ratio 1), and not the healthy one
    const ratio = await prom.query('sum by (route, variant) (rate(modelgate_requests_total{status=~"5..",code=~"none|UPSTREAM_.*"}[1m])) / clamp_min(sum by (route, variant) (rate(modelgate_requests_total{code=~"none|UPSTREAM_.*"}[1m])), 1e-9)');
    const byRoute = Object.fromEntries(ratio.map((s) => [`${s.metric.route}/${s.metric.variant}`, Number(s.value[1])]));
    expect(byRoute['broken/dead']).toBeCloseTo(1, 5);
    expect(byRoute['fraud/v1']).toBe(0);
    // one meaning per label: status is always an HTTP status, code never is
    expect(await prom.query('count(modelgate_requests_total{status!~"[1-5][0-9][0-9]"}) or count(modelgate_requests_total{code=~"[0-9]+"})')).toEqual([]);
    expect(await prom.query('count(modelgate_rejected_requests_total{code=~"[0-9]+"})')).toEqual([]);
    // the 5xx series of the healthy route exist (at zero) before any 5xx
    expect((await prom.query('modelgate_requests_total{route="fraud",status="500",code="none"}')).length).toBeGreaterThan(0);
  });

  it('process metrics come under their standard names from every gateway and monitor', async () => {
    const byJob = async (q: string) => Object.fromEntries((await prom.query(`count by (job) (${q})`)).map((s) => [s.metric.job, Number(s.value[1])]));
    for (const q of ['process_resident_memory_bytes', 'rate(process_cpu_seconds_total[1m])', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes'])
      expect(await byJob(q), q).toEqual({ 'modelgate-gateway': 2, 'modelgate-monitor': 1 });
    expect(await prom.query('count({__name__=~"modelgate_(process|nodejs)_.*"})')).toEqual([]);
  });

  it('the alert rules load into Prometheus and evaluate without errors', async () => {
    const rules = await until('rules evaluated', async () => {
      const r = await prom.rules();
      return r.length > 0 && r.every((x) => x.health === 'ok') ? r : undefined;
    });
    expect(rules.map((r) => r.name)).toEqual(expect.arrayContaining(['ModelgateSampleRatioMismatch', 'ModelgateDriftSignificant', 'ModelgateLogDropping', 'ModelgateCanaryRolledBack']));
  });
});
