/**
 * Garbage collection per request: `node --import tsx bench/gc.ts` (after `npm run build`).
 * The Node floor and the gateway (and, with BENCH_BASELINE, other builds made by
 * bench/baseline.sh) each run under `--trace-gc-nvp`, alone on CPU 1 (wrk and the backends on
 * CPU 0), saturated by wrk for 3 s of warm-up and then BENCH_SECONDS (default 6); per run:
 * bytes allocated and promoted per request, young-generation (scavenge) pause per request on
 * the main thread, and the CPU of the process's other threads (V8's parallel GC and compiler
 * helpers) per request. Each build runs BENCH_RUNS times (default 3) in fresh processes:
 * whether a process falls into promoting every request's objects is decided early and then
 * stays, so one run is not enough to tell. BENCH_PATHS=all adds the shadow and log paths
 * (their own redis-server), and the log path of each BENCH_BASELINE build. Writes
 * bench/results/gc.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, pin, run, start, stop, totalCpu, waitHttp } from './procs.ts';
import { backend, benchRoutes, compiled, fmt, gatewayProcess, logConfig, median, redisServer } from './common.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASELINES = (process.env.BENCH_BASELINE ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const PIN = process.env.BENCH_PIN !== '0' && Number(spawnSync('nproc').stdout?.toString().trim()) >= 2;
const wrk = (args: string[]) => (PIN ? run('taskset', ['-c', '0', 'wrk', ...args]) : run('wrk', args));
const TICKS = 100;

/** CPU seconds of the main thread alone (its tid is the pid) */
function mainThreadCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

interface Run {
  rps: number;
  cpuUs: number;
  helperUs: number;
  allocated: number;
  promoted: number;
  scavengeUs: number;
  scavenges: number;
}

async function measure(proc: ChildProcess, url: string): Promise<Run> {
  if (PIN) pin(proc.pid!, 1);
  await wrk(['-t1', '-c64', '-d3s', '-s', 'bench/wrk-post.lua', url]);
  const lines: string[] = [];
  proc.stdout?.on('data', (d) => lines.push(...String(d).split('\n').filter((l) => l.includes('gc=s'))));
  const c0 = totalCpu([proc.pid!]);
  const m0 = mainThreadCpu(proc.pid!);
  const out = await wrk(['-t1', '-c64', `-d${SECONDS}s`, '-s', 'bench/wrk-post.lua', url]);
  const cpu = totalCpu([proc.pid!]) - c0;
  const main = mainThreadCpu(proc.pid!) - m0;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const kv = lines.map((l) => Object.fromEntries([...l.matchAll(/(\S+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])])));
  const sum = (k: string) => kv.reduce((s, x) => s + (x[k] ?? 0), 0);
  return {
    rps: requests / SECONDS,
    cpuUs: (cpu / requests) * 1e6,
    helperUs: ((cpu - main) / requests) * 1e6,
    allocated: sum('allocated') / requests,
    promoted: sum('promoted') / requests,
    scavengeUs: (sum('scavenge') * 1000) / requests,
    scavenges: kv.length,
  };
}

async function main() {
  const [b1, b2, b3] = [await backend(), await backend(), await backend()];
  if (PIN) for (const b of [b1, b2, b3]) pin(b.proc.pid!, 0);
  const { route, withShadow } = benchRoutes(b1.port, b2.port, b3.port);
  const redis = process.env.BENCH_PATHS === 'all' ? await redisServer() : undefined;
  if (PIN && redis) pin(redis.proc.pid!, 0);
  // every log target here runs the same route, so they may share one key prefix
  const logOn = logConfig(redis?.url ?? '');
  const targets: Array<[string, () => Promise<{ url: string; proc: ChildProcess }>]> = [
    [
      'node floor',
      async () => {
        const port = await freePort();
        const proc = start(process.execPath, ['--trace-gc-nvp', compiled('bench/floor-proxy.ts'), String(port), String(b1.port), String(b2.port)]);
        await waitHttp(`http://127.0.0.1:${port}/`);
        return { url: `http://127.0.0.1:${port}/v1/models/fraud:predict`, proc };
      },
    ],
    ['modelgate split', () => gatewayProcess(route, {}, 'bin/modelgate.js', ['--trace-gc-nvp'])],
    ...(process.env.BENCH_PATHS === 'all'
      ? ([
          ['modelgate split+shadow', () => gatewayProcess(withShadow, {}, 'bin/modelgate.js', ['--trace-gc-nvp'])],
          ['modelgate split+log', () => gatewayProcess(route, logOn, 'bin/modelgate.js', ['--trace-gc-nvp'])],
        ] as Array<[string, () => Promise<{ url: string; proc: ChildProcess }>]>)
      : []),
    ...BASELINES.flatMap((bin) => {
      const rev = bin.match(/base-([^/]+)\//)?.[1] ?? bin;
      const split: [string, () => Promise<{ url: string; proc: ChildProcess }>] = [`modelgate split @${rev}`, () => gatewayProcess(route, {}, bin, ['--trace-gc-nvp'])];
      const log: [string, () => Promise<{ url: string; proc: ChildProcess }>] = [`modelgate split+log @${rev}`, () => gatewayProcess(route, logOn, bin, ['--trace-gc-nvp'])];
      return process.env.BENCH_PATHS === 'all' ? [split, log] : [split];
    }),
  ];
  const results = new Map<string, Run[]>(targets.map(([n]) => [n, []]));
  try {
    // runs interleaved, so the machine's drift hits every build alike
    for (let r = 0; r < RUNS; r++)
      for (const [name, make] of targets) {
        const { url, proc } = await make();
        try {
          const m = await measure(proc, url);
          results.get(name)!.push(m);
          process.stderr.write(`${name} run ${r + 1}: ${fmt(m.rps)} req/s, promoted ${fmt(m.promoted)} B/req, scavenge ${fmt(m.scavengeUs, 2)} µs/req, helpers ${fmt(m.helperUs, 1)} µs/req\n`);
        } finally {
          await stop(proc);
        }
      }
  } finally {
    await Promise.all([stop(b1.proc), stop(b2.proc), stop(b3.proc), stop(redis?.proc)]);
  }
  const lines = [
    `${RUNS} fresh processes per build, interleaved; each ${PIN ? 'alone on CPU 1, wrk and the backends on CPU 0' : 'unpinned'}; wrk -t1 -c64 (bench/wrk-post.lua) 3 s of warm-up, then ${SECONDS} s measured; Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| build | req/s | CPU µs/req | of it other threads (GC, JIT helpers) µs/req | allocated B/req | promoted B/req (each run) | scavenge pause µs/req |',
    '|---|---:|---:|---:|---:|---|---:|',
  ];
  for (const [name, runs] of results) {
    const m = (f: keyof Run) => median(runs.map((x) => x[f]));
    lines.push(`| ${name} | ${fmt(m('rps'))} | ${fmt(m('cpuUs'))} | ${fmt(m('helperUs'), 1)} | ${fmt(m('allocated'))} | ${runs.map((x) => fmt(x.promoted)).join(', ')} | ${fmt(m('scavengeUs'), 2)} |`);
  }
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/gc.md', `${text}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
