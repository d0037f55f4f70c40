/**
 * `modelgate gateway --workers 2` as a real child process: both workers serve the one data
 * port, /metrics and the admin API's live stats are the sum over the workers, an admin change reaches every worker (over IPC
 * without Redis, through the shared store with Redis), a killed worker is restarted and
 * counted, and SIGTERM drains everything and exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBehaviour, startBackend, type TestBackend } from './helpers/backend.ts';
import { freePort } from './helpers/ports.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { until } from './helpers/wait.ts';

const TOKEN = 'workers-test-token';
/** a gateway started from the TypeScript sources forks two more tsx processes: slow on a busy machine */
const START_MS = 90_000;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a new connection (agent: false), so the primary deals it to any worker. */
function fresh(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** the value of one sample line of an exposition, summed over the lines that match */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

interface Replica {
  proc: ChildProcess;
  port: number;
  adminPort: number;
  exit: Promise<number | null>;
  output: () => string;
}

async function startReplica(extra: Record<string, unknown>, backends: TestBackend[]): Promise<Replica> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const file = join(mkdtempSync(join(tmpdir(), 'mg-workers-')), 'gw.yaml');
  const config = {
    listen: { host: '127.0.0.1', port },
    admin: { host: '127.0.0.1', port: adminPort },
    log: { enabled: false },
    routes: {
      fraud: {
        models: ['fraud'],
        variants: [
          { name: 'a', backend: backends[0].url, version: '1', weight: 50 },
          { name: 'b', backend: backends[1].url, version: '2', weight: 50 },
        ],
      },
    },
    ...extra,
  };
  writeFileSync(file, JSON.stringify(config));
  const proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file, '--workers', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MODELGATE_ADMIN_TOKENS: `ops:${TOKEN}`, MODELGATE_LOG_LEVEL: 'info' },
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  // the primary logs "gateway listening" with `workers` once every worker listens
  await until('the primary to report both workers listening', () => (/"workers":2,.*"msg":"gateway listening"/.test(out) ? true : proc.exitCode !== null ? Promise.reject(new Error(out)) : undefined), START_MS, 100, () => out.slice(-2000));
  return { proc, port, adminPort, exit, output: () => out };
}

const pidsOf = async (port: number, tries: number): Promise<Set<number>> => {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) pids.add(JSON.parse((await fresh(port, 'GET', '/healthz')).body).pid);
  return pids;
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** changes the weights through the replica's admin API; returns the new config version */
async function changeWeights(r: Replica, weights: Record<string, number>): Promise<number> {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const cur = await fresh(r.adminPort, 'GET', '/admin/routes/fraud', undefined, auth);
  expect(cur.status).toBe(200);
  const res = await fresh(r.adminPort, 'PATCH', '/admin/routes/fraud/weights', JSON.stringify({ weights }), { ...auth, 'if-match': String(cur.headers.etag) });
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body).version;
}

/** every worker serves the change: the replica's config_version is the min over its workers */
async function expectAllWorkersOn(r: Replica, version: number) {
  await until(`config_version ${version} on every worker`, async () => (sample((await fresh(r.port, 'GET', '/metrics')).body, 'modelgate_config_version') === version ? true : undefined), 20_000, 50);
  const variants = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const p = await fresh(r.port, 'POST', '/v1/models/fraud:predict', JSON.stringify({ instances: [[i]] }));
    expect(p.status).toBe(200);
    variants.add(String(p.headers['x-model-variant']));
  }
  expect([...variants]).toEqual(['b']);
}

async function stopReplica(r: Replica, workerPids: number[]) {
  r.proc.kill('SIGTERM');
  expect(await r.exit).toBe(0);
  await until('every worker to exit', () => (workerPids.every((p) => !alive(p)) ? true : undefined), 15_000);
}

