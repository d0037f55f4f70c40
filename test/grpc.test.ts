/**
 * The gRPC port end to end: a real grpc-js client, real grpc-js OIP backends on ephemeral
 * ports, a real gateway and a private redis-server for the log. Server calls, routed metadata
 * and readiness, ModelInfer split (sticky, identical to the HTTP assignment), model name
 * replacement, shadows that cannot slow the live call, deadlines, unknown models, oversized
 * messages, refused backends, client cancellation, logging of both roles, streaming.
 */
import { status, type ServiceError } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRoute } from '../src/routing/compile.ts';
import { select } from '../src/routing/select.ts';
import { startBackend, modelBehaviour, sleep, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { inferenceClient, inferRequest, scoreModel, startGrpcBackend, type InferenceClient, type TestGrpcBackend } from './helpers/grpc.ts';
import { freePort } from './helpers/ports.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

let redis: PrivateRedis;
let reader: Redis;
let v1: TestGrpcBackend;
let v2: TestGrpcBackend;
let fastShadow: TestGrpcBackend;
let slowShadow: TestGrpcBackend;
let hung: TestGrpcBackend;
let http1: TestBackend;
let http2: TestBackend;
let gw: Awaited<ReturnType<typeof gatewayWith>>;
let client: InferenceClient;
let refusedPort: number;

const failure = async (p: Promise<unknown>): Promise<ServiceError> => {
  try {
    await p;
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error('expected the call to fail');
};

/** the newest entries of a stream */
async function stream(key: string): Promise<Record<string, string>[]> {
  const page = (await reader.xrevrange(key, '+', '-', 'COUNT', 50)) as [string, string[]][];
  return page.map(([, f]) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < f.length; i += 2) o[f[i]] = f[i + 1];
    return o;
  });
}

beforeAll(async () => {
  redis = await startRedis();
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  v1 = await startGrpcBackend({ infer: scoreModel('v1', 0.25) });
  v2 = await startGrpcBackend({ infer: scoreModel('v2', 0.75) });
  fastShadow = await startGrpcBackend({ infer: scoreModel('s', 0.25) });
  slowShadow = await startGrpcBackend({ infer: async (req) => (await sleep(5000), scoreModel('slow', 0.25)(req)) });
  hung = await startGrpcBackend({ infer: () => new Promise(() => {}) });
  http1 = await startBackend(modelBehaviour('h1'));
  http2 = await startBackend(modelBehaviour('h2'));
  refusedPort = await freePort();
  const variants = [
    { name: 'v1', backend: v1.url, version: '1.0.0', weight: 90 },
    { name: 'v2', backend: v2.url, version: '2.0.0', weight: 10, model: 'fraud-v2' },
  ];
  gw = await gatewayWith({
    redis: { url: redis.url, prefix: 'g' },
    admin: { enabled: false },
    grpc: { enabled: true, host: '127.0.0.1', port: 0, max_message_bytes: 64 * 1024 },
    log: { hmac_key: 'k', flush_ms: 10 },
    routes: {
      fraud: { models: ['fraud'], unit: { header: 'x-user-id' }, override_header: 'x-modelgate-variant', variants, shadows: [{ name: 'shadow', backend: fastShadow.url, percent: 100 }] },
      // the same salt and weights, without shadows: over gRPC, and over HTTP backends to compare with
      sticky: { models: ['sticky'], salt: 'fraud', unit: { header: 'x-user-id' }, variants },
      'fraud-http': { models: ['fraud-http'], salt: 'fraud', unit: { header: 'x-user-id' }, variants: variants.map((v) => ({ ...v, backend: v.name === 'v1' ? http1.url : http2.url })) },
      slow: { models: ['slow'], unit: { body: '/parameters/user_id' }, variants: [{ name: 'v1', backend: v1.url, weight: 100 }], shadows: [{ name: 'slow', backend: slowShadow.url, timeout_ms: 10_000 }] },
      hung: { models: ['hung'], variants: [{ name: 'v1', backend: hung.url, weight: 100 }], upstream: { timeout_ms: 300 } },
      down: { models: ['down'], variants: [{ name: 'v1', backend: `grpc://127.0.0.1:${refusedPort}`, weight: 100 }], upstream: { timeout_ms: 2000 } },
    },
  });
  client = inferenceClient(gw.grpcPort!);
});

afterAll(async () => {
  client?.close();
  await gw?.close();
  reader?.disconnect();
  await Promise.all([v1, v2, fastShadow, slowShadow, hung].map((b) => b?.close()));
  await Promise.all([http1?.close(), http2?.close()]);
  await redis?.stop();
});

