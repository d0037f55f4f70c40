/**
 * `npm run bench`: one run, one machine, every target against the same backends.
 * For each target: requests/s, p50 and p99 at saturation (wrk, 64 connections; autocannon
 * when wrk is missing) and at a fixed 2,000 requests/s (bench/loadgen.ts), and the proxy's
 * CPU microseconds per request (process CPU time / requests, from /proc).
 * Env: BENCH_SECONDS (default 10), BENCH_ONLY (comma list of target names), BENCH_RATE (2000).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, run, start, stop, totalCpu, waitHttp } from './procs.ts';
import { backend, benchRoutes, fmt, gatewayProcess, parseWrk, tsx } from './common.ts';
import { hasNginx, nginxConfig, startNginx } from './nginx.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const ONLY = process.env.BENCH_ONLY?.split(',');
const hasWrk = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).status !== 127 && spawnSync('which', ['wrk']).status === 0;

interface Target {
  name: string;
  url: string;
  pids: () => number[];
  /** other processes whose CPU the target causes (Redis for logging) */
  sidePids?: () => number[];
  stop: () => Promise<void>;
}
interface Row {
  name: string;
  satRps: number;
  satP50: number;
  satP99: number;
  satCpuUs: number;
  fixP50: number;
  fixP99: number;
  fixCpuUs: number;
  sideCpuUs: number;
  errors: number;
}

async function saturate(url: string) {
  if (hasWrk) return parseWrk(await run('wrk', ['-t1', '-c64', `-d${SECONDS}s`, '--latency', '-s', 'bench/wrk-post.lua', url]));
  const out = await run(process.execPath, ['node_modules/autocannon/autocannon.js', '-c', '64', '-d', String(SECONDS), '-m', 'POST', '-H', 'content-type=application/json', '-b', '{"instances":[{"amount":120.5,"merchant_risk":0.31,"hour":23,"country":"BR"}]}', '--json', url]);
  const j = JSON.parse(out.slice(out.indexOf('{')));
  return { requests: j.requests.total, rps: j.requests.average, p50: j.latency.p50, p99: j.latency.p99, errors: j.non2xx + j.errors };
}

