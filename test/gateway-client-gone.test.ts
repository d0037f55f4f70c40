/**
 * Clients that go away or stop reading: an answer not taken within limits.response_timeout_ms
 * is destroyed and counted; a client that disconnects cancels its backend request at once and
 * frees the in-flight slot.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { until } from './helpers/wait.ts';

const BIG = 24 * 1024 * 1024;
const request = (body: string) => `POST /v1/models/fraud:predict HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nX-User-Id: u\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const metric = async (base: string, re: RegExp) => Number(re.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? NaN);

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

describe('clients that go away', () => {
  let backend: TestBackend;
  const aborted: string[] = [];
  beforeAll(async () => {
    const big = Buffer.alloc(BIG, 0x20);
    Buffer.from('{"predictions":[0.5],"pad":"').copy(big);
    big.write('"}', BIG - 2);
    const normal = modelBehaviour('a');
    backend = await startBackend((req, res) => {
      if (req.body.includes('"big"')) return void res.end(big);
      if (!req.body.includes('"hang"')) return normal(req, res);
      res.on('close', () => {
        if (!res.writableEnded) aborted.push(req.body); // the gateway cancelled the request
      });
    });
  });
  afterAll(() => backend.close());

  it('a client that stops reading a 24 MiB answer: destroyed at limits.response_timeout_ms and counted', async () => {
    const gw = await gatewayWith({ log: { enabled: false }, limits: { response_timeout_ms: 1000 }, routes: { fraud: splitRoute([backend.url], { upstream: { max_response_bytes: 32 * 1024 * 1024 } }) } });
    const s = await open(gw.dataPort);
    s.pause(); // never reads: the kernel buffers fill and the gateway is left holding the rest
    let received = 0;
    let closed = false;
    s.on('data', (c: Buffer) => (received += c.length));
    s.on('close', () => (closed = true));
    s.on('error', () => {});
    s.write(request('{"instances":[[1]],"big":1}'));
    const timeouts = /modelgate_response_write_timeouts_total (\d+)/;
    await until('the write deadline to fire', async () => ((await metric(gw.url, timeouts)) === 1 ? true : undefined), 15_000);
    s.resume();
    await until('the client socket to close', () => (closed ? true : undefined), 10_000);
    expect(received).toBeLessThan(BIG); // cut: what the kernels held, not the whole answer
    expect((await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' })).status).toBe(200);
    await gw.close();
  }, 40_000);

  it('3 clients that disconnect with max_inflight 3: backend requests cancelled at once, slots freed, counted', async () => {
    const gw = await gatewayWith({ routes: { fraud: splitRoute([backend.url], { upstream: { max_inflight: 3, timeout_ms: 30_000 } }) } });
    const clients = await Promise.all([1, 2, 3].map(() => open(gw.dataPort)));
    clients.forEach((s, i) => s.write(request(`{"instances":[[${i}]],"hang":1}`)));
    await until('the backend to hold 3 requests', () => (backend.seen.filter((r) => r.body.includes('"hang"')).length === 3 ? true : undefined), 10_000);
    for (const s of clients) s.destroy();
    // the backend sees its requests aborted long before the 30 s upstream timeout
    await until('the backend to see 3 aborted requests', () => (aborted.length === 3 ? true : undefined), 10_000, 25, () => aborted.length);
    const r = await predict(gw.url, { instances: [[1]] }, { 'x-user-id': 'u' });
    expect(r.status).toBe(200);
    expect(await metric(gw.url, /modelgate_upstream_cancelled_total\{route="fraud",variant="v1"\} (\d+)/)).toBe(3);
    expect(await metric(gw.url, /modelgate_requests_total\{route="fraud",variant="v1",status="499",[^}]*\} (\d+)/)).toBe(3);
    await gw.close();
  }, 40_000);
});
