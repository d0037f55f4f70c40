/**
 * Tracing end to end: a real gateway exports over OTLP/HTTP to an in-process receiver
 * (node:http, OTLP JSON), real backends record the `traceparent` they receive. Checks the
 * server span continues the client's trace, the live and shadow client spans are its children,
 * each backend saw its own client span as parent, the HTTP semantic-convention attributes,
 * spans of refused requests, and a `modelgate gateway` process configured by OTEL_* variables
 * whose access log lines carry the trace id.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.ts';
import { httpRouteOf } from '../src/gateway/tracer.ts';
import { createTracer, serverSpanName, tracesUrl } from '../src/telemetry/tracing.ts';
import { startBackend, modelBehaviour, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { predict, rawRequest } from './helpers/http.ts';
import { freePort } from './helpers/ports.ts';
import { until } from './helpers/wait.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

/** An OTLP/HTTP receiver accepting the JSON encoding on /v1/traces. */
async function otlpReceiver() {
  const spans: OtlpSpan[] = [];
  const resources: Record<string, unknown>[] = [];
  const contentTypes: string[] = [];
  const headers: Record<string, string | string[] | undefined>[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      contentTypes.push(String(req.headers['content-type']));
      headers.push(req.headers);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) {
        resources.push(rs.resource);
        for (const ss of rs.scopeSpans ?? []) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    resources,
    contentTypes,
    headers,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? (v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue) : undefined;
};
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;


let live: TestBackend;
let other: TestBackend;
let shadow: TestBackend;

beforeAll(async () => {
  live = await startBackend(modelBehaviour('v1'));
  other = await startBackend(modelBehaviour('v2'));
  shadow = await startBackend(modelBehaviour('v3'));
});
afterAll(async () => {
  await Promise.all([live.close(), other.close(), shadow.close()]);
});

const route = () => splitRoute([live.url, other.url], { override_header: 'x-modelgate-variant', shadows: [{ name: 'v3', backend: shadow.url, percent: 100, timeout_ms: 2000 }] });

describe('tracing', () => {
  it('is off by default and then creates nothing', async () => {
    expect(await createTracer(parseConfig({}, 'test', {}))).toBeUndefined();
  });

  it('names spans without cardinality and finds the OTLP traces path', () => {
    expect(serverSpanName('POST', httpRouteOf({ protocol: 'v1' }))).toBe('POST /v1/models/{model}:predict');
    expect(serverSpanName('POST', httpRouteOf({ protocol: 'v2' }))).toBe('POST /v2/models/{model}/infer');
    expect(httpRouteOf({ protocol: 'v2', op: 'infer', version: '3' })).toBe('/v2/models/{model}/versions/{version}/infer');
    expect(httpRouteOf({ protocol: 'v2', op: 'ready' })).toBe('/v2/models/{model}/ready');
    expect(httpRouteOf({ protocol: 'v1', op: 'explain' })).toBe('/v1/models/{model}:explain');
    expect(httpRouteOf({ protocol: 'openai', op: 'openai', openai: '/v1/chat/completions' })).toBe('/v1/chat/completions');
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/custom/path')).toBe('http://collector:4318/custom/path');
  });

  it('exports a server span continuing the client trace, with live and shadow client spans as children', async () => {
    const rx = await otlpReceiver();
    const gw = await gatewayWith({ tracing: { enabled: true, otlp_endpoint: rx.url, service_name: 'mg-test' }, routes: { fraud: route() } });
    try {
      const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
      const clientSpan = '00f067aa0ba902b7';
      const r = await predict(gw.url, { instances: [[1, 2]] }, { 'x-user-id': 'alice', 'x-modelgate-variant': 'v1', traceparent: `00-${clientTrace}-${clientSpan}-01`, tracestate: 'vendor=abc', 'user-agent': 'trace-test/1.0' });
      expect(r.status).toBe(200);
      await until('the shadow copy', () => (shadow.seen.length > 0 ? true : undefined));
      await until('three spans', () => (rx.spans.length >= 3 ? true : undefined), 8000);

      const server = rx.spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
      expect(server).toBeDefined();
      expect(server.traceId).toBe(clientTrace);
      expect(server.parentSpanId).toBe(clientSpan);
      expect(server.name).toBe('POST /v1/models/{model}:predict');
      expect(attr(server, 'modelgate.route')).toBe('fraud');
      expect(attr(server, 'modelgate.variant')).toBe('v1');
      expect(attr(server, 'modelgate.assign')).toBe('forced');
      expect(attr(server, 'modelgate.request_id')).toBe(r.headers['x-request-id']);
      expect(Number(attr(server, 'http.response.status_code'))).toBe(200);
      // the HTTP semantic conventions of a server span
      expect(attr(server, 'http.request.method')).toBe('POST');
      expect(attr(server, 'http.route')).toBe('/v1/models/{model}:predict');
      expect(attr(server, 'url.scheme')).toBe('http');
      expect(attr(server, 'url.path')).toBe('/v1/models/fraud:predict');
      expect(attr(server, 'server.address')).toBe('127.0.0.1');
      expect(Number(attr(server, 'server.port'))).toBe(gw.dataPort);
      expect(attr(server, 'client.address')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(Number(attr(server, 'client.port'))).toBeGreaterThan(0);
      expect(attr(server, 'network.protocol.version')).toBe('1.1');
      expect(attr(server, 'user_agent.original')).toBe('trace-test/1.0');
      expect(attr(server, 'error.type')).toBeUndefined();

      const clients = rx.spans.filter((s) => s.kind === SPAN_KIND_CLIENT);
      const liveSpan = clients.find((s) => attr(s, 'modelgate.role') === 'live')!;
      const shadowSpan = clients.find((s) => attr(s, 'modelgate.role') === 'shadow')!;
      expect(liveSpan).toBeDefined();
      expect(shadowSpan).toBeDefined();
      for (const c of [liveSpan, shadowSpan]) {
        expect(c.traceId).toBe(clientTrace);
        expect(c.parentSpanId).toBe(server.spanId);
      }
      expect(attr(liveSpan, 'modelgate.target')).toBe('v1');
      expect(attr(shadowSpan, 'modelgate.target')).toBe('v3');
      expect(attr(liveSpan, 'url.full')).toBe(`${live.url}/v1/models/fraud:predict`);
      // client spans are named {method}, with the target server and the status
      const liveUrl = new URL(live.url);
      for (const c of [liveSpan, shadowSpan]) {
        expect(c.name).toBe('POST');
        expect(attr(c, 'http.request.method')).toBe('POST');
        expect(attr(c, 'server.address')).toBe('127.0.0.1');
        expect(Number(attr(c, 'http.response.status_code'))).toBe(200);
        expect(attr(c, 'network.protocol.version')).toBe('1.1');
      }
      expect(Number(attr(liveSpan, 'server.port'))).toBe(Number(liveUrl.port));

      // each backend got the traceparent of its own client span (not the client's), and the tracestate
      const liveSeen = live.seen.at(-1)!;
      expect(liveSeen.headers.traceparent).toBe(`00-${clientTrace}-${liveSpan.spanId}-01`);
      expect(liveSeen.headers.tracestate).toBe('vendor=abc');
      expect(shadow.seen.at(-1)!.headers.traceparent).toBe(`00-${clientTrace}-${shadowSpan.spanId}-01`);
      expect(JSON.stringify(rx.resources)).toContain('mg-test');
      expect(rx.contentTypes[0]).toContain('application/json');
    } finally {
      await gw.close();
      await rx.close();
    }
  });

  it('starts a new trace without a client traceparent and marks backend failures as errors', async () => {
    const rx = await otlpReceiver();
    const dead = await startBackend((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
    });
    const gw = await gatewayWith({ tracing: { enabled: true, otlp_endpoint: rx.url }, routes: { fraud: splitRoute([dead.url]) } });
    try {
      const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'bob' });
      expect(r.status).toBe(503);
      await gw.close(); // shutdown flushes the batch
      const server = rx.spans.find((s) => s.kind === SPAN_KIND_SERVER)!;
      const client = rx.spans.find((s) => s.kind === SPAN_KIND_CLIENT)!;
      expect(server.parentSpanId ?? '').toBe('');
      expect(client.parentSpanId).toBe(server.spanId);
      expect(client.status?.code).toBe(2); // ERROR
      expect(server.status?.code).toBe(2);
      expect(dead.seen[0].headers.traceparent).toBe(`00-${server.traceId}-${client.spanId}-01`);
    } finally {
      await gw.close();
      await dead.close();
      await rx.close();
    }
  });

  it('refused requests get a server span too, with the status and the error code', async () => {
    const rx = await otlpReceiver();
    const gw = await gatewayWith({ tracing: { enabled: true, otlp_endpoint: rx.url }, routes: { fraud: route() } });
    try {
      const tp = (n: number) => `00-${String(n).padStart(32, 'a')}-00f067aa0ba902b7-01`;
      expect((await predict(gw.url, 'not json', { 'x-user-id': 'a', traceparent: tp(1) })).status).toBe(400);
      expect((await predict(gw.url, { instances: [[1]] }, { traceparent: tp(2) }, '/v1/models/nope:predict')).status).toBe(404);
      expect((await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'a', 'x-modelgate-variant': 'v9', traceparent: tp(3) })).status).toBe(400);
      // refused by the data plane before a prediction path matched
      const raw = await rawRequest(gw.dataPort, `POST /v1/models/%2e%2e:predict HTTP/1.1\r\nHost: 127.0.0.1\r\ntraceparent: ${tp(4)}\r\nContent-Length: 2\r\n\r\n{}`);
      expect(raw).toMatch(/^HTTP\/1\.1 400/);
      await gw.close(); // flushes the batch
      const byTrace = (n: number) => rx.spans.find((x) => x.traceId === String(n).padStart(32, 'a'));
      const expected: Array<[number, number, string, string | undefined]> = [
        [1, 400, 'INVALID_JSON', '/v1/models/{model}:predict'],
        [2, 404, 'MODEL_NOT_FOUND', '/v1/models/{model}:predict'],
        [3, 400, 'UNKNOWN_VARIANT', '/v1/models/{model}:predict'],
        [4, 400, 'BAD_REQUEST', undefined],
      ];
      for (const [n, status, code, httpRoute] of expected) {
        const s = byTrace(n);
        expect(s, code).toBeDefined();
        expect(s!.kind).toBe(SPAN_KIND_SERVER);
        expect(s!.parentSpanId).toBe('00f067aa0ba902b7');
        expect(Number(attr(s!, 'http.response.status_code'))).toBe(status);
        expect(attr(s!, 'error.type')).toBe(code);
        expect(attr(s!, 'http.route')).toBe(httpRoute);
        expect(s!.name).toBe(httpRoute ? `POST ${httpRoute}` : 'POST');
        expect(s!.status?.code ?? 0).toBe(0); // a 4xx is the client's error, not the server span's
      }
      expect(rx.spans.filter((x) => x.kind === SPAN_KIND_CLIENT)).toHaveLength(0);
    } finally {
      await gw.close();
      await rx.close();
    }
  });

  it('a gateway process honours OTEL_* variables, and its access log lines carry the trace id', async () => {
    const rx = await otlpReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'mg-otel-'));
    const port = await freePort();
    const file = join(dir, 'gw.yaml');
    // the file samples nothing and names no endpoint: the environment decides both
    writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, admin: { enabled: false }, access_log: { enabled: true }, tracing: { enabled: true, sample_ratio: 0, service_name: 'from-file' }, routes: { fraud: splitRoute([live.url]) } }));
    const env = {
      ...process.env,
      MODELGATE_LOG_LEVEL: 'info',
      OTEL_SERVICE_NAME: 'mg-from-env',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
      OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-otlp-token=t0k',
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    try {
      await until('the gateway listening', () => (out.includes('gateway listening') ? true : proc.exitCode !== null ? Promise.reject(new Error(out)) : undefined), 60_000);
      const rids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await predict(`http://127.0.0.1:${port}`, { instances: [[1]] }, { 'x-user-id': `env-${i}` });
        expect(r.status).toBe(200);
        rids.push(String(r.headers['x-request-id']));
      }
      const servers = await until('three server spans', () => {
        const s = rx.spans.filter((x) => x.kind === SPAN_KIND_SERVER);
        return s.length >= 3 ? s : undefined;
      }, 20_000);
      const resource = JSON.stringify(rx.resources);
      expect(resource).toContain('mg-from-env');
      expect(resource).not.toContain('from-file');
      expect(resource).toContain('deployment.environment.name');
      expect(rx.headers.every((h) => h['x-otlp-token'] === 't0k')).toBe(true);
      proc.kill('SIGTERM');
      await new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
      const access = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((l) => l.name === 'access');
      expect(access.map((l) => l.rid)).toEqual(rids);
      for (const l of access) {
        const span = servers.find((s) => attr(s, 'modelgate.request_id') === l.rid);
        expect(span, l.rid).toBeDefined();
        expect(l.trace_id).toBe(span!.traceId);
        expect(l.span_id).toBe(span!.spanId);
      }
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      await rx.close();
    }
  }, 90_000);

  it('with sample_ratio 0 exports nothing for new traces but still propagates an unsampled traceparent', async () => {
    const rx = await otlpReceiver();
    const gw = await gatewayWith({ tracing: { enabled: true, otlp_endpoint: rx.url, sample_ratio: 0 }, routes: { fraud: splitRoute([live.url]) } });
    const before = live.seen.length;
    try {
      for (let i = 0; i < 5; i++) expect((await predict(gw.url, { instances: [[1]] }, { 'x-user-id': `u${i}` })).status).toBe(200);
      await gw.close();
      expect(rx.spans).toHaveLength(0);
      const seen = live.seen.slice(before);
      expect(seen).toHaveLength(5);
      for (const s of seen) expect(s.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    } finally {
      await gw.close();
      await rx.close();
    }
  });

  it('off: the client traceparent is not touched and no span is made', async () => {
    const gw = await gatewayWith({ routes: { fraud: splitRoute([live.url]) } });
    const before = live.seen.length;
    try {
      const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      expect((await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'carol', traceparent: tp })).status).toBe(200);
      const h = live.seen.slice(before)[0].headers.traceparent;
      // the gateway is transparent: it forwards what the client sent (or nothing), never its own span
      expect(h === undefined || h === tp).toBe(true);
    } finally {
      await gw.close();
    }
  });
});
