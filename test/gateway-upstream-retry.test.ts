/**
 * Which backend failures are retried, against real backends: a backend that closes idle
 * keep-alive sockets early (without a Keep-Alive header) costs no 502s (the stale connection's
 * reset is retried once); a flapping backend (half the connects refused) gets at most
 * 1.2 x requests + 3 attempts, counted as undici dispatches them.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { modelBehaviour, sleep } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { predict } from './helpers/http.ts';
import { freePort } from './helpers/ports.ts';

const answer = modelBehaviour('a');

/** An HTTP backend that closes each keep-alive socket `idleMs` after its last answer, saying nothing about it. */
async function earlyClosingBackend(idleMs: number): Promise<{ url: string; server: Server; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const socket = req.socket as Socket & { idle?: NodeJS.Timeout };
      clearTimeout(socket.idle);
      res.on('finish', () => (socket.idle = setTimeout(() => socket.destroy(), idleMs)));
      const raw = Buffer.concat(chunks);
      answer({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw.toString(), raw }, res);
    });
  });
  server.keepAliveTimeout = 0; // no Keep-Alive header, no timer of Node's own
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, connections: () => connections };
}

/** A backend that listens for `upMs`, then refuses connects for `downMs`, in turn; every answer closes its connection. */
async function flappingBackend(upMs: number, downMs: number) {
  const port = await freePort();
  let stopped = false;
  const servers: Server[] = [];
  const cycle = (async () => {
    while (!stopped) {
      const s = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.shouldKeepAlive = false;
          res.setHeader('content-type', 'application/json');
          res.end('{"predictions":[0.5]}');
        });
      });
      servers.push(s);
      await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
      await sleep(upMs);
      s.close();
      await sleep(downMs);
    }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      stopped = true;
      await cycle;
      for (const s of servers) s.closeAllConnections();
    },
  };
}

describe('retries', () => {
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it('a backend closing idle sockets after ~the request spacing: zero 502s (stale resets retried once)', async () => {
    const idleMs = 300;
    const b = await earlyClosingBackend(idleMs);
    cleanup.push(() => new Promise((r) => (b.server.closeAllConnections(), b.server.close(r))));
    // the pool keeps idle sockets longer than this backend does: every reuse races its close
    const gw = await gatewayWith({ log: { enabled: false }, routes: { fraud: splitRoute([b.url], { upstream: { retries: 0, keep_alive_timeout_ms: 5000 } }) } });
    cleanup.push(() => gw.close());
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await predict(gw.url, { instances: [[i]] }, { 'x-user-id': 'u' })).status);
      await sleep(idleMs - 4 + (i % 5) * 2); // spaced around the backend's idle timeout
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(b.connections()).toBeGreaterThan(1); // the backend did close idle sockets
  }, 30_000);

  it('a flapping backend (half the connects refused), retries: 5: attempts <= 1.2 x requests + 3', async () => {
    const f = await flappingBackend(20, 20);
    cleanup.push(() => f.stop());
    const origin = new URL(f.url).origin;
    let attempts = 0;
    const onCreate = (m: unknown) => {
      const r = (m as { request: { origin: string } }).request;
      if (r.origin === origin) attempts++;
    };
    subscribe('undici:request:create', onCreate);
    cleanup.push(() => unsubscribe('undici:request:create', onCreate));
    const gw = await gatewayWith({ log: { enabled: false }, routes: { fraud: splitRoute([f.url], { upstream: { retries: 5 } }) } });
    cleanup.push(() => gw.close());
    const requests = 200;
    const statuses: number[] = [];
    for (let i = 0; i < requests; i += 4) {
      const batch = await Promise.all([0, 1, 2, 3].map((k) => predict(gw.url, { instances: [[i + k]] }, { 'x-user-id': `u${i + k}` })));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.length).toBe(requests);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0); // it does flap: some get through
    expect(statuses.filter((s) => s === 502).length).toBeGreaterThan(0);
    expect(attempts).toBeGreaterThanOrEqual(requests);
    expect(attempts).toBeLessThanOrEqual(1.2 * requests + 3);
  }, 60_000);
});
