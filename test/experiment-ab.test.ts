/**
 * A/B experiments end to end: a gateway (prediction log and shared store on a private
 * redis-server), two real backends, an in-process monitor running the experiment consumer, and
 * a simulated application that posts outcomes for the requests the gateway served. No mocks.
 */
import { Registry } from 'prom-client';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerExperimentCommands } from '../src/ctl/experiment.ts';
import { parseConfig } from '../src/config/load.ts';
import type { FileConfig } from '../src/config/schema.ts';
import { experimentConsumer } from '../src/monitor/experiments/experiment-consumer.ts';
import { startMonitor, type MonitorHandle } from '../src/monitor/runtime/monitor.ts';
import { mulberry32 } from '../src/monitor/runtime/synthetic.ts';
import { sampleSizeTwoProportions } from '../src/stats/index.ts';
import { silentLogger } from '../src/telemetry/logger.ts';
import { admin, ALICE, TOKENS } from './control-plane-helpers.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

let redis: PrivateRedis;
let b1: TestBackend;
let b2: TestBackend;
let gw: Awaited<ReturnType<typeof gatewayWith>>;
let monitor: MonitorHandle;
let adminUrl: string;
const registry = new Registry();

const RATES: Record<string, number> = { v1: 0.1, v2: 0.12 };

beforeAll(async () => {
  process.env.MODELGATE_ADMIN_TOKENS = TOKENS;
  redis = await startRedis();
  [b1, b2] = await Promise.all([startBackend(modelBehaviour('v1')), startBackend(modelBehaviour('v2'))]);
  const raw = {
    redis: { url: redis.url, prefix: 'mg' },
    log: { hmac_key: 'experiment-key', flush_ms: 5 },
    routes: { fraud: splitRoute([b1.url, b2.url]) },
    monitor: { lease_ms: 2000, outcome_join_ms: 5000, window_entries: 500, window_ms: 1000 },
  };
  gw = await gatewayWith(raw);
  adminUrl = `http://127.0.0.1:${gw.adminPort}`;
  const cfg: FileConfig = parseConfig(raw, 'test', {});
  monitor = await startMonitor(cfg, { http: false, pollMs: 20, consumers: [experimentConsumer({ cfg, logger: silentLogger(), registry, evalMs: 100 })] });
});

afterAll(async () => {
  await monitor?.close();
  await gw?.close();
  await Promise.all([b1?.close(), b2?.close()]);
  await redis?.stop();
});

/** One unit's request; the application then learns whether it converted (seeded per unit). */
async function serve(unit: string, rand: () => number): Promise<{ rid: string; variant: string; status: number; converted: boolean }> {
  const r = await predict(gw.url, { instances: [[1, 2]] }, { 'x-user-id': unit });
  const variant = String(r.headers['x-model-variant'] ?? '');
  return { rid: String(r.headers['x-request-id'] ?? ''), variant, status: r.status, converted: rand() < (RATES[variant] ?? 0) };
}

