/** Slow clients: headers or body that do not arrive in time get a JSON 408, within about a second. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { parseRaw } from './helpers/http.ts';

/** Writes `first`, then nothing more; resolves with what the server sent and when it closed. */
function stall(port: number, first: string, waitMs = 6000): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      clearTimeout(t);
      s.destroy();
      resolve({ text, ms: performance.now() - t0 });
    };
    const t = setTimeout(done, waitMs);
    s.on('data', (d) => (text += d.toString()));
    s.on('close', done);
    s.on('error', done);
    s.on('connect', () => s.write(first));
  });
}

describe('slow clients', () => {
  let backend: TestBackend;
  let gw: Awaited<ReturnType<typeof gatewayWith>>;
  beforeAll(async () => {
    backend = await startBackend(modelBehaviour('a'));
    gw = await gatewayWith({ limits: { headers_timeout_ms: 1000, request_timeout_ms: 1500, body_timeout_ms: 1000 }, routes: { fraud: splitRoute([backend.url]) } });
  });
  afterAll(async () => {
    await gw.close();
    await backend.close();
  });

  it('headers that never finish: 408 JSON within about a second of the limit', async () => {
    const r = await stall(gw.dataPort, 'POST /v1/models/fraud:predict HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const res = parseRaw(r.text);
    expect(res.status).toBe(408);
    expect(res.json.error.code).toBe('REQUEST_TIMEOUT');
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(r.ms).toBeLessThan(3000);
  });

  it('a body that stops halfway: 408 JSON, backend never called', async () => {
    const before = backend.seen.length;
    const r = await stall(gw.dataPort, 'POST /v1/models/fraud:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"instances":');
    const res = parseRaw(r.text);
    expect(res.status).toBe(408);
    expect(res.json.error.code).toBe('REQUEST_TIMEOUT');
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(r.ms).toBeLessThan(3000);
    expect(backend.seen.length).toBe(before);
  });
});
