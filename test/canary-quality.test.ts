/**
 * Canary checks on delayed labels end to end: the canary ranks transactions backwards (its
 * score is 1 - x where stable scores x, and labels are drawn with P(y = 1) = x), labels are
 * posted to /v1/outcomes as answers come back, the monitor joins them, and the canary
 * controller rolls the canary back on `auc_drop` (stable AUC - canary AUC in the same window
 * of prediction time) while `log_loss_increase` only warns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Behaviour } from './helpers/backend.ts';
import { predict } from './helpers/http.ts';
import { sleep } from './helpers/backend.ts';
import { startHarness, until, weightsOf, type Harness } from './canary-harness.ts';

const scorer = (f: (x: number) => number): Behaviour => (req, res) => {
  const body = JSON.parse(req.body || '{}');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ predictions: (body.instances as number[][]).map((i) => f(i[0])) }));
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    stable: scorer((x) => x),
    canary: scorer((x) => Math.round((1 - x) * 1000) / 1000),
    // one window of prediction time for the whole test (no boundary to straddle)
    monitor: { performance_window_ms: 1e12 },
    route: { performance: { task: 'binary', threshold: 0.5 } },
  });
});
afterAll(() => h?.close());

describe('canary checks on labels', () => {
  it('rolls back a canary whose AUC is worse than stable in the same window', async () => {
    const start = await h.admin('POST', '/admin/routes/fraud/canary', {
      canary: 'v2',
      stable: 'v1',
      steps: [50, 100],
      step_min_ms: 60_000,
      step_min_requests: 40,
      min_window_requests: 30,
      checks: { auc_drop: { max: 0.1, min_labels: 40, action: 'rollback' }, log_loss_increase: { max: 0.05, action: 'warn' } },
    });
    expect(start.status).toBe(201);
    let running = true;
    let seed = 5;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    let i = 0;
    const loops = Array.from({ length: 4 }, async () => {
      while (running) {
        const x = Math.round(rnd() * 1000) / 1000;
        const label = rnd() < x ? 1 : 0;
        const r = await predict(h.dataUrl, { instances: [[x]] }, { 'x-user-id': `q-${i++}` }).catch(() => undefined);
        const rid = r?.headers['x-request-id'];
        if (rid) await fetch(`${h.dataUrl}/v1/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: rid, label }) }).catch(() => undefined);
        await sleep(5);
      }
    });
    try {
      const rolled = await until('rollback on auc_drop', async () => {
        const d = (await h.admin('GET', '/admin/routes/fraud/canary')).body;
        return d.state === 'rolled_back' ? d : undefined;
      }, 40_000);
      expect(rolled.reason).toMatch(/^auc_drop: canary AUC 0\.\d+ vs stable 0\.\d+/);
      expect(rolled.weight).toBe(0);
      // the weight change follows the state change through the config store
      await until('stable back at 100 %', async () => ((await weightsOf(h)).v1 === 100 ? true : undefined), 10_000);
      expect(await weightsOf(h)).toEqual({ v1: 100, v2: 0 });
      // the log-loss check breached too, but only warns
      const warning = await until('the log-loss warning webhook', () => h.hooks.find((x) => x.type === 'canary_check_warning' && x.check === 'log_loss_increase'), 10_000);
      expect(warning.detail).toMatch(/^canary log loss \d/);
      const perf = (await h.admin('GET', '/admin/routes/fraud/performance')).body;
      expect(perf.variants.v1.auc - perf.variants.v2.auc).toBeGreaterThan(0.1);
    } finally {
      running = false;
      await Promise.all(loops);
    }
  });
});
