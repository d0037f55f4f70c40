/**
 * The model servers' protocols end to end, with real backends that implement each endpoint:
 * OIP V2 health, server and model metadata, readiness and versioned inference; the
 * tritonclient-style sequence with binary tensors (byte-identical both ways); gzip and
 * deflate bodies and a gzip bomb; KServe V1 readiness and :explain; OpenAI routes chosen by
 * the body's `model`. Log entries are read back from a private redis-server.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCounts, readStream } from './helpers/predictions.ts';
import { modelBehaviour, startBackend, type Behaviour, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

/** An OIP/KServe/OpenAI model server: metadata, readiness, inference (JSON and binary), completions. */
function serverBehaviour(name: string): Behaviour {
  const infer = modelBehaviour(name, name === 'a' ? 0.25 : 0.75);
  return (req, res) => {
    const path = req.url.split('?')[0];
    res.setHeader('x-served-by', name);
    if (req.method === 'GET') {
      res.setHeader('content-type', 'application/json');
      if (path.endsWith('/ready')) return void res.end(JSON.stringify({ ready: true, by: name }));
      if (path.startsWith('/v1/models/')) return void res.end(JSON.stringify({ name: path.slice(11), ready: true, by: name }));
      return void res.end(JSON.stringify({ name: path.split('/')[3], versions: ['3'], platform: 'test', by: name, inputs: [{ name: 'INPUT0', datatype: 'FP32', shape: [-1, 16] }] }));
    }
    if (req.headers['inference-header-content-length']) {
      const n = Number(req.headers['inference-header-content-length']);
      const header = JSON.parse(req.raw.subarray(0, n).toString('utf8'));
      const data = req.raw.subarray(n); // echo the tensor bytes back as the output
      const out = Buffer.from(JSON.stringify({ model_name: name, outputs: [{ name: 'OUTPUT0', datatype: header.inputs[0].datatype, shape: header.inputs[0].shape, parameters: { binary_data_size: data.length } }] }));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(out.length) });
      return void res.end(Buffer.concat([out, data]));
    }
    if (path.endsWith(':explain')) return void res.end(JSON.stringify({ explanations: [[0.1, 0.9]], predictions: [1] }));
    if (path.startsWith('/v1/chat/') || path === '/v1/completions' || path === '/v1/embeddings') {
      const body = JSON.parse(req.body);
      res.setHeader('content-type', 'application/json');
      if (path === '/v1/embeddings') return void res.end(JSON.stringify({ object: 'list', model: body.model, data: [{ index: 0, embedding: [0.1, 0.2, 0.3, 0.4] }] }));
      const text = `${name} says hi to ${body.model}`;
      return void res.end(JSON.stringify({ model: body.model, choices: [path === '/v1/completions' ? { index: 0, text } : { index: 0, message: { role: 'assistant', content: text } }] }));
    }
    return infer(req, res);
  };
}

let redis: PrivateRedis;
let reader: Redis;
let a: TestBackend;
let b: TestBackend;
let gw: Awaited<ReturnType<typeof gatewayWith>>;

