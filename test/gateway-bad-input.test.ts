/** The bad-input corpus: each answered with the right status and the JSON error shape, no backend called. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { parseRaw, predict, rawRequest } from './helpers/http.ts';

describe('bad input', () => {
  let backend: TestBackend;
  let gw: Awaited<ReturnType<typeof gatewayWith>>;
  beforeAll(async () => {
    backend = await startBackend(modelBehaviour('a'));
    gw = await gatewayWith({ limits: { max_body_bytes: 1024, max_header_bytes: 2048 }, routes: { fraud: splitRoute([backend.url]) } });
  });
  afterAll(async () => {
    await gw.close();
    await backend.close();
  });

  const expectError = (r: { status: number; json: any }, status: number, code: string) => {
    expect(r.status).toBe(status);
    expect(r.json?.error?.code).toBe(code);
    expect(typeof r.json?.error?.message).toBe('string');
  };

  it('invalid JSON → 400 INVALID_JSON, backend not called (any content type)', async () => {
    const before = backend.seen.length;
    expectError(await predict(gw.url, '{"instances": [1,', {}), 400, 'INVALID_JSON');
    expectError(await predict(gw.url, 'not json', { 'content-type': 'text/plain' }), 400, 'INVALID_JSON');
    expect(backend.seen.length).toBe(before);
  });

  it('valid JSON with a non-JSON content type → 415', async () => {
    expectError(await predict(gw.url, '{"instances":[[1]]}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect((await predict(gw.url, '{"instances":[[1]]}', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('oversized body → 413, by Content-Length and by streaming', async () => {
    const big = JSON.stringify({ instances: [Array(600).fill(1)] });
    expectError(await predict(gw.url, big), 413, 'PAYLOAD_TOO_LARGE');
    const chunked = parseRaw(await rawRequest(gw.dataPort, `POST /v1/models/fraud:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(big.length).toString(16)}\r\n${big}\r\n0\r\n\r\n`));
    expectError(chunked, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('oversized headers → 431 JSON from the parser hook', async () => {
    const r = parseRaw(await rawRequest(gw.dataPort, `POST /v1/models/fraud:predict HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4096)}\r\nContent-Length: 2\r\n\r\n{}`));
    expectError(r, 431, 'HEADERS_TOO_LARGE');
  });

  it('duplicate Host → 400', async () => {
    const body = '{"instances":[[1]]}';
    const r = parseRaw(await rawRequest(gw.dataPort, `POST /v1/models/fraud:predict HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    expectError(r, 400, 'BAD_REQUEST');
  });

  it('absolute-form target → 400', async () => {
    const body = '{"instances":[[1]]}';
    const r = parseRaw(await rawRequest(gw.dataPort, `POST http://evil.example/v1/models/fraud:predict HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    expectError(r, 400, 'BAD_REQUEST');
  });

  it('malformed request line and CL+TE smuggling attempts → 400 JSON', async () => {
    expectError(parseRaw(await rawRequest(gw.dataPort, 'GARBAGE\r\n\r\n')), 400, 'BAD_REQUEST');
    const smuggle = parseRaw(await rawRequest(gw.dataPort, 'POST /v1/models/fraud:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'));
    expectError(smuggle, 400, 'BAD_REQUEST');
  });

  it('path traversal in any encoding never reaches anything but a 400/404 JSON error', async () => {
    for (const p of ['/v1/models/../../admin/routes', '/v1/models/%2e%2e/%2e%2e/admin/routes:predict', '/v1/models/..%2F..%2Fadmin:predict', '/v2/models/%2E%2E/infer', '/admin/routes', '/admin/../admin/routes']) {
      const r = parseRaw(await rawRequest(gw.dataPort, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      expect([400, 404], p).toContain(r.status);
      expect(r.json?.error?.code, p).toMatch(/BAD_REQUEST|NOT_FOUND/);
    }
  });

  it('unknown model → 404 MODEL_NOT_FOUND; wrong method → 405', async () => {
    expectError(await predict(gw.url, { instances: [] }, {}, '/v1/models/nope:predict'), 404, 'MODEL_NOT_FOUND');
    const r = await fetch(`${gw.url}/v1/models/fraud:predict`);
    expect(r.status).toBe(405);
    expect((await r.json()).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('counts every refusal in modelgate_rejected_requests_total', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    for (const code of ['INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'HEADERS_TOO_LARGE', 'BAD_REQUEST', 'MODEL_NOT_FOUND'])
      expect(Number(text.match(new RegExp(`modelgate_rejected_requests_total\\{code="${code}"\\} (\\d+)`))?.[1]), code).toBeGreaterThan(0);
  });

  it('the gateway is still serving after all of it', async () => {
    expect((await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' })).status).toBe(200);
  });
});