describe('gateway --workers 2 without Redis', () => {
  let backends: TestBackend[];
  let r: Replica;
  beforeAll(async () => {
    backends = [await startBackend(modelBehaviour('a')), await startBackend(modelBehaviour('b'))];
    r = await startReplica({}, backends);
  }, START_MS + 10_000);
  afterAll(async () => {
    if (r?.proc.exitCode === null) r.proc.kill('SIGKILL');
    await Promise.all(backends.map((b) => b.close()));
  });

  it('both workers serve the data port, and /metrics sums their counters', async () => {
    const pids = await until('two workers answering', async () => ((await pidsOf(r.port, 10)).size === 2 ? true : undefined), 20_000);
    expect(pids).toBe(true);
    const N = 40;
    for (let i = 0; i < N; i++) expect((await fresh(r.port, 'POST', '/v1/models/fraud:predict', JSON.stringify({ instances: [[i]] }), { 'x-user-id': `u${i}` })).status).toBe(200);
    const text = (await fresh(r.port, 'GET', '/metrics')).body;
    expect(sample(text, 'modelgate_requests_total', { route: 'fraud', status: '200' })).toBe(N);
    expect(sample(text, 'modelgate_request_duration_seconds_count', { route: 'fraud' })).toBe(N);
    expect(sample(text, 'modelgate_workers')).toBe(2);
    expect(sample(text, 'modelgate_worker_restarts_total')).toBe(0);
  });

  it('the admin API\'s live stats count the requests of every worker, not one', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const before = JSON.parse((await fresh(r.adminPort, 'GET', '/admin/stats', undefined, auth)).body);
    const total = (s: any) => Object.values(s.routes.fraud.variants as Record<string, { requests_total: number }>).reduce((n, v) => n + v.requests_total, 0);
    const N = 30;
    // each on a new connection, so both workers serve some (the first test shows they do)
    for (let i = 0; i < N; i++) expect((await fresh(r.port, 'POST', '/v1/models/fraud:predict', JSON.stringify({ instances: [[i]] }), { 'x-user-id': `s${i}` })).status).toBe(200);
    const res = await fresh(r.adminPort, 'GET', '/admin/stats', undefined, auth);
    expect(res.status, res.body).toBe(200);
    const after = JSON.parse(res.body);
    expect(total(after) - total(before)).toBe(N);
    expect(total(after)).toBe(sample((await fresh(r.port, 'GET', '/metrics')).body, 'modelgate_requests_total', { route: 'fraud' }));
    expect(after.routes.fraud.variants.a.p99_ms).not.toBeNull();
  });

  it('an admin change made in the primary reaches both workers', async () => {
    const version = await changeWeights(r, { a: 0, b: 100 });
    expect(version).toBe(2);
    await expectAllWorkersOn(r, version);
  });

  it('a killed worker is restarted, counted, and gets the current config', async () => {
    const [victim] = await pidsOf(r.port, 1);
    process.kill(victim, 'SIGKILL');
    const text = await until(
      'the worker restart to be counted and two workers to listen',
      async () => {
        const t = (await fresh(r.port, 'GET', '/metrics')).body;
        return sample(t, 'modelgate_worker_restarts_total') === 1 && sample(t, 'modelgate_workers') === 2 ? t : undefined;
      },
      START_MS,
      200,
    );
    expect(sample(text, 'modelgate_config_version')).toBe(2);
    const pids = await until('two live workers, the killed one not among them', async () => {
      const p = await pidsOf(r.port, 10);
      return p.size === 2 && !p.has(victim) ? p : undefined;
    });
    await expectAllWorkersOn(r, 2);
    await stopReplica(r, [...pids]);
  }, START_MS + 30_000);
});

describe('gateway --workers 2 with Redis', () => {
  let backends: TestBackend[];
  let redis: PrivateRedis;
  let r: Replica;
  beforeAll(async () => {
    backends = [await startBackend(modelBehaviour('a')), await startBackend(modelBehaviour('b'))];
    redis = await startRedis();
    r = await startReplica({ redis: { url: redis.url, prefix: 'workers' } }, backends);
  }, START_MS + 10_000);
  afterAll(async () => {
    if (r?.proc.exitCode === null) r.proc.kill('SIGKILL');
    await Promise.all(backends.map((b) => b.close()));
    await redis?.stop();
  });

  it('each worker follows the shared store: a change through the admin API reaches both; SIGTERM exits 0', async () => {
    const pids = await until('two workers answering', async () => {
      const p = await pidsOf(r.port, 10);
      return p.size === 2 ? p : undefined;
    });
    await expectAllWorkersOn(r, await changeWeights(r, { a: 0, b: 100 }));
    await stopReplica(r, [...pids]);
  }, 60_000);
});

describe('gateway --workers 2 whose workers cannot listen', () => {
  const taken = createServer();
  let proc: ChildProcess | undefined;
  afterAll(() => {
    proc?.kill('SIGKILL');
    taken.close();
  });

  it('gives up and exits 1 (the data port is taken) instead of restarting them forever', async () => {
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const file = join(mkdtempSync(join(tmpdir(), 'mg-workers-')), 'gw.yaml');
    writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, admin: { enabled: false }, log: { enabled: false }, routes: {} }));
    proc = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file, '--workers', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => proc!.on('exit', (c) => r(c)));
    expect(code, out.slice(-2000)).toBe(1);
    expect(out).toMatch(/EADDRINUSE/);
    expect(out).toMatch(/die before listening/);
  }, START_MS);
});