beforeAll(async () => {
  redis = await startRedis();
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  [a, b] = await Promise.all([startBackend(serverBehaviour('a')), startBackend(serverBehaviour('b'))]);
  gw = await gatewayWith({
    redis: { url: redis.url, prefix: 'p' },
    admin: { enabled: false },
    log: { hmac_key: 'k', flush_ms: 10 },
    limits: { max_body_bytes: 64 * 1024 },
    routes: {
      fraud: { models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'light', backend: a.url, version: '1', weight: 30 }, { name: 'heavy', backend: b.url, version: '2', weight: 70 }] },
      triton: { models: ['densenet'], unit: { body: '/parameters/user' }, variants: [{ name: 't1', backend: a.url, version: '1', weight: 100 }] },
      llm: {
        models: ['gpt-small', 'embed-small'],
        unit: { header: 'x-user-id' },
        variants: [{ name: 'la', backend: a.url, version: '1', weight: 50, model: 'real-a' }, { name: 'lb', backend: b.url, version: '2', weight: 50 }],
      },
    },
  });
});
afterAll(async () => {
  await gw?.close();
  reader?.disconnect();
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const r = await request(`${gw.url}${path}`, { headers });
  const text = await r.body.text();
  return { status: r.statusCode, headers: r.headers, json: JSON.parse(text) };
};
const entries = async (route: string, n: number) => until(`${n} log entries of ${route}`, async () => {
  const e = await readStream(reader, `p:predictions:${route}`);
  return e.length >= n ? e : undefined;
});

describe('Open Inference Protocol V2 over HTTP', () => {
  it('answers health and server metadata itself', async () => {
    expect(await get('/v2/health/live')).toMatchObject({ status: 200, json: { live: true } });
    expect(await get('/v2/health/ready')).toMatchObject({ status: 200, json: { ready: true } });
    const meta = await get('/v2');
    expect(meta.status).toBe(200);
    expect(meta.json).toMatchObject({ name: 'modelgate', extensions: ['binary_tensor_data'] });
    expect(typeof meta.json.version).toBe('string');
  });

  it('sends model metadata and readiness to the assigned variant (heaviest without a unit), unlogged', async () => {
    const before = (await logCounts(gw.registry, 'fraud')).written;
    const m = await get('/v2/models/fraud');
    expect(m).toMatchObject({ status: 200, json: { name: 'fraud', by: 'b' } });
    expect(m.headers['x-model-variant']).toBe('heavy');
    const seenBefore = a.seen.length;
    const r = await get('/v2/models/fraud/versions/3/ready');
    expect(r.json).toMatchObject({ ready: true, by: 'b' });
    expect(b.seen.at(-1)).toMatchObject({ method: 'GET', url: '/v2/models/fraud/versions/3/ready' });
    expect(a.seen.length).toBe(seenBefore);
    // with a unit: the same variant as its inferences
    for (let u = 0; u < 12; u++) {
      const meta = await get('/v2/models/fraud/versions/3', { 'x-user-id': `u${u}` });
      const inf = await predict(gw.url, { inputs: [{ name: 'x', shape: [1, 1], datatype: 'FP32', data: [u] }] }, { 'x-user-id': `u${u}` }, '/v2/models/fraud/versions/3/infer');
      expect(inf.status).toBe(200);
      expect(meta.headers['x-model-variant']).toBe(inf.headers['x-model-variant']);
    }
    expect([a, b].some((s) => s.seen.some((q) => q.method === 'POST' && q.url === '/v2/models/fraud/versions/3/infer'))).toBe(true);
    // 12 inferences logged, no lookups
    await until('12 entries written', async () => ((await logCounts(gw.registry, 'fraud')).written - before === 12 ? true : undefined));
    expect((await get('/v2/models/nope/ready')).status).toBe(404);
    const wrong = await request(`${gw.url}/v2/models/fraud/ready`, { method: 'POST', body: '{}' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    await wrong.body.dump();
  });

  it('runs the tritonclient sequence with binary tensors, byte-identical both ways', async () => {
    const ready = await get('/v2/models/densenet/ready');
    expect(ready).toMatchObject({ status: 200, json: { ready: true } });
    const meta = await get('/v2/models/densenet');
    expect(meta.json.inputs[0]).toMatchObject({ name: 'INPUT0', datatype: 'FP32' });
    const header = Buffer.from(JSON.stringify({ parameters: { user: 'patient-7' }, inputs: [{ name: 'INPUT0', shape: [1, 16], datatype: 'FP32', parameters: { binary_data_size: 64 } }], outputs: [{ name: 'OUTPUT0', parameters: { binary_data: true } }] }));
    const tensor = Buffer.from(new Float32Array(Array.from({ length: 16 }, (_, i) => i / 7)).buffer);
    const body = Buffer.concat([header, tensor]);
    const r = await request(`${gw.url}/v2/models/densenet/infer`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) } });
    const answer = Buffer.from(await r.body.arrayBuffer());
    expect(r.statusCode).toBe(200);
    const seen = a.seen.at(-1)!;
    expect(seen.raw.equals(body)).toBe(true);
    expect(seen.headers['inference-header-content-length']).toBe(String(header.length));
    const n = Number(r.headers['inference-header-content-length']);
    expect(answer.subarray(n).equals(tensor)).toBe(true);
    expect(JSON.parse(answer.subarray(0, n).toString()).outputs[0]).toMatchObject({ name: 'OUTPUT0', shape: [1, 16] });
    const [e] = await entries('triton', 1);
    expect(e.status).toBe('200');
    expect(e.assign).toBe('hash'); // the unit came from the JSON header part
    expect(JSON.parse(e.features)).toEqual([{ INPUT0: { datatype: 'FP32', shape: [1, 16] } }]);
    expect(JSON.parse(e.prediction)).toEqual([{ datatype: 'FP32', shape: [1, 16] }]);
    const bad = await request(`${gw.url}/v2/models/densenet/infer`, { method: 'POST', body, headers: { 'inference-header-content-length': '99999' } });
    expect(bad.statusCode).toBe(400);
    expect((await bad.body.json()) as object).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});

describe('compressed request bodies', () => {
  const json = JSON.stringify({ instances: [[1, 2, 3]] });
  it('accepts gzip and deflate and forwards the bytes received', async () => {
    for (const [enc, bytes] of [['gzip', gzipSync(json)], ['deflate', deflateSync(json)]] as const) {
      const r = await request(`${gw.url}/v1/models/fraud:predict`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/json', 'content-encoding': enc, 'x-user-id': 'z1' } });
      expect(r.statusCode).toBe(200);
      await r.body.dump();
      const seen = [...a.seen, ...b.seen].find((s) => s.headers['content-encoding'] === enc && s.raw.equals(bytes));
      expect(seen, enc).toBeDefined();
    }
  });

  it('refuses a gzip bomb with 413 and corrupt data with 400, forwarding neither', async () => {
    const before = a.seen.length + b.seen.length;
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const r = await request(`${gw.url}/v1/models/fraud:predict`, { method: 'POST', body: bomb, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect(r.statusCode).toBe(413);
    expect((await r.body.json()) as object).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const c = await request(`${gw.url}/v1/models/fraud:predict`, { method: 'POST', body: 'nope', headers: { 'content-encoding': 'gzip' } });
    expect(c.statusCode).toBe(400);
    await c.body.dump();
    expect(a.seen.length + b.seen.length).toBe(before);
    const m = await (await request(`${gw.url}/metrics`)).body.text();
    expect(m).toMatch(/modelgate_rejected_requests_total\{code="PAYLOAD_TOO_LARGE"\} [1-9]/);
  });
});

describe('KServe V1 extras', () => {
  it('passes readiness to the assigned variant and routes :explain like predict', async () => {
    const r = await get('/v1/models/fraud');
    expect(r).toMatchObject({ status: 200, json: { name: 'fraud', ready: true, by: 'b' } });
    expect(r.headers['x-model-variant']).toBe('heavy');
    const x = await predict(gw.url, { instances: [[5]] }, { 'x-user-id': 'u-explain' }, '/v1/models/fraud:explain');
    expect(x.status).toBe(200);
    expect(x.json.explanations).toEqual([[0.1, 0.9]]);
    expect([a, b].some((s) => s.seen.some((q) => q.url === '/v1/models/fraud:explain'))).toBe(true);
  });
});

describe('OpenAI-compatible routes', () => {
  it('routes by the body model, replaces it per variant, logs the text and embedding length', async () => {
    const served = new Set<string>();
    for (let u = 0; u < 16; u++) {
      const r = await predict(gw.url, { model: 'gpt-small', messages: [{ role: 'user', content: 'hi' }] }, { 'x-user-id': `o${u}` }, '/v1/chat/completions');
      expect(r.status).toBe(200);
      const v = r.headers['x-model-variant'] as string;
      served.add(v);
      expect(r.json.choices[0].message.content).toBe(v === 'la' ? 'a says hi to real-a' : 'b says hi to gpt-small');
    }
    expect(served).toEqual(new Set(['la', 'lb']));
    expect(a.seen.filter((s) => s.url === '/v1/chat/completions').every((s) => JSON.parse(s.body).model === 'real-a')).toBe(true);
    const c = await predict(gw.url, { model: 'gpt-small', prompt: 'x' }, { 'x-user-id': 'o1' }, '/v1/completions');
    expect(c.json.choices[0].text).toMatch(/says hi/);
    const e = await predict(gw.url, { model: 'embed-small', input: 'x' }, { 'x-user-id': 'o2' }, '/v1/embeddings');
    expect(e.json.data[0].embedding).toHaveLength(4);
    const logged = await entries('llm', 18);
    const chat = logged.find((x) => x.rid && JSON.parse(x.prediction)[0]?.startsWith?.('a says'));
    expect(chat).toMatchObject({ route: 'llm', variant: 'la', features: '[]' });
    expect(logged.some((x) => x.prediction === '[4]')).toBe(true);
    expect((await predict(gw.url, { model: 'unknown' }, {}, '/v1/chat/completions')).json).toMatchObject({ error: { code: 'MODEL_NOT_FOUND' } });
    expect((await predict(gw.url, { messages: [] }, {}, '/v1/chat/completions')).status).toBe(400);
  });
});