/** Fixed-rate runs repeated REPEATS times; the median run (by p99) is reported, since one
 * scheduling hiccup of a shared 2-core VM moves a single run's p99 by tens of ms. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
async function fixed(url: string) {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) {
    const out = await run(process.execPath, [...tsx, 'bench/loadgen.ts', url, String(RATE), String(Math.max(2, Math.round(SECONDS / 2))), '64']);
    runs.push(JSON.parse(out.trim().split('\n').at(-1)!));
  }
  runs.sort((a, b) => a.p99 - b.p99);
  const total = runs.reduce((s, r) => s + r.requests, 0);
  return { ...runs[Math.floor(runs.length / 2)], requests: total, errors: runs.reduce((s, r) => s + r.errors, 0) };
}

async function measure(t: Target): Promise<Row> {
  // warm up (JIT, pools)
  await run(process.execPath, [...tsx, 'bench/loadgen.ts', t.url, '1000', '2', '64']);
  let c0 = totalCpu(t.pids());
  const s0 = totalCpu(t.sidePids?.() ?? []);
  const sat = await saturate(t.url);
  const satCpu = totalCpu(t.pids()) - c0;
  const sideCpu = totalCpu(t.sidePids?.() ?? []) - s0;
  await new Promise((r) => setTimeout(r, 500));
  c0 = totalCpu(t.pids());
  const fix = await fixed(t.url);
  const fixCpu = totalCpu(t.pids()) - c0;
  return {
    name: t.name,
    satRps: sat.rps,
    satP50: sat.p50,
    satP99: sat.p99,
    satCpuUs: (satCpu / sat.requests) * 1e6,
    fixP50: fix.p50,
    fixP99: fix.p99,
    fixCpuUs: (fixCpu / fix.requests) * 1e6,
    sideCpuUs: (sideCpu / sat.requests) * 1e6,
    errors: sat.errors + fix.errors,
  };
}

async function modelgate(name: string, route: Record<string, unknown>, extra: Record<string, unknown> = {}, sidePids?: () => number[]): Promise<Target> {
  const { url, proc } = await gatewayProcess(route, extra);
  return { name, url, pids: () => [proc.pid!], sidePids, stop: () => stop(proc) };
}

async function redisServer(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, proc };
}

async function main() {
  const b1 = await backend();
  const b2 = await backend();
  const b3 = await backend();
  const redis = await redisServer();
  const { route, withShadow } = benchRoutes(b1.port, b2.port, b3.port);
  const logOn = { redis: { url: redis.url }, log: { enabled: true, hmac_key: 'bench' } };
  const factories: Array<[string, () => Promise<Target>]> = [
    ['direct', async () => ({ name: 'direct', url: `http://127.0.0.1:${b1.port}/v1/models/fraud:predict`, pids: () => [b1.proc.pid!], stop: async () => {} })],
  ];
  if (hasNginx()) {
    for (const [name, sh] of [['nginx split', undefined], ['nginx split+mirror', b3.port]] as const)
      factories.push([
        name,
        async () => {
          const port = await freePort();
          const n = startNginx(nginxConfig(port, b1.port, b2.port, sh));
          await waitHttp(`http://127.0.0.1:${port}/`);
          return { name, url: `http://127.0.0.1:${port}/v1/models/fraud:predict`, pids: n.pids, stop: () => stop(n.proc) };
        },
      ]);
  }
  factories.push(
    ['modelgate split', () => modelgate('modelgate split', route)],
    ['modelgate split+shadow', () => modelgate('modelgate split+shadow', withShadow)],
    ['modelgate split+log', () => modelgate('modelgate split+log', route, logOn, () => [redis.proc.pid!])],
    ['modelgate split+log (plain XADD)', () => modelgate('modelgate split+log (plain XADD)', route, { ...logOn, log: { ...logOn.log, redis_write: 'xadd' } }, () => [redis.proc.pid!])],
    ['modelgate split+shadow+log', () => modelgate('modelgate split+shadow+log', withShadow, logOn, () => [redis.proc.pid!])],
  );

  const rows: Row[] = [];
  for (const [name, make] of factories) {
    if (ONLY && !ONLY.includes(name)) continue;
    const t = await make();
    try {
      const row = await measure(t);
      rows.push(row);
      process.stderr.write(`${name}: ${fmt(row.satRps)} req/s, fixed p99 ${fmt(row.fixP99, 2)} ms, ${fmt(row.satCpuUs)} µs CPU/req\n`);
    } finally {
      await t.stop();
    }
  }
  await Promise.all([stop(b1.proc), stop(b2.proc), stop(b3.proc), stop(redis.proc)]);

  const direct = rows.find((r) => r.name === 'direct');
  const lines = [
    `Machine: ${(await run('nproc', [])).trim()} cores, Node ${process.version}, ${SECONDS} s per measurement, ${hasWrk ? 'wrk -t1 -c64' : 'autocannon -c64'} for saturation, open-loop ${RATE} req/s for fixed load (median p99 of ${REPEATS} runs of ${Math.max(2, Math.round(SECONDS / 2))} s).`,
    '',
    '| target | req/s (saturated) | p50 ms | p99 ms | CPU µs/req | Redis CPU µs/req | p50 ms @' + RATE + '/s | p99 ms @' + RATE + '/s | added p99 ms vs direct @' + RATE + '/s | CPU µs/req @' + RATE + '/s | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.satRps)} | ${fmt(r.satP50, 2)} | ${fmt(r.satP99, 2)} | ${fmt(r.satCpuUs)} | ${r.sideCpuUs ? fmt(r.sideCpuUs) : ''} | ${fmt(r.fixP50, 2)} | ${fmt(r.fixP99, 2)} | ${direct && r !== direct ? fmt(r.fixP99 - direct.fixP99, 2) : ''} | ${fmt(r.fixCpuUs)} | ${r.errors} |`),
  ];
  const get = (n: string) => rows.find((r) => r.name === n);
  const ratio = (a?: Row, b?: Row, k: keyof Row = 'satCpuUs') => (a && b ? fmt((a[k] as number) / (b[k] as number), 2) : 'n/a');
  lines.push(
    '',
    `Ratios (this run): modelgate split CPU/req ÷ nginx split = ${ratio(get('modelgate split'), get('nginx split'))}; ` +
      `modelgate split+shadow CPU/req ÷ nginx split+mirror = ${ratio(get('modelgate split+shadow'), get('nginx split+mirror'))}; ` +
      `logging cost in req/s = ${get('modelgate split+log') && get('modelgate split') ? fmt((1 - get('modelgate split+log')!.satRps / get('modelgate split')!.satRps) * 100, 1) + ' %' : 'n/a'}; ` +
      `logging added p99 @${RATE}/s = ${get('modelgate split+log') && get('modelgate split') ? fmt(get('modelgate split+log')!.fixP99 - get('modelgate split')!.fixP99, 2) + ' ms' : 'n/a'}.`,
  );
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.md', `${text}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
