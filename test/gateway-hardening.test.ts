/**
 * The strict HTTP boundary, part two: a header count limit (Node silently drops headers past
 * its count), a JSON 400 for a missing Host, proxy headers only from trusted hops, and
 * pipelined answers written before the parser's 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith } from './helpers/gateway.ts';
import { parseRaw, predict, rawRequest } from './helpers/http.ts';
import { until } from './helpers/wait.ts';

const BODY = '{"instances":[[1]]}';
const post = (extra = '', body = BODY) => `POST /v1/models/fraud:predict HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('HTTP boundary hardening', () => {
  let backend: TestBackend;
  let gw: Awaited<ReturnType<typeof gatewayWith>>;
  beforeAll(async () => {
    backend = await startBackend(modelBehaviour('a'));
    const route = { models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend: backend.url, weight: 50 }, { name: 'v2', backend: backend.url, weight: 50 }] };
    gw = await gatewayWith({ trusted_proxies: ['10.9.0.0/16'], routes: { fraud: route } });
  });
  afterAll(async () => {
    await gw.close();
    await backend.close();
  });

  it('more than limits.max_headers headers → 431 JSON, even when each is tiny; at the limit it is served', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `x-h${i}: 1\r\n`).join('');
    // Host, Content-Type, Content-Length, Connection, X-User-Id + 95 = 100 headers: served
    const ok = parseRaw(await rawRequest(gw.dataPort, post(many(95) + 'x-user-id: u1\r\nConnection: close\r\n')));
    expect(ok.status).toBe(200);
    const before = backend.seen.length;
    const over = parseRaw(await rawRequest(gw.dataPort, post(many(300) + 'x-user-id: u1\r\n')));
    expect(over.status).toBe(431);
    expect(over.json.error.code).toBe('HEADERS_TOO_LARGE');
    expect(over.json.error.message).toMatch(/limits\.max_headers/);
    expect(backend.seen.length).toBe(before);
  });

  it('a request without a Host header → 400 in the JSON error shape', async () => {
    const r = parseRaw(await rawRequest(gw.dataPort, `POST /v1/models/fraud:predict HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`));
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('BAD_REQUEST');
    expect(r.json.error.message).toMatch(/Host/);
    const ops = parseRaw(await rawRequest(gw.dataPort, 'GET /healthz HTTP/1.1\r\n\r\n'));
    expect(ops.status).toBe(400);
    expect(ops.json.error.code).toBe('BAD_REQUEST');
  });

  it('Forwarded and X-Real-IP from an untrusted peer are stripped, like X-Forwarded-For', async () => {
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u1', forwarded: 'for=6.6.6.6', 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.6' });
    expect(r.status).toBe(200);
    const seen = backend.seen.at(-1)!;
    expect(seen.headers.forwarded).toBeUndefined();
    expect(seen.headers['x-real-ip']).toBeUndefined();
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('pipelining with a malformed 6th request: the 5 accepted answers are written, then the 400, then the close', async () => {
    const before = backend.seen.length;
    const good = (i: number) => post(`x-user-id: p${i}\r\n`, `{"instances":[[${i}]]}`);
    const bad = 'POST /v1/models/fraud:predict HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
    const text = await rawRequest(gw.dataPort, [1, 2, 3, 4, 5].map(good).join('') + bad + [7, 8, 9, 10].map(good).join(''), 10_000);
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 400]);
    expect(text.slice(text.lastIndexOf('HTTP/1.1 400'))).toMatch(/"code":"BAD_REQUEST"/);
    await until('the backend saw the 5 accepted requests', () => (backend.seen.length - before === 5 ? true : undefined), 5000);
  });

  it('still serves after all of it', async () => {
    expect((await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' })).status).toBe(200);
  });
});
