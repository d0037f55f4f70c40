/** `POST /v1/outcomes` on the data plane: validation, bounds, stream entries, metrics, 503 without Redis. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';

let redis: PrivateRedis;
let client: Redis;
let backend: TestBackend;
let gw: Awaited<ReturnType<typeof gatewayWith>>;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
  backend = await startBackend();
  gw = await gatewayWith({ redis: { url: redis.url, prefix: 'mg' }, log: { hmac_key: 'shared-key', flush_ms: 5 }, limits: { max_body_bytes: 65_536 }, routes: { fraud: splitRoute([backend.url, backend.url]) } });
});

afterAll(async () => {
  await gw?.close();
  client?.disconnect();
  await backend?.close();
  await redis?.stop();
});

const post = async (base: string, body: unknown, method = 'POST') => {
  const r = await fetch(`${base}/v1/outcomes`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, json: text ? JSON.parse(text) : undefined };
};

const fieldsOf = (flat: string[]) => Object.fromEntries(flat.flatMap((x, i) => (i % 2 ? [] : [[x, flat[i + 1]]])));

async function streamEntries(key: string, n: number): Promise<Record<string, string>[]> {
  const end = Date.now() + 5000;
  for (;;) {
    const rows = await client.xrange(key, '-', '+');
    if (rows.length >= n || Date.now() > end) return rows.map(([, f]) => fieldsOf(f));
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('POST /v1/outcomes', () => {
  it('accepts one outcome or a batch (202) and writes them to <prefix>:outcomes:<route>', async () => {
    // a client sends the header's UTF-8 bytes (undici writes a JS string's chars as latin1 bytes)
    const served = await predict(gw.url, { instances: [[1, 2]] }, { 'x-user-id': Buffer.from('zoë', 'utf8').toString('latin1') });
    const rid = String(served.headers['x-request-id']);
    expect((await post(gw.url, { request_id: rid, metric: 'converted', value: 1 })).status).toBe(202);
    const batch = await post(gw.url, { outcomes: [{ unit: 'zoë', model: 'fraud', metric: 'revenue', value: 12.5, id: 'order-1' }, { unit: 'zoë', route: 'fraud', metric: 'converted' }] });
    expect(batch).toMatchObject({ status: 202, json: { accepted: 2 } });
    const entries = await streamEntries('mg:outcomes:fraud', 3);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({ v: '1', route: 'fraud', metric: 'converted', value: '1', rid });
    expect(entries[1]).toMatchObject({ metric: 'revenue', value: '12.5', id: 'order-1' });
    // the unit is hashed exactly as the prediction log hashes it, so the monitor can join on it
    const [log] = await streamEntries('mg:predictions:fraud', 1);
    expect(entries[1].unit).toBe(log.unit);
    expect(entries[1].unit).toMatch(/^[0-9a-f]{16}$/);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_outcomes_total\{route="fraud",outcome="accepted"\} 3/);
    expect(metrics).toMatch(/modelgate_outcomes_total\{route="fraud",outcome="written"\} 3/);
  });

  it('lists every problem (400), bounds the body (413, limits.max_body_bytes), refuses other methods (405)', async () => {
    const bad = await post(gw.url, { outcomes: [{ metric: 'converted' }, { request_id: 'r', metric: 'x'.repeat(65), value: 'NaN' }, { request_id: 'r', metric: 'ok', route: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_OUTCOME');
    expect(bad.json.error.details.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['outcomes[0].request_id', 'outcomes[1].metric', 'outcomes[1].value']));
    // route problems are found once the shapes are valid
    expect((await post(gw.url, { request_id: 'r', metric: 'ok', route: 'nope' })).json.error.details).toEqual([{ path: 'route', message: 'no route "nope"' }]);
    expect((await post(gw.url, '{"request_id": ')).json.error.code).toBe('INVALID_JSON');
    expect((await post(gw.url, { outcomes: Array.from({ length: 1001 }, () => ({ request_id: 'r', metric: 'm' })) })).status).toBe(400);
    const huge = await post(gw.url, { request_id: 'r', metric: 'm', pad: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    const get = await post(gw.url, undefined, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_outcome_rejections_total\{reason="invalid"\} [1-9]/);
    expect(metrics).toMatch(/modelgate_outcome_rejections_total\{reason="too_large"\} 1/);
  });

  it('answers 503 with a clear error when no Redis is configured', async () => {
    const solo = await gatewayWith({ routes: { fraud: splitRoute([backend.url]) } });
    try {
      const r = await post(solo.url, { request_id: 'r', metric: 'converted', value: 1 });
      expect(r.status).toBe(503);
      expect(r.json.error.message).toMatch(/redis/i);
    } finally {
      await solo.close();
    }
  });
});
