/**
 * Flat resources (RELIABILITY.md #9): after sustained load, and after a backend dies and comes
 * back mid-load, the gateway process's file descriptors return to their baseline and its
 * memory does not keep growing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { modelBehaviour, sleep, startBackend } from './helpers/backend.ts';
import { freePort } from './helpers/ports.ts';
import { until } from './helpers/wait.ts';

const fds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
/**
 * Idle sockets close within the keep-alive timeouts: 1 s on the client side, and on the pool
 * side the backend's `Keep-Alive: timeout=60` hint as undici believes it (capped at 30 s, less
 * 2 s). The wait ends as soon as the count is back; its bound is that plus a margin.
 */
const IDLE_CLOSE_MS = 45_000;

/** the fd count once it has not changed for `quietMs` (idle keep-alive sockets closed on both sides) */
function settledFds(pid: number, quietMs = 1500): Promise<number> {
  let last = fds(pid);
  let since = Date.now();
  return until('the fd count to settle', () => {
    const n = fds(pid);
    if (n !== last) [last, since] = [n, Date.now()];
    return Date.now() - since >= quietMs ? n : undefined;
  }, IDLE_CLOSE_MS, 100);
}
const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;

async function load(url: string, n: number, concurrency: number): Promise<Record<number, number>> {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: concurrency });
  const statuses: Record<number, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        try {
          const r = await pool.request({ path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'x-user-id': `u${i % 500}` }, body: `{"instances":[[${i}]]}` });
          await r.body.dump();
          statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1;
        } catch {
          statuses[0] = (statuses[0] ?? 0) + 1;
        }
      }
    }),
  );
  await pool.close();
  return statuses;
}

describe('soak', () => {
  it('file descriptors return to baseline and memory stays flat after load and a backend fault', async () => {
    const bport = await freePort();
    let backend = await startBackend(modelBehaviour('a'), bport);
    const port = await freePort();
    const file = join(mkdtempSync(join(tmpdir(), 'mg-soak-')), 'gw.yaml');
    writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, limits: { keep_alive_timeout_ms: 1000, drain_delay_ms: 0 }, admin: { enabled: false }, routes: { fraud: { models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend: backend.url, version: '1', weight: 100 }], upstream: { retries: 0 } } } }));
    const proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], { stdio: 'ignore', env: { ...process.env, MODELGATE_LOG_LEVEL: 'warn' } });
    try {
      const url = `http://127.0.0.1:${port}/v1/models/fraud:predict`;
      await until('the gateway to listen', async () => ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ? true : undefined), 30_000, 100);
      await load(url, 3000, 64); // warm up: JIT, and the backend pool at the size the load uses
      const fd0 = await settledFds(proc.pid!);
      const rss0 = rssMb(proc.pid!);

      const first = await load(url, 15_000, 64);
      expect(first[200]).toBe(15_000);
      // V8 sizes its heap during the first round; a leak shows as growth after it
      const rssA = rssMb(proc.pid!);
      // the backend dies mid-load and comes back on the same port
      const during = load(url, 15_000, 64);
      await sleep(300);
      await backend.close();
      await sleep(500);
      backend = await startBackend(modelBehaviour('a'), bport);
      const second = await during;
      expect((second[200] ?? 0) + (second[502] ?? 0)).toBe(15_000);
      expect(second[502] ?? 0).toBeGreaterThan(0);
      expect((await load(url, 15_000, 64))[200]).toBe(15_000);
      const rssC = rssMb(proc.pid!);
      // idle keep-alive connections close on both sides: back to the baseline
      const fd1 = await until('fds back to baseline', () => (fds(proc.pid!) <= fd0 + 4 ? fds(proc.pid!) : undefined), IDLE_CLOSE_MS, 100, () => ({ fd0, now: fds(proc.pid!) })).catch(() => fds(proc.pid!));
      expect(fd1, `fds ${fd0} -> ${fd1}`).toBeLessThanOrEqual(fd0 + 4);
      // 30,000 more requests after the heap settled: a leak of ~1.5 KB per request would be 45 MB.
      // V8 keeps growing its heap lazily for a while on a busy machine (up to ~31 MB seen without
      // any leak), so the bound sits above that noise.
      expect(rssC - rssA, `rss ${rss0.toFixed(1)} (idle) -> ${rssA.toFixed(1)} (after round 1) -> ${rssC.toFixed(1)} MB (after round 3)`).toBeLessThan(40);
      expect((await load(url, 500, 16))[200]).toBe(500);
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      await backend.close();
    }
  }, 180_000);
});
