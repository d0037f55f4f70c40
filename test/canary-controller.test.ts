/**
 * The canary controller end to end: real backends, a private redis-server, an in-process
 * gateway and monitor (windows of 1 s / 200 entries, min 50 entries). Plans start through
 * the admin API; the monitor moves every later step through the config store as `canary`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { modelBehaviour } from './helpers/backend.ts';
import { canaryAudit, delayed, MONITOR, settledWeights, startHarness, until, weightsOf, type Harness } from './canary-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const plan = (extra: Record<string, unknown> = {}) => ({
  canary: 'v2',
  stable: 'v1',
  steps: [20, 50, 100],
  step_min_ms: 1500,
  step_min_requests: 40,
  min_window_requests: 30,
  checks: { error_rate: { max: 0.05, max_relative: 2, action: 'rollback' }, latency_p99: { max_relative: 1.5, action: 'rollback' }, output_psi: { max: 0.2, action: 'hold' }, srm: { action: 'warn' } },
  ...extra,
});

const canaryDoc = async (x: Harness) => (await x.admin('GET', '/admin/routes/fraud/canary')).body;

describe('canary controller', () => {
  it('walks a healthy canary through every step to 100 % and makes it the stable variant', async () => {
    h = await startHarness({ stable: delayed('v1', 10), canary: delayed('v2', 10) });
    const start = await h.admin('POST', '/admin/routes/fraud/canary', plan());
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ state: 'progressing', step: 0, weight: 20, reason: null });
    expect(await weightsOf(h)).toEqual({ v1: 80, v2: 20 });
    const traffic = h.traffic();
    const done = await until('promotion', async () => ((await canaryDoc(h!)).state === 'promoted' ? await canaryDoc(h!) : undefined), 30_000);
    await traffic.stop();
    expect(done).toMatchObject({ state: 'promoted', step: 2, weight: 100 });
    expect(await settledWeights(h)).toEqual({ v1: 0, v2: 100 });
    // every step is one versioned change by `canary`, in order; nothing else moved weights
    expect((await canaryAudit(h)).map((e) => e.action)).toEqual(['canary_start', 'canary_step', 'canary_step']);
    const path = done.history.map((x: any) => `${x.to}@${x.weight}`);
    expect(path[0]).toBe('progressing@20');
    expect(path).toContain('progressing@50');
    expect(path.at(-1)).toBe('promoted@100');
    expect(done.history.some((x: any) => x.to === 'rolled_back')).toBe(false);
    const text = await h.registry.metrics();
    expect(text).toMatch(/modelgate_canary_state\{route="fraud",state="promoted"\} 1/);
    for (const s of ['progressing', 'paused', 'holding', 'rolled_back', 'aborted']) expect(text).toMatch(new RegExp(`modelgate_canary_state\\{route="fraud",state="${s}"\\} 0`));
    expect(text).toMatch(/modelgate_canary_step\{route="fraud"\} 2/);
    await until('the webhook', async () => (h!.hooks.some((x) => x.type === 'canary_state_changed' && x.to === 'promoted') ? true : undefined));
  });

  it('rolls back a canary that fails 20 % of requests within two windows, once, and it stays rolled back', async () => {
    let n = 0;
    const ok = modelBehaviour('v2');
    h = await startHarness({
      canary: (req, res) => {
        if (n++ % 5 === 0) {
          res.statusCode = 500;
          res.end('{"error":"boom"}');
          return;
        }
        return ok(req, res);
      },
    });
    const traffic = h.traffic();
    expect((await h.admin('POST', '/admin/routes/fraud/canary', plan({ step_min_ms: 60_000 }))).status).toBe(201);
    const rolled = await until('rollback', async () => ((await canaryDoc(h!)).state === 'rolled_back' ? await canaryDoc(h!) : undefined), 20_000);
    expect(rolled.reason).toMatch(/^error_rate/);
    expect(rolled.weight).toBe(0);
    expect(await settledWeights(h)).toEqual({ v1: 100, v2: 0 });
    // the first breach was seen in a judged window and confirmed by the next one: at most
    // two windows (plus the carry-over of a window short of data) from the breach
    const started = rolled.history[0].at;
    const breach = rolled.history.find((x: any) => x.to === 'holding' && /^error_rate/.test(x.reason));
    const back = rolled.history.find((x: any) => x.to === 'rolled_back');
    expect(breach).toBeDefined();
    expect(back.at - breach.at).toBeLessThanOrEqual(2 * MONITOR.window_ms + 500);
    expect(back.at - started).toBeLessThanOrEqual(4 * MONITOR.window_ms + 1000);
    // stays there: traffic goes on, no second change
    await new Promise((r) => setTimeout(r, 3 * MONITOR.window_ms));
    await traffic.stop();
    const after = await canaryDoc(h);
    expect(after).toMatchObject({ state: 'rolled_back', weight: 0 });
    expect(await weightsOf(h)).toEqual({ v1: 100, v2: 0 });
    const audit = await canaryAudit(h);
    expect(audit.filter((e) => e.action === 'canary_rollback')).toHaveLength(1);
    expect(audit.map((e) => e.action)).toEqual(['canary_start', 'canary_rollback']);
    expect(h.hooks.filter((x) => x.type === 'canary_state_changed' && x.to === 'rolled_back')).toHaveLength(1);
    expect(await h.registry.metrics()).toMatch(/modelgate_canary_state\{route="fraud",state="rolled_back"\} 1/);
  });

  it('rolls back a canary three times slower than stable on latency', async () => {
    h = await startHarness({ stable: delayed('v1', 40), canary: delayed('v2', 120) });
    const traffic = h.traffic(10, 5);
    expect((await h.admin('POST', '/admin/routes/fraud/canary', plan({ step_min_ms: 60_000 }))).status).toBe(201);
    const rolled = await until('rollback', async () => ((await canaryDoc(h!)).state === 'rolled_back' ? await canaryDoc(h!) : undefined), 20_000);
    await traffic.stop();
    expect(rolled.reason).toMatch(/^latency_p99/);
    expect(await settledWeights(h)).toEqual({ v1: 100, v2: 0 });
    expect((await canaryAudit(h)).filter((e) => e.action === 'canary_rollback')).toHaveLength(1);
  });

  it('holds with insufficient_data, neither promoting nor rolling back, as long as there is no traffic', async () => {
    h = await startHarness();
    expect((await h.admin('POST', '/admin/routes/fraud/canary', plan({ step_min_ms: 500, step_min_requests: 0 }))).status).toBe(201);
    const held = await until('hold', async () => ((await canaryDoc(h!)).state === 'holding' ? true : undefined), 10_000);
    expect(held).toBe(true);
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, MONITOR.window_ms));
      expect(await canaryDoc(h)).toMatchObject({ state: 'holding', reason: 'insufficient_data', step: 0, weight: 20 });
    }
    expect(await weightsOf(h)).toEqual({ v1: 80, v2: 20 });
    expect((await canaryAudit(h)).map((e) => e.action)).toEqual(['canary_start']);
    expect(await h.registry.metrics()).toMatch(/modelgate_canary_state\{route="fraud",state="holding"\} 1/);
  });
});
