/**
 * SIGTERM drain, as a load balancer or Kubernetes expects, against a real child gateway
 * process and a keep-alive client sending every 50 ms through the whole sequence: /readyz
 * 503 at once, serving with `Connection: close` for limits.drain_delay_ms, then the listener
 * stops (connections refused), in-flight requests finish, exit 0. Zero resets, zero errors.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, sleep, startBackend, type TestBackend } from './helpers/backend.ts';
import { gatewayWith, splitRoute } from './helpers/gateway.ts';
import { freePort } from './helpers/ports.ts';
import { until } from './helpers/wait.ts';

const DRAIN_DELAY_MS = 800;

interface Outcome {
  at: number; // sent, ms since SIGTERM was sent (negative before)
  end: number; // answered or failed, same clock
  status?: number;
  connection?: string;
  error?: string;
}

describe('SIGTERM drain under keep-alive load', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    const answer = modelBehaviour('a');
    backend = await startBackend(async (req, res) => {
      await sleep(100); // requests are in flight at every step of the drain
      answer(req, res);
    });
  });
  afterAll(() => backend.close());

  it('readyz 503 at once, Connection: close while serving, then refusals only, zero resets, exit 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const file = join(mkdtempSync(join(tmpdir(), 'mg-drain-')), 'gw.yaml');
    writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, admin: { enabled: false }, limits: { drain_delay_ms: DRAIN_DELAY_MS, shutdown_timeout_ms: 5000 }, routes: { fraud: splitRoute([backend.url]) } }));
    const proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], { stdio: ['ignore', 'ignore', 'ignore'] });
    let exitedAt: number | undefined;
    const exit = new Promise<number | null>((r) => proc.on('exit', (code) => ((exitedAt = performance.now()), r(code))));
    await until('the gateway to listen', async () => ((await fetch(`${base}/healthz`).catch(() => undefined))?.ok ? true : undefined), 30_000, 100);

    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 8 });
    let termAt = Infinity;
    const outcomes: Outcome[] = [];
    const readyz: Outcome[] = [];
    const send = async (path: string, into: Outcome[], body?: string) => {
      const o: Outcome = { at: 0, end: 0 };
      const t0 = performance.now();
      try {
        const r = await request(`${base}${path}`, { dispatcher: agent, method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json', 'x-user-id': 'u' }, body });
        await r.body.text();
        o.status = r.statusCode;
        o.connection = String(r.headers.connection ?? '');
      } catch (e) {
        o.error = (e as { code?: string }).code ?? String(e);
      }
      o.at = t0 - termAt;
      o.end = performance.now() - termAt;
      into.push(o);
    };
    const pending: Promise<void>[] = [];
    const loop = (async () => {
      while (exitedAt === undefined || performance.now() - exitedAt < 200) {
        pending.push(send('/v1/models/fraud:predict', outcomes, '{"instances":[[1]]}'));
        if (termAt !== Infinity) pending.push(send('/readyz', readyz));
        await sleep(50);
      }
    })();
    await until('steady keep-alive traffic', () => (outcomes.filter((o) => o.status === 200).length >= 10 ? true : undefined), 20_000);
    termAt = performance.now();
    proc.kill('SIGTERM');
    expect(await exit).toBe(0);
    await loop;
    await Promise.all(pending);
    await agent.close();

    const show = () => JSON.stringify({ outcomes: outcomes.filter((o) => o.at > -200), readyz: readyz.slice(0, 8) });
    const before = outcomes.filter((o) => o.end < 0);
    expect(before.every((o) => o.status === 200 && o.connection === 'keep-alive'), show()).toBe(true);
    const refused = outcomes.filter((o) => o.error === 'ECONNREFUSED');
    expect(refused.length, show()).toBeGreaterThan(0);
    const closedAt = Math.min(...refused.map((o) => o.end));
    expect(closedAt, show()).toBeGreaterThanOrEqual(DRAIN_DELAY_MS - 50);
    // Nothing the gateway accepted failed: every request that reached the backend was answered
    // 200. The one failure TCP itself allows is a connection the kernel completed but the process
    // had not yet accepted when the listen socket closed (Linux resets its backlog): that request
    // never reached the gateway, and it can only end at the instant of the close. On a busy
    // machine one request may land in that window (docs/operations.md, "Draining").
    const ok = outcomes.filter((o) => o.status === 200);
    expect(backend.seen.length, show()).toBe(ok.length);
    const failed = outcomes.filter((o) => o.status !== 200 && o.error !== 'ECONNREFUSED');
    const backlogResets = failed.filter((o) => o.error === 'ECONNRESET' && o.end <= closedAt + 5 && o.end >= closedAt - 100);
    expect(backlogResets.length, show()).toBeLessThanOrEqual(1);
    expect(failed.filter((o) => !backlogResets.includes(o)), show()).toEqual([]);
    // during the drain: not ready, still serving, and every answer closes its connection
    const notReady = readyz.find((o) => o.status === 503);
    expect(notReady, show()).toBeDefined();
    expect(readyz.filter((o) => o.status !== undefined && o.at > notReady!.end).every((o) => o.status === 503), show()).toBe(true);
    // requests sent once /readyz said 503 were accepted during the drain
    const drainAnswers = outcomes.filter((o) => o.status === 200 && o.at > notReady!.end);
    expect(drainAnswers.length, show()).toBeGreaterThan(3);
    expect(drainAnswers.every((o) => o.connection === 'close'), show()).toBe(true);
  }, 60_000);
});

describe('a connection accepted just before the listener closes', () => {
  it('gets its request served (Connection: close) after the close, not a reset', async () => {
    const answer = modelBehaviour('a');
    const backend = await startBackend((req, res) => answer(req, res));
    const gw = await gatewayWith({ admin: { enabled: false }, limits: { drain_delay_ms: 300, shutdown_timeout_ms: 5000 }, routes: { fraud: splitRoute([backend.url]) } });
    try {
      const sock = connect(gw.dataPort, '127.0.0.1');
      await once(sock, 'connect');
      let raw = '';
      sock.on('data', (d: Buffer) => (raw += d.toString('latin1')));
      const closed = once(sock, 'close');
      const drained = gw.drain();
      // the listener is closed once a new connection is refused; only then does the request go
      await until('the listener to close', () => new Promise<true | undefined>((r) => {
        const probe = connect(gw.dataPort, '127.0.0.1');
        probe.once('connect', () => (probe.destroy(), r(undefined)));
        probe.once('error', (e: NodeJS.ErrnoException) => r(e.code === 'ECONNREFUSED' ? true : undefined));
      }), 10_000, 20);
      const body = '{"instances":[[1]]}';
      sock.write(`POST /v1/models/fraud:predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      await closed;
      await drained;
      expect(raw).toMatch(/^HTTP\/1\.1 200 /);
      expect(raw.toLowerCase()).toContain('connection: close');
    } finally {
      await gw.close().catch(() => {});
      await backend.close();
    }
  }, 30_000);
});
