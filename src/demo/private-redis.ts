/** The demo's own redis-server, when REDIS_URL is unset and redis-server exists. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

const answers = (port: number) =>
  new Promise<boolean>((r) => {
    const c = createConnection(port, '127.0.0.1');
    c.once('connect', () => (c.end(), r(true)));
    c.once('error', () => (c.destroy(), r(false)));
  });

export interface PrivateRedis {
  url: string;
  proc: ChildProcess;
  /** stops the server and removes its folder; synchronous, so it also runs in an 'exit' handler */
  stop(): void;
}

/** Starts redis-server on `port` (default: a free one) in a temp folder; rejects if it does not come up. */
export async function startPrivateRedis(port?: number, timeoutMs = 10_000): Promise<PrivateRedis> {
  const p = port ?? (await freePort());
  if (await answers(p)) throw new Error(`port ${p} (for the demo's redis-server) is already in use`);
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-demo-redis-'));
  const proc = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d) => (output = (output + d).slice(-2000)));
  proc.stderr?.on('data', (d) => (output = (output + d).slice(-2000)));
  const stop = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); // no data to keep: --save '' and no AOF
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      stop();
      throw new Error(`redis-server did not start on port ${p}: ${output.trim().split('\n').pop() ?? ''}`);
    }
    if (await answers(p)) break;
    if (Date.now() > deadline) {
      stop();
      throw new Error(`redis-server did not answer on port ${p} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.stdout?.resume();
  proc.stderr?.resume();
  return { url: `redis://127.0.0.1:${p}`, proc, stop };
}
