/** What every benchmark here shares: backends, gateway processes, wrk parsing, the route. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { buildSync } from 'esbuild';
import { freePort, start, waitHttp } from './procs.ts';
// @ts-expect-error: a plain .mjs module without types
import { buildIsFresh } from '../bin/build-freshness.mjs';

export const tsx = ['--import', 'tsx'];

/**
 * A bench script (the backend, the load generator, the peer proxies) compiled once to plain
 * JavaScript in bench/.build/ (packages stay imports), so no process in the measurement runs
 * through tsx, whose esbuild `keepNames` wraps every function and costs ~40 % of throughput.
 */
export function compiled(script: string): string {
  mkdirSync('bench/.build', { recursive: true });
  const out = join('bench/.build', basename(script).replace(/\.ts$/, '.mjs'));
  buildSync({ entryPoints: [script], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'warning' });
  return out;
}

/** the request every benchmark client sends: ~400 bytes of KServe V1 JSON, 3 instances */
export const REQUEST_FILE = 'bench/request.json';
/** distinct x-user-id values the clients rotate through */
export const USERS = 10_000;

export const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** A benchmark model backend (bench/backend.ts) in its own process. */
export async function backend(): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = start(process.execPath, [compiled('bench/backend.ts'), String(port)]);
  await waitHttp(`http://127.0.0.1:${port}/`);
  return { port, proc };
}

/** A gateway process (`bin/modelgate.js gateway`, or another build's entry) serving route `fraud` with the given extra config. */
export async function gatewayProcess(route: Record<string, unknown>, extra: Record<string, unknown> = {}, bin = 'bin/modelgate.js', nodeArgs: string[] = []): Promise<{ url: string; proc: ChildProcess }> {
  // bin/modelgate.js runs src/ through tsx when dist/ is older than a source file: that would
  // measure tsx's wrappers (~40 % of throughput), not the build
  if (bin === 'bin/modelgate.js' && !buildIsFresh()) throw new Error('dist/ is older than src/: run `npm run build` before measuring');
  const port = await freePort();
  const file = join(mkdtempSync(join(tmpdir(), 'mg-bench-')), 'gw.yaml');
  writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, admin: { enabled: false }, log: { enabled: false }, routes: { fraud: route }, ...extra }));
  const proc = start(process.execPath, [...nodeArgs, bin, 'gateway', '--config', file], { MODELGATE_LOG_LEVEL: 'warn' });
  await waitHttp(`http://127.0.0.1:${port}/healthz`);
  return { url: `http://127.0.0.1:${port}/v1/models/fraud:predict`, proc };
}

/** A peer proxy (bench/floor-proxy.ts and the like) in its own process, compiled, splitting over v1/v2. */
export async function peerProcess(script: string, v1: number, v2: number): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = start(process.execPath, [compiled(script), String(port), String(v1), String(v2)]);
  await waitHttp(`http://127.0.0.1:${port}/`);
  return { url: `http://127.0.0.1:${port}/v1/models/fraud:predict`, proc };
}

let logTargets = 0;
/**
 * Config that turns the prediction log on against the bench's redis-server, under a key prefix
 * of its own per call. A gateway started with a config file adopts the routes Redis already
 * holds (config/file-vs-redis.ts: Redis wins), so log targets sharing one prefix would all run
 * the routes of whichever started first (a shadow target without its shadow, or the reverse).
 * Call it once per target.
 */
export function logConfig(redisUrl: string, log: Record<string, unknown> = {}): Record<string, unknown> {
  return { redis: { url: redisUrl, prefix: `bench${++logTargets}` }, log: { enabled: true, hmac_key: 'bench', ...log } };
}

/** Counter `name` summed over its series, from a Prometheus text exposition. */
export function counterTotal(metrics: string, name: string, labelMatch = ''): number {
  let total = 0;
  for (const line of metrics.split('\n')) if (line.startsWith(`${name}{`) && line.includes(labelMatch)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

/** The benchmark route: v1/v2 split 90/10 by x-user-id, and a 100 % shadow variant of it. */
export function benchRoutes(v1: number, v2: number, shadow: number) {
  const route = {
    models: ['fraud'],
    unit: { header: 'x-user-id' },
    variants: [
      { name: 'v1', backend: `http://127.0.0.1:${v1}`, version: '1', weight: 90 },
      { name: 'v2', backend: `http://127.0.0.1:${v2}`, version: '2', weight: 10 },
    ],
  };
  return { route, withShadow: { ...route, shadows: [{ name: 's', backend: `http://127.0.0.1:${shadow}`, percent: 100, max_inflight: 256 }] } };
}

/** requests, req/s, p50/p99 (ms) and errors (non-2xx + socket errors) from `wrk --latency`. */
export function parseWrk(out: string) {
  const num = (re: RegExp) => Number(out.match(re)?.[1] ?? NaN);
  const ms = (s: string | undefined) => (s ? (s.endsWith('us') ? parseFloat(s) / 1000 : s.endsWith('ms') ? parseFloat(s) : parseFloat(s) * 1000) : NaN);
  const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    requests: num(/(\d+) requests in/),
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: ms(out.match(/50%\s+([\d.]+\w+)/)?.[1]),
    p99: ms(out.match(/99%\s+([\d.]+\w+)/)?.[1]),
    errors: (num(/Non-2xx or 3xx responses: (\d+)/) || 0) + (sock ? sock.slice(1).reduce((s, x) => s + Number(x), 0) : 0),
  };
}

/** A private redis-server on a free port (nothing saved), once it answers PING. */
export async function redisServer(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, proc };
}

/** the median of the finite values (NaN when there are none) */
export const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