describe('server calls', () => {
  it('answers ServerLive, ServerReady and ServerMetadata itself', async () => {
    expect((await client.call('ServerLive', {})).value.live).toBe(true);
    expect((await client.call('ServerReady', {})).value.ready).toBe(true);
    const meta = (await client.call('ServerMetadata', {})).value;
    expect(meta.name).toBe('modelgate');
    expect(meta.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('routes ModelReady and ModelMetadata to the assigned variant, with x-model-variant', async () => {
    const ready = await client.call('ModelReady', { name: 'fraud' }, { 'x-modelgate-variant': 'v2' });
    expect(ready.value.ready).toBe(true);
    expect(ready.metadata.get('x-model-variant')).toEqual(['v2']);
    expect(v2.seen.at(-1)).toMatchObject({ method: 'ModelReady', request: { name: 'fraud-v2' } });
    // without a unit: the highest-weight variant
    const meta = await client.call('ModelMetadata', { name: 'fraud' });
    expect(meta.metadata.get('x-model-variant')).toEqual(['v1']);
    expect(meta.value.name).toBe('fraud');
  });
});

describe('ModelInfer', () => {
  it('forwards to the variant, replaces the model name, and answers with the variant headers', async () => {
    const r = await client.call('ModelInfer', inferRequest('fraud', [[1, 2]]), { 'x-modelgate-variant': 'v2', 'x-request-id': 'grpc-rid-1' });
    expect(r.value.outputs[0].contents.fp32_contents).toEqual([0.75]);
    expect(r.metadata.get('x-model-variant')).toEqual(['v2']);
    expect(r.metadata.get('x-model-version')).toEqual(['2.0.0']);
    expect(r.metadata.get('x-request-id')).toEqual(['grpc-rid-1']);
    const seen = v2.seen.filter((c) => c.method === 'ModelInfer').at(-1)!;
    expect(seen.request.model_name).toBe('fraud-v2');
    expect(seen.request.inputs[0].contents.fp32_contents).toEqual([1, 2]);
    expect(seen.metadata.get('x-request-id')).toEqual(['grpc-rid-1']);
  });

  it('assigns 10,000 units exactly as select() does, and as the HTTP path does for the same units', async () => {
    const route = gw.store.current().routes.get('sticky')!;
    const units = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    const got = new Array<string>(units.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < units.length) {
          const i = next++;
          const r = await client.call('ModelInfer', inferRequest('sticky', [[i, 0]]), { 'x-user-id': units[i] });
          got[i] = String(r.metadata.get('x-model-variant')[0]);
        }
      }),
    );
    const compiled = compileRoute('sticky', route.config, route.version);
    const mismatches = units.filter((u, i) => select(compiled, u, null, 0).variant.name !== got[i]);
    expect(mismatches).toEqual([]);
    const share = got.filter((v) => v === 'v2').length / units.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    for (let i = 0; i < 300; i++) {
      const h = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': units[i] }, '/v1/models/fraud-http:predict');
      expect(h.headers['x-model-variant'], units[i]).toBe(got[i]);
    }
  });

  it('reads the unit from a request parameter when the route says /parameters/<name>', async () => {
    const a = await client.call('ModelInfer', inferRequest('slow', [[1]], { parameters: { user_id: { string_param: 'alice' } } }));
    expect(a.metadata.get('x-model-variant')).toEqual(['v1']);
  });

  it('a 5 s shadow never slows the live call', async () => {
    const started = performance.now();
    const r = await client.call('ModelInfer', inferRequest('slow', [[1]], { parameters: { user_id: { string_param: 'bob' } } }));
    const ms = performance.now() - started;
    expect(r.value.outputs[0].contents.fp32_contents).toEqual([0.25]);
    expect(ms).toBeLessThan(2500);
    await until('the slow shadow to receive its copy', () => (slowShadow.seen.length > 0 ? true : undefined));
  });

  it('maps a backend that does not answer in time to DEADLINE_EXCEEDED with UPSTREAM_TIMEOUT', async () => {
    const e = await failure(client.call('ModelInfer', inferRequest('hung', [[1]])));
    expect(e.code).toBe(status.DEADLINE_EXCEEDED);
    expect(e.details).toMatch(/^UPSTREAM_TIMEOUT/);
    // the client's own shorter deadline is honoured too
    const started = performance.now();
    const d = await failure(client.call('ModelInfer', inferRequest('hung', [[1]]), {}, 100));
    expect(d.code).toBe(status.DEADLINE_EXCEEDED);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('answers an unknown model with NOT_FOUND and MODEL_NOT_FOUND', async () => {
    const e = await failure(client.call('ModelInfer', inferRequest('nope', [[1]])));
    expect(e.code).toBe(status.NOT_FOUND);
    expect(e.details).toMatch(/^MODEL_NOT_FOUND/);
    expect(e.metadata.get('x-request-id')).toHaveLength(1);
  });

  it('refuses a message over grpc.max_message_bytes with RESOURCE_EXHAUSTED, backend not called', async () => {
    const before = v1.seen.length + v2.seen.length;
    const big = Array.from({ length: 100 }, () => Array.from({ length: 200 }, (_, j) => j));
    const e = await failure(client.call('ModelInfer', inferRequest('fraud', big)));
    expect(e.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(v1.seen.length + v2.seen.length).toBe(before);
  });

  it('maps a refused backend to UNAVAILABLE with UPSTREAM_UNAVAILABLE', async () => {
    const e = await failure(client.call('ModelInfer', inferRequest('down', [[1]])));
    expect(e.code).toBe(status.UNAVAILABLE);
    expect(e.details).toMatch(/^UPSTREAM_UNAVAILABLE/);
  });

  it('cancels the backend call when the client goes away', async () => {
    const before = hung.cancelled;
    await failure(client.call('ModelInfer', inferRequest('hung', [[1]]), {}, 150));
    await until('the hung backend to see its call cancelled', () => (hung.cancelled > before ? true : undefined));
  });

  it('refuses an HTTP call routed to a grpc:// variant with PROTOCOL_MISMATCH', async () => {
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'a' });
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('PROTOCOL_MISMATCH');
  });
});

describe('the log and shadows', () => {
  it('logs the live and the shadow entry of a call, features from typed contents, protocol grpc', async () => {
    const rid = 'grpc-log-1';
    await client.call('ModelInfer', inferRequest('fraud', [[3.5, 7]]), { 'x-user-id': 'log-user', 'x-request-id': rid });
    const entries = await until('both entries of the call', async () => {
      const mine = (await stream('g:predictions:fraud')).filter((e) => e.rid === rid);
      return mine.length === 2 ? mine : undefined;
    });
    const live = entries.find((e) => e.role === 'live')!;
    const shadow = entries.find((e) => e.role === 'shadow')!;
    expect(live).toMatchObject({ protocol: 'grpc', status: '200', route: 'fraud', assign: 'hash' });
    expect(JSON.parse(live.features)).toEqual([{ x_0: 3.5, x_1: 7 }]);
    expect(JSON.parse(live.prediction)).toEqual([expect.closeTo(live.variant === 'v1' ? 0.25 : 0.75, 6)]);
    expect(shadow).toMatchObject({ protocol: 'grpc', variant: 'shadow', status: '200' });
    expect(JSON.parse(shadow.prediction)).toEqual([0.25]);
    const metrics = await gw.registry.metrics();
    expect(metrics).toMatch(/modelgate_shadow_comparisons_total\{route="fraud",shadow="shadow",result="(agree|disagree)"\} [1-9]/);
  });

  it('logs raw_input_contents as datatype and shape, never bytes', async () => {
    const rid = 'grpc-raw-1';
    const raw = Buffer.alloc(8);
    raw.writeFloatLE(1.5, 0);
    raw.writeFloatLE(2.5, 4);
    await client.call('ModelInfer', { model_name: 'fraud', inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2] }], raw_input_contents: [raw] }, { 'x-user-id': 'raw-user', 'x-request-id': rid });
    const live = await until('the raw call entry', async () => (await stream('g:predictions:fraud')).find((e) => e.rid === rid && e.role === 'live'));
    expect(JSON.parse(live.features)).toEqual([{ x: 'FP32[1,2]' }]);
  });
});

describe('ModelStreamInfer', () => {
  it('passes a stream through per message to the assigned variant', async () => {
    const md = new (await import('@grpc/grpc-js')).Metadata();
    md.set('x-modelgate-variant', 'v2');
    const call = client.raw.ModelStreamInfer(md);
    const answers: any[] = [];
    let headers: any;
    call.on('metadata', (m: any) => (headers = m));
    call.on('data', (a: any) => answers.push(a));
    const ended = new Promise((r) => call.on('end', r));
    for (let i = 0; i < 3; i++) call.write(inferRequest('fraud', [[i]]));
    call.end();
    await ended;
    expect(answers).toHaveLength(3);
    expect(answers.every((a) => a.infer_response.outputs[0].contents.fp32_contents[0] === 0.75)).toBe(true);
    expect(headers.get('x-model-variant')).toEqual(['v2']);
    expect(v2.seen.filter((c) => c.method === 'ModelStreamInfer').map((c) => c.request.model_name)).toEqual(['fraud-v2', 'fraud-v2', 'fraud-v2']);
  });
});
