/**
 * Same-core A/B: `node --import tsx bench/concurrent.ts` (after `npm run build`). The Node floor
 * (bench/floor-proxy.ts), this checkout's gateway and the gateways of BENCH_BASELINE builds
 * (bench/baseline.sh) run at the same time, all pinned to CPU 1, each loaded by its own wrk
 * (1 thread, 32 connections, bench/wrk-post.lua) on CPU 0 with the backends and Redis, for
 * BENCH_ROUNDS rounds (default 10) of BENCH_SECONDS (default 4) after 3 s of warm-up. CPU µs per
 * request is each process's CPU time ÷ its requests, in the same seconds.
 *
 * Why: this VM's speed drifts by up to 3× over minutes, so targets measured one after another
 * (bench/run.ts) differ by more than the steps being measured; two identical builds read
 * 1.09-1.22× apart there. Measured at once on one core, every target sees the same phase: two
 * identical builds read 0.99 (most rounds within 2 %). The price: the targets share the core,
 * so the figures are CPU per request under time-slicing, comparable with each other and not
 * with bench/run.ts's. BENCH_PATH picks the gateway path: split (default), split+shadow,
 * split+log or split+shadow+log; BENCH_TWICE=1 runs this checkout twice, to show the method's
 * own spread. Writes bench/results/concurrent.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { pin, run, stop, totalCpu } from './procs.ts';
import { backend, benchRoutes, fmt, gatewayProcess, logConfig, median, parseWrk, peerProcess, redisServer } from './common.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PATH = process.env.BENCH_PATH ?? 'split';
const PATHS = ['split', 'split+shadow', 'split+log', 'split+shadow+log'];
if (!PATHS.includes(PATH)) throw new Error(`BENCH_PATH is one of ${PATHS.join(', ')}`);
const BASELINES = (process.env.BENCH_BASELINE ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const wrk = (args: string[]) => run('taskset', ['-c', '0', 'wrk', ...args]);
const quartiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor((s.length - 1) / 4)], s[Math.ceil((3 * (s.length - 1)) / 4)]];
};

interface Target {
  name: string;
  url: string;
  proc: ChildProcess;
}

async function main() {
  const [b1, b2, b3] = [await backend(), await backend(), await backend()];
  const logs = PATH.endsWith('+log');
  const redis = logs ? await redisServer() : undefined;
  for (const p of [b1, b2, b3, redis]) if (p) pin(p.proc.pid!, 0);
  const { route, withShadow } = benchRoutes(b1.port, b2.port, b3.port);
  const r = PATH.includes('shadow') ? withShadow : route;
  // each gateway under its own key prefix (logConfig: otherwise they share the routes in Redis)
  const gateway = async (name: string, bin: string): Promise<Target> => ({ name, ...(await gatewayProcess(r, { ...(logs ? logConfig(redis!.url) : {}), limits: { drain_delay_ms: 0 } }, bin)) });
  const targets: Target[] = [];
  try {
    const floor = await peerProcess('bench/floor-proxy.ts', b1.port, b2.port);
    targets.push({ name: 'node floor', ...floor });
    targets.push(await gateway(`modelgate ${PATH}`, 'bin/modelgate.js'));
    if (process.env.BENCH_TWICE === '1') targets.push(await gateway(`modelgate ${PATH} (again)`, 'bin/modelgate.js'));
    for (const bin of BASELINES) targets.push(await gateway(`modelgate ${PATH} @${bin.match(/base-([^/]+)\//)?.[1] ?? bin}`, bin));
    for (const t of targets) pin(t.proc.pid!, 1);
    const load = (seconds: number) => Promise.all(targets.map((t) => wrk(['-t1', '-c32', `-d${seconds}s`, '-s', 'bench/wrk-post.lua', t.url]).then(parseWrk)));
    await load(3); // warm-up: JIT, pools
    const cpuUs: number[][] = targets.map(() => []);
    let errors = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const c0 = targets.map((t) => totalCpu([t.proc.pid!]));
      const outs = await load(SECONDS);
      targets.forEach((t, i) => cpuUs[i].push(((totalCpu([t.proc.pid!]) - c0[i]) * 1e6) / outs[i].requests));
      errors += outs.reduce((s, o) => s + o.errors, 0);
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${targets.map((t, i) => `${t.name} ${fmt(cpuUs[i][round])}`).join(', ')} µs/req\n`);
    }
    const lines = [
      `${targets.length} targets at once on CPU 1, each under its own wrk -t1 -c32 (bench/wrk-post.lua) on CPU 0; ${ROUNDS} rounds of ${SECONDS} s after 3 s of warm-up; ${errors} errors. Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      '| target | CPU µs/req (median) | ÷ node floor, median of the rounds | quartiles |',
      '|---|---:|---:|---:|',
      ...targets.map((t, i) => {
        const ratios = cpuUs[i].map((x, k) => x / cpuUs[0][k]);
        const [q1, q3] = quartiles(ratios);
        return `| ${t.name} | ${fmt(median(cpuUs[i]))} | ${i === 0 ? '' : fmt(median(ratios), 3)} | ${i === 0 ? '' : `${fmt(q1, 3)} – ${fmt(q3, 3)}`} |`;
      }),
    ];
    // each further gateway against this checkout's
    for (let i = 2; i < targets.length; i++) {
      const ratios = cpuUs[1].map((x, k) => x / cpuUs[i][k]);
      const [q1, q3] = quartiles(ratios);
      lines.push('', `${targets[1].name} ÷ ${targets[i].name}: ${fmt(median(ratios), 3)} (quartiles ${fmt(q1, 3)} – ${fmt(q3, 3)})`);
    }
    const text = lines.join('\n');
    process.stdout.write(`${text}\n`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/concurrent.md', `${text}\n`);
  } finally {
    await Promise.all([...targets.map((t) => stop(t.proc)), stop(b1.proc), stop(b2.proc), stop(b3.proc), stop(redis?.proc)]);
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
