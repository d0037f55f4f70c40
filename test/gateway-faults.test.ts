/** Backend faults: killed mid-response, hanging, refusing; the in-flight cap; SIGTERM drain. */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, sleep, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { freePort } from './helpers/ports.ts';

describe('backend faults', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend(modelBehaviour('a'));
  });
  afterAll(() => backend.close());

  it('a backend that dies mid-response gives 502, never a truncated 200', async () => {
    backend.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"predictions": [0.1, ');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const gw = await gatewayWith({ routes: { fraud: splitRoute([backend.url]) } });
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' });
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.headers['x-model-variant']).toBe('v1');
    expect(r.json.error.request_id).toBe(r.headers['x-request-id']);
    await gw.close();
    backend.behave(modelBehaviour('a'));
  });

  it('a backend hanging past the timeout gives 504 at the deadline (sub-second accuracy)', async () => {
    backend.behave(() => {}); // never answers
    const gw = await gatewayWith({ routes: { fraud: splitRoute([backend.url], { upstream: { timeout_ms: 300 } }) } });
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' });
    expect(r.status).toBe(504);
    expect(r.json.error.code).toBe('UPSTREAM_TIMEOUT');
    expect(r.ms).toBeGreaterThanOrEqual(290);
    expect(r.ms).toBeLessThan(800);
    await gw.close();
    backend.behave(modelBehaviour('a'));
  });

  it('a refused connection gives 502 after the allowed retries, counted', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const gw = await gatewayWith({ routes: { fraud: splitRoute([dead], { upstream: { retries: 2 } }) } });
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' });
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('UPSTREAM_UNAVAILABLE');
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/modelgate_upstream_retries_total\{route="fraud",variant="v1"\} 2/);
    expect(text).toMatch(/modelgate_upstream_errors_total\{route="fraud",variant="v1",reason="connect"\} 1/);
    await gw.close();
  });

  it('the in-flight caps answer 503 at once, and the gateway recovers', async () => {
    backend.behave(async (req, res) => {
      await sleep(300);
      modelBehaviour('a')(req, res);
    });
    const gw = await gatewayWith({ limits: { max_inflight: 4 }, routes: { fraud: splitRoute([backend.url]) } });
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => predict(gw.url, { instances: [[i]] }, { 'x-user-id': `u${i}` })));
    const over = replies.filter((r) => r.status === 503);
    expect(over.length).toBe(6);
    for (const r of over) {
      expect(r.json.error.code).toBe('OVER_CAPACITY');
      expect(r.ms).toBeLessThan(250);
    }
    expect(replies.filter((r) => r.status === 200).length).toBe(4);
    expect((await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' })).status).toBe(200);
    await gw.close();
    const gw2 = await gatewayWith({ routes: { fraud: splitRoute([backend.url], { upstream: { max_inflight: 2 } }) } });
    const r2 = await Promise.all(Array.from({ length: 5 }, (_, i) => predict(gw2.url, { instances: [[i]] }, { 'x-user-id': `u${i}` })));
    expect(r2.filter((r) => r.status === 503).length).toBe(3);
    expect(await (await fetch(`${gw2.url}/metrics`)).text()).toMatch(/modelgate_upstream_errors_total\{route="fraud",variant="v1",reason="over_capacity"\} 3/);
    await gw2.close();
    backend.behave(modelBehaviour('a'));
  });

  it('SIGTERM: stops accepting, finishes in-flight requests, exits 0', async () => {
    backend.behave(async (req, res) => {
      await sleep(700);
      modelBehaviour('a')(req, res);
    });
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'mg-'));
    const file = join(dir, 'gw.yaml');
    writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, admin: { enabled: false }, limits: { drain_delay_ms: 200 }, routes: { fraud: splitRoute([backend.url]) } }));
    const proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        await sleep(100);
      }
    }
    const inflight = Promise.all(Array.from({ length: 5 }, (_, i) => predict(`http://127.0.0.1:${port}`, { instances: [[i]] }, { 'x-user-id': `u${i}` })));
    await sleep(200);
    proc.kill('SIGTERM');
    const replies = await inflight;
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await exit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    backend.behave(modelBehaviour('a'));
  }, 30_000);
});
