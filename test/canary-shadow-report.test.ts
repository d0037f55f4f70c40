/**
 * Shadow reports end to end: a real shadow backend that disagrees with the live model on
 * 3 requests in 10, traffic through the gateway, the monitor's report read through the
 * admin API (and its metrics).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from './helpers/backend.ts';
import { delayed, startHarness, until, type Harness } from './canary-harness.ts';

let h: Harness;
let shadow: TestBackend;
beforeAll(async () => {
  let n = 0;
  const agree = delayed('s1', 5, 0.5);
  const differ = delayed('s1', 5, 0.8);
  shadow = await startBackend((req, res) => (n++ % 10 < 3 ? differ(req, res) : agree(req, res)));
  h = await startHarness({ route: { shadows: [{ name: 's1', backend: shadow.url, percent: 100, tolerance: 0.01 }] } });
});
afterAll(async () => {
  await h.close();
  await shadow.close();
});

describe('shadow reports', () => {
  it('reports agreement with live, output differences, latency and errors per window', async () => {
    const traffic = h.traffic(4, 5);
    const report = await until('a shadow window', async () => {
      const r = await h.admin('GET', '/admin/routes/fraud/shadows/report');
      return r.body.shadows?.s1?.totals.windows >= 2 ? r.body : undefined;
    });
    await traffic.stop();
    expect(report).toMatchObject({ route: 'fraud', status: 'ok', configured: ['s1'] });
    const s = report.shadows.s1.latest;
    expect(s.compared).toBeGreaterThan(50);
    expect(s.agreement_rate).toBeGreaterThan(0.6);
    expect(s.agreement_rate).toBeLessThan(0.8);
    expect(s.diff.max).toBeCloseTo(0.3, 5);
    expect(s.diff.p50).toBe(0);
    expect(s.error_share).toBe(0);
    expect(s.tolerance).toBe(0.01);
    expect(s.latency_ms.p50).toBeGreaterThanOrEqual(5);
    expect(s.unmatched).toBe(0);
    expect(await h.registry.metrics()).toMatch(/modelgate_shadow_agreement_ratio\{route="fraud",shadow="s1"\} 0\.[67]\d*/);

    shadow.behave((_req, res) => {
      res.statusCode = 503;
      res.end('{}');
    });
    const t2 = h.traffic(4, 5);
    const failing = await until('a failing window', async () => {
      const r = await h.admin('GET', '/admin/routes/fraud/shadows/report');
      return r.body.shadows.s1.latest.error_share === 1 ? r.body : undefined;
    });
    await t2.stop();
    expect(failing.shadows.s1.latest.compared).toBe(0);
  });
});