async function postOutcomes(outcomes: object[]): Promise<void> {
  for (let i = 0; i < outcomes.length; i += 500) {
    const r = await fetch(`${gw.url}/v1/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcomes: outcomes.slice(i, i + 500) }) });
    expect(r.status).toBe(202);
    await r.arrayBuffer();
  }
}

/** Serves units [from, to) with some concurrency; returns the outcomes the app would report. */
async function traffic(prefix: string, from: number, to: number, rand: () => number, keyBy: 'rid' | 'unit' = 'rid'): Promise<object[]> {
  const outcomes: object[] = [];
  const conversions = Array.from({ length: to - from }, () => rand());
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const u = `${prefix}${i}`;
      const r = await serve(u, () => conversions[i - from]);
      if (r.status !== 200) continue;
      // every served unit reports; non-converters report 0 half of the time (the join must not care)
      if (r.converted || i % 2 === 0) outcomes.push(keyBy === 'rid' ? { request_id: r.rid, metric: 'converted', value: r.converted ? 1 : 0 } : { unit: u, route: 'fraud', metric: 'converted', value: r.converted ? 1 : 0 });
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));
  return outcomes;
}

/** Runs `modelgate ctl ARGS` in process and returns what it printed. */
async function ctl(args: string[]): Promise<string> {
  const program = new Command('ctl').option('--url <url>').option('--token <token>').option('--json').exitOverride();
  registerExperimentCommands(program);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
  try {
    await program.parseAsync(['--url', adminUrl, '--token', ALICE, ...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

const getExperiment = () => admin(adminUrl, 'GET', '/admin/routes/fraud/experiment');


describe('A/B experiment on a business outcome', () => {
  it('10 % vs 12 % conversion: the always-valid p-value crosses 0.05 and the verdict names v2', async () => {
    // min_days: 0 (no minimum runtime): the verdict is declared as soon as the p-value crosses
    const plan = { metric: 'converted', kind: 'binary', baseline_rate: 0.1, mde: 0.01, tau: 0.02, guardrails: [{ metric: 'error_rate', max: 0.05 }], min_days: 0 };
    const bad = await admin(adminUrl, 'POST', '/admin/routes/fraud/experiment', { body: { ...plan, mde: -1, arms: ['v1', 'nope'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((p: { path: string }) => p.path)).toContain('mde');
    const started = await admin(adminUrl, 'POST', '/admin/routes/fraud/experiment', { body: plan });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', plan: { arms: ['v1', 'v2'], weights: [5000, 5000] }, planning: { units_per_arm: sampleSizeTwoProportions(0.1, 0.11) } });
    expect((await admin(adminUrl, 'POST', '/admin/routes/fraud/experiment', { body: plan })).status).toBe(409);

    const rand = mulberry32(20240601);
    let served = 0;
    let posted = 0;
    let view: any;
    let last: any;
    while (served < 24_000) {
      const outcomes = await traffic('user-', served, served + 3000, rand, served % 6000 === 0 ? 'rid' : 'unit');
      served += 3000;

      await postOutcomes(outcomes);
      posted += outcomes.length;
      // let the monitor read the log and the outcomes, then look
      view = await until('results covering the traffic', async () => {
        const r = (await getExperiment()).body;
        last = r;
        return r.status !== 'running' || (r.results && r.results.join.matched >= posted && r.results.join.pending === 0) ? r : undefined;
      }, 15_000, 50, () => [posted, last?.results?.join, last?.results?.arms?.v1?.units, last?.results?.arms?.v2?.units]);
      if (view.status !== 'running') break;
    }
    expect(view.status).toBe('concluded');
    expect(view.verdict).toMatchObject({ decision: 'winner', winner: 'v2', reason: 'always_valid' });
    expect(view.verdict.always_valid_p).toBeLessThan(0.05);
    const cmp = view.results.primary.comparisons[0];
    expect(cmp.p_always_valid).toBeLessThan(0.05);
    expect(cmp.difference).toBeGreaterThan(0);
    expect(view.results.srm.alarm).toBe(false);
    expect(view.results.join.unmatched).toBe(0);
    const [a1, a2] = view.results.primary.arms;
    expect(a1.estimate).toBeGreaterThan(0.08);
    expect(a1.estimate).toBeLessThan(0.12);
    expect(a2.estimate).toBeGreaterThan(a1.estimate);
    expect(view.results.arms.v2.metrics.converted.units).toBe(a2.units);
    // metrics on the monitor registry
    const text = await registry.metrics();
    expect(text).toMatch(/modelgate_experiment_state\{route="fraud",state="concluded"\} 1/);
    // the same through `modelgate ctl experiment status`
    const out = await ctl(['experiment', 'status', 'fraud']);
    expect(out).toContain('verdict: v2 wins: always-valid p');
    expect(out).toMatch(/│ v2\s+│ \d+/);
  });

  it('a clear winner before the minimum runtime (default 7 days) stays running; the view says when it can be declared', async () => {
    await admin(adminUrl, 'DELETE', '/admin/routes/fraud/experiment');
    await admin(adminUrl, 'DELETE', '/admin/routes/fraud/experiment?purge=true');
    const started = await admin(adminUrl, 'POST', '/admin/routes/fraud/experiment', { body: { metric: 'converted', baseline_rate: 0.1, mde: 0.02 } });
    expect(started.status).toBe(201);
    expect(started.body.plan.min_days).toBe(7);
    const notBefore = started.body.started_at + 7 * 86_400_000;
    expect(started.body.min_runtime).toEqual({ min_days: 7, not_before: notBefore, reached: false });
    const saved = RATES.v2;
    RATES.v2 = 0.4; // 10 % vs 40 %: the always-valid p-value crosses within a few hundred units
    let view: any;
    try {
      const outcomes = await traffic('clear-', 0, 2000, mulberry32(7), 'rid');
      await postOutcomes(outcomes);
      view = await until('a crossing held by the minimum runtime', async () => {
        const r = (await getExperiment()).body;
        return r.status !== 'running' || (r.results?.join.matched >= outcomes.length && r.min_runtime.pending) ? r : undefined;
      }, 15_000, 50);
    } finally {
      RATES.v2 = saved;
    }
    expect(view.status).toBe('running');
    expect(view.verdict).toBeUndefined();
    expect(view.results.primary.comparisons[0].p_always_valid).toBeLessThan(0.05);
    expect(view.min_runtime).toMatchObject({ min_days: 7, not_before: notBefore, reached: false, pending: { decision: 'winner', winner: 'v2', reason: 'always_valid' } });
    const out = await ctl(['experiment', 'status', 'fraud']);
    expect(out).toContain(`winner can be declared after ${new Date(notBefore).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')}; pending: v2 wins`);
  });

  it('a guardrail breach (the treatment\'s error rate) stops the experiment and zeroes the arm', async () => {
    // independent of the first test: clear whatever it left (stop a running one, then purge it)
    await admin(adminUrl, 'DELETE', '/admin/routes/fraud/experiment');
    await admin(adminUrl, 'DELETE', '/admin/routes/fraud/experiment?purge=true');
    b2.behave((req, res) => {
      if (Number(/"instances":\[\[(\d+)/.exec(req.body)?.[1] ?? 0) % 3 === 0) {
        res.statusCode = 500;
        return void res.end('{"error":"boom"}');
      }
      modelBehaviour('v2')(req, res);
    });
    const started = await admin(adminUrl, 'POST', '/admin/routes/fraud/experiment', { body: { metric: 'converted', baseline_rate: 0.1, mde: 0.02, guardrails: [{ metric: 'error_rate', max: 0.05, min_samples: 100 }], on_guardrail: 'zero_losing_arm' } });
    expect(started.status).toBe(201);
    let i = 0;
    const worker = async () => {
      while (i < 800) {
        const n = i++;
        const r = await fetch(`${gw.url}/v1/models/fraud:predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-user-id': `g${n}` }, body: `{"instances":[[${n},2]]}` });
        await r.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const view = await until('the guardrail stop', async () => {
      const r = (await getExperiment()).body;
      return r.status === 'stopped' && r.action ? r : undefined;
    });
    expect(view.breach).toMatchObject({ metric: 'error_rate', arm: 'v2' });
    expect(view.breach.value).toBeGreaterThan(0.2);
    expect(view.reason).toMatch(/guardrail error_rate breached by v2/);
    expect(view.action).toMatchObject({ kind: 'zero_losing_arm', arm: 'v2', applied: true });
    // the monitor changed the weights through its own store: the gateway serves them once its
    // store has caught up with that version (pub/sub, or its poll)
    const route = await until('the gateway on the stop version', async () => {
      const r = await admin(adminUrl, 'GET', '/admin/routes/fraud');
      return r.body.version >= view.action.version ? r : undefined;
    });
    expect(route.body.weights).toEqual({ v1: 100, v2: 0 });
    const audit = await admin(adminUrl, 'GET', '/admin/audit');
    expect(audit.body.entries[0]).toMatchObject({ actor: 'experiment', route: 'fraud' });
    // stopped experiments stay readable; stopping again changes nothing; a purge removes them
    expect((await admin(adminUrl, 'DELETE', '/admin/routes/fraud/experiment')).body).toMatchObject({ changed: false, status: 'stopped', action: { applied: true } });
    expect((await getExperiment()).body.status).toBe('stopped');
    expect((await admin(adminUrl, 'DELETE', '/admin/routes/fraud/experiment?purge=true')).body).toMatchObject({ deleted: true });
    expect((await getExperiment()).status).toBe(404);
  });
});
