/**
 * A private 3-master Redis Cluster on free loopback ports, started and stopped by the test:
 * `redis-server --cluster-enabled yes` x3 in a temp dir (no persistence), then
 * `redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes`, then waits for
 * `cluster_state:ok` on every node. Each node's bus port is its port + 10000 (both free).
 * `cluster-require-full-coverage no`: when a master dies the others keep serving their slots
 * (the default `yes` stops the whole cluster; docs/redis-cluster.md says both).
 * killMaster() is a real SIGKILL.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { until } from './wait.ts';

const run = promisify(execFile);

export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  /** first..last slot ranges this master serves */
  slots: Array<[number, number]>;
  alive: boolean;
}

export interface PrivateRedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** comma-separated seed URLs, as `redis.url` takes them with `redis.cluster: true` */
  readonly url: string;
  /** CLUSTER KEYSLOT from a live node */
  keyslot(key: string): Promise<number>;
  /** the master serving `key` */
  nodeOf(key: string): Promise<ClusterNode>;
  /** SIGKILL one master's process */
  kill(node: ClusterNode): Promise<void>;
  stop(): Promise<void>;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free port whose bus port (+10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(p) || taken.has(p + 10_000)) continue;
    if ((await canBind(p)) && (await canBind(p + 10_000))) {
      taken.add(p);
      taken.add(p + 10_000);
      return p;
    }
  }
  throw new Error('no free port pair for a cluster node');
}

const cli = async (port: number, ...args: string[]): Promise<string> => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 })).stdout;

export async function startRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-rcluster-'));
  const taken = new Set<number>();
  const procs = new Map<number, ChildProcess>();
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < masters; i++) {
    const port = await clusterPort(taken);
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '1000', '--cluster-require-full-coverage', 'no', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    procs.set(port, proc);
    nodes.push({ port, url: `redis://127.0.0.1:${port}`, slots: [], alive: true });
  }
  const stop = async () => {
    await Promise.all([...procs.values()].map((p) => killProc(p)));
    procs.clear();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const n of nodes) await until(`redis ${n.port} up`, async () => ((await cli(n.port, 'ping').catch(() => '')).includes('PONG') ? true : undefined), 10_000, 50);
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    for (const n of nodes) await until(`cluster_state:ok on ${n.port}`, async () => ((await cli(n.port, 'cluster', 'info')).includes('cluster_state:ok') ? true : undefined), 20_000, 100);
    // every node must see all the others' slots before a client trusts CLUSTER SLOTS
    for (const n of nodes) await until(`full slot map on ${n.port}`, async () => ((await cli(n.port, 'cluster', 'info')).includes('cluster_slots_ok:16384') ? true : undefined), 20_000, 100);
    const slots = await cli(nodes[0].port, '--json', 'cluster', 'slots').catch(() => '');
    const parsed = slots.trim().startsWith('[') ? (JSON.parse(slots) as unknown[][]) : [];
    for (const r of parsed) {
      const port = Number((r[2] as unknown[])[1]);
      nodes.find((n) => n.port === port)?.slots.push([Number(r[0]), Number(r[1])]);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const live = () => nodes.find((n) => n.alive) ?? nodes[0];
  const keyslot = async (key: string) => Number((await cli(live().port, 'cluster', 'keyslot', key)).trim());
  return {
    nodes,
    url: nodes.map((n) => n.url).join(','),
    keyslot,
    async nodeOf(key) {
      const slot = await keyslot(key);
      const n = nodes.find((x) => x.slots.some(([a, b]) => slot >= a && slot <= b));
      if (!n) throw new Error(`no master serves slot ${slot}`);
      return n;
    },
    async kill(node) {
      const p = procs.get(node.port);
      if (p) await killProc(p);
      procs.delete(node.port);
      node.alive = false;
    },
    stop,
  };
}

function killProc(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}
