/** Sticky splits, split accuracy, minimal movement, override and missing units, through real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setWeights } from '../src/config/snapshot.ts';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';

const Z999 = 3.2905267314919255; // two-sided 99.9 % normal quantile

async function inBatches<T>(n: number, size: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, k) => fn(i + k)))));
  return out;
}

describe('sticky splits through the gateway', () => {
  let backends: TestBackend[];
  let gw: Awaited<ReturnType<typeof gatewayWith>>;

  beforeAll(async () => {
    backends = await Promise.all(['a', 'b', 'c'].map((n) => startBackend(modelBehaviour(n))));
    gw = await gatewayWith({
      routes: {
        fraud: {
          models: ['fraud'],
          unit: { header: 'x-user-id' },
          override_header: 'x-modelgate-variant',
          variants: [
            { name: 'v1', backend: backends[0].url, version: '1.0', weight: 60 },
            { name: 'v2', backend: backends[1].url, version: '2.0', weight: 30 },
            { name: 'v3', backend: backends[2].url, version: '3.0', weight: 10 },
          ],
        },
        strict: {
          models: ['strict'],
          unit: { query: 'uid' },
          on_missing_unit: 'reject',
          variants: [{ name: 'only', backend: backends[0].url, version: '1', weight: 100 }],
        },
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all(backends.map((b) => b.close()));
  });

  const variantOf = async (unit: string) => {
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': unit });
    expect(r.status).toBe(200);
    expect(r.headers['x-served-by']).toBe({ v1: 'a', v2: 'b', v3: 'c' }[r.headers['x-model-variant'] as string]);
    return r.headers['x-model-variant'] as string;
  };

  it('splits 10,000 units inside each variant\'s 99.9 % binomial interval, each unit sticky', async () => {
    const first = await inBatches(10_000, 100, (i) => variantOf(`user-${i}`));
    const counts: Record<string, number> = {};
    for (const v of first) counts[v] = (counts[v] ?? 0) + 1;
    for (const [v, p] of [['v1', 0.6], ['v2', 0.3], ['v3', 0.1]] as const)
      expect(Math.abs(counts[v] - 10_000 * p), `${v}: ${counts[v]}`).toBeLessThanOrEqual(Z999 * Math.sqrt(10_000 * p * (1 - p)));
    const again = await inBatches(500, 100, (i) => variantOf(`user-${i}`));
    expect(again).toEqual(first.slice(0, 500));
  });

  it('moves only the units that must move when weights change (three-way)', async () => {
    const units = Array.from({ length: 4000 }, (_, i) => `mover-${i}`);
    const before = await inBatches(units.length, 100, (i) => variantOf(units[i]));
    await gw.store.update(undefined, (s) => setWeights(s, 'fraud', { v1: 40, v2: 35, v3: 25 }), { actor: 'test', action: 'weights' });
    const after = await inBatches(units.length, 100, (i) => variantOf(units[i]));
    let moved = 0;
    for (let i = 0; i < units.length; i++) {
      if (before[i] === after[i]) continue;
      moved++;
      expect(before[i]).toBe('v1'); // only the shrinking variant gives units away
    }
    // the slot table moves exactly 20 % of slots (+5 to v2, +15 to v3); units see a binomial share of them
    expect(Math.abs(moved - 0.2 * units.length)).toBeLessThanOrEqual(Z999 * Math.sqrt(units.length * 0.2 * 0.8));
    await gw.store.update(undefined, (s) => setWeights(s, 'fraud', { v1: 60, v2: 30, v3: 10 }), { actor: 'test', action: 'weights' });
  });

  it('serves a forced variant from the override header and rejects unknown ones', async () => {
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u1', 'x-modelgate-variant': 'v3' });
    expect(r.status).toBe(200);
    expect(r.headers['x-model-variant']).toBe('v3');
    expect(r.headers['x-model-version']).toBe('3.0');
    const forcedMetric = (await (await fetch(`${gw.url}/metrics`)).text()).match(/modelgate_requests_total\{route="fraud",variant="v3",status="200",code="none",assign="forced"\} (\d+)/);
    expect(Number(forcedMetric?.[1])).toBeGreaterThanOrEqual(1);
    const bad = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u1', 'x-modelgate-variant': 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('UNKNOWN_VARIANT');
  });

  it('without a unit: random (served, marked) or reject (400)', async () => {
    const r = await predict(gw.url, { instances: [[1]] });
    expect(r.status).toBe(200);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_requests_total\{route="fraud",variant="v\d",status="200",code="none",assign="random"\} [1-9]/);
    const rejected = await predict(gw.url, { instances: [[1]] }, {}, '/v1/models/strict:predict');
    expect(rejected.status).toBe(400);
    expect(rejected.json.error.code).toBe('MISSING_UNIT');
    const ok = await predict(gw.url, { instances: [[1]] }, {}, '/v1/models/strict:predict?uid=42');
    expect(ok.status).toBe(200);
  });

  it('forwards the protocol path with the variant\'s model name and V2 bodies', async () => {
    const r = await predict(gw.url, { inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3, 4] }] }, { 'x-user-id': 'v2-user' }, '/v2/models/fraud/infer');
    expect(r.status).toBe(200);
    expect(r.json.outputs[0].shape).toEqual([2, 1]);
    const seen = backends.flatMap((b) => b.seen).filter((s) => s.url.startsWith('/v2/'));
    expect(seen.at(-1)?.url).toBe('/v2/models/fraud/infer');
    expect(seen.at(-1)?.headers['x-request-id']).toBe(r.headers['x-request-id']);
  });
});

describe('X-Forwarded-For', () => {
  it('is extended for a trusted hop (loopback by default) and replaced for anyone else', async () => {
    const backend = await startBackend(modelBehaviour('a'));
    const route = { models: ['fraud'], variants: [{ name: 'v1', backend: backend.url, version: '1', weight: 100 }] };
    const trusted = await gatewayWith({ routes: { fraud: route } });
    await predict(trusted.url, { instances: [[1]] }, { 'x-forwarded-for': '203.0.113.7' });
    expect(backend.seen.at(-1)?.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    const strict = await gatewayWith({ trusted_proxies: [], routes: { fraud: route } });
    await predict(strict.url, { instances: [[1]] }, { 'x-forwarded-for': '203.0.113.7' });
    expect(backend.seen.at(-1)?.headers['x-forwarded-for']).toBe('127.0.0.1');
    await Promise.all([trusted.close(), strict.close()]);
    await backend.close();
  });
});
