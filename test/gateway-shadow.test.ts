/** Shadow isolation: a slow, failing or dead shadow never changes the live status, body or latency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, sleep, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { percentile, predict } from './helpers/http.ts';
import { freePort } from './helpers/ports.ts';

const metric = async (url: string, re: RegExp) => Number((await (await fetch(`${url}/metrics`)).text()).match(re)?.[1] ?? NaN);

describe('shadows', () => {
  let live: TestBackend;
  let slow: TestBackend;
  let good: TestBackend;
  let deadPort: number;
  beforeAll(async () => {
    live = await startBackend(modelBehaviour('live', 0.25));
    good = await startBackend(modelBehaviour('good', 0.25));
    slow = await startBackend(async (req, res) => {
      await sleep(5000);
      modelBehaviour('slow', 0.5)(req, res);
    });
    deadPort = await freePort(); // nothing listens: connections are refused
  });
  afterAll(async () => {
    await Promise.all([live, slow, good].map((b) => b.close()));
  });

  async function liveLatencies(shadows: unknown[], n = 120) {
    const gw = await gatewayWith({
      routes: { fraud: { models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend: live.url, version: '1', weight: 100 }], shadows } },
    });
    const replies = [];
    for (let i = 0; i < n; i += 10) replies.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => predict(gw.url, { instances: [[i + k]] }, { 'x-user-id': `u${i + k}` })))));
    return { gw, replies };
  }

  it('a shadow that sleeps 5 s or refuses connections leaves live status, body and latency unchanged', async () => {
    const base = await liveLatencies([]);
    const withSlow = await liveLatencies([{ name: 's', backend: slow.url, percent: 100, timeout_ms: 10_000, max_inflight: 1000 }]);
    const withDead = await liveLatencies([{ name: 'd', backend: `http://127.0.0.1:${deadPort}`, percent: 100, timeout_ms: 2000 }]);
    for (const run of [base, withSlow, withDead]) {
      for (const r of run.replies) {
        expect(r.status).toBe(200);
        expect(r.json).toEqual({ predictions: [0.25], model: 'live' });
        expect(r.headers['x-model-variant']).toBe('v1');
      }
    }
    const p99 = (run: typeof base) => percentile(run.replies.map((r) => r.ms), 0.99);
    // the slow shadow answers after 5 s: any coupling would show up as seconds, not milliseconds
    expect(p99(withSlow)).toBeLessThan(Math.max(5 * p99(base), 250));
    expect(p99(withDead)).toBeLessThan(Math.max(5 * p99(base), 250));
    expect(await metric(withDead.gw.url, /modelgate_shadow_requests_total\{route="fraud",shadow="d",outcome="error"\} (\d+)/)).toBe(120);
    await Promise.all([base.gw.close(), withDead.gw.close()]);
    // closing must not wait for the 5 s shadows beyond the drain of live requests
    const t0 = performance.now();
    await withSlow.gw.close();
    expect(performance.now() - t0).toBeLessThan(4000);
  }, 60_000);

  it('copies over max_inflight are dropped and counted, never queued', async () => {
    const gw = await gatewayWith({
      routes: { fraud: { models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend: live.url, version: '1', weight: 100 }], shadows: [{ name: 's', backend: slow.url, max_inflight: 5, timeout_ms: 8000 }] } },
    });
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => predict(gw.url, { instances: [[i]] }, { 'x-user-id': `u${i}` })));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    await sleep(50);
    expect(await metric(gw.url, /modelgate_shadow_requests_total\{route="fraud",shadow="s",outcome="dropped"\} (\d+)/)).toBe(35);
    await gw.close();
  });

  it('compares shadow outputs with live: agreement and absolute difference', async () => {
    const other = await startBackend(modelBehaviour('d', 0.75));
    const gw = await gatewayWith({
      routes: {
        fraud: {
          models: ['fraud'],
          unit: { header: 'x-user-id' },
          variants: [{ name: 'v1', backend: live.url, version: '1', weight: 100 }],
          shadows: [
            { name: 'same', backend: good.url },
            { name: 'diff', backend: other.url },
          ],
        },
      },
    });
    for (let i = 0; i < 10; i++) expect((await predict(gw.url, { instances: [[i]] }, { 'x-user-id': `u${i}` })).status).toBe(200);
    await sleep(100);
    expect(await metric(gw.url, /modelgate_shadow_comparisons_total\{route="fraud",shadow="same",result="agree"\} (\d+)/)).toBe(10);
    expect(await metric(gw.url, /modelgate_shadow_comparisons_total\{route="fraud",shadow="diff",result="disagree"\} (\d+)/)).toBe(10);
    expect(await metric(gw.url, /modelgate_shadow_abs_diff_sum\{route="fraud",shadow="diff"\} ([\d.]+)/)).toBeCloseTo(5, 9);
    const seen = good.seen.at(-1);
    expect(seen?.headers['x-modelgate-shadow']).toBe('same');
    await gw.close();
    await other.close();
  });
});
