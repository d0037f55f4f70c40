/**
 * CPU profiles of the data plane: `node --import tsx bench/profile.ts` (after `npm run build`).
 * For each path (split, split+shadow, split+log, split+shadow+log, and the Node floor for
 * reference) a process runs under `node --cpu-prof` (the compiled dist/ build), wrk drives it
 * (1 thread, 64 connections, bench/wrk-post.lua) for 6 s of warm-up (a shadow pool opens its
 * connections, the JIT settles) and then BENCH_SECONDS (default 10), the process is stopped,
 * and the measured part of its profile (start-up and warm-up left out) is summarized
 * (bench/cpuprofile-top.ts) into
 * bench/profiles/<path>.md. The .cpuprofile files stay in bench/.build/profiles/ (not committed).
 * As in bench/run.ts, the profiled process runs alone on CPU 1 and wrk, the backends and Redis
 * on CPU 0 (BENCH_PIN=0: the scheduler places them), so a profile shows the bench's conditions.
 * Env: BENCH_ONLY (comma list of paths), BENCH_NODE_ARGS (extra node flags, e.g. --no-turbo-inlining
 * to see inlined functions under their own names).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { freePort, pin, run, start, stop, waitHttp } from './procs.ts';
import { backend, benchRoutes, compiled, gatewayProcess, logConfig, redisServer } from './common.ts';
import { summarize } from './cpuprofile-top.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const RAW = 'bench/.build/profiles';
const PIN = process.env.BENCH_PIN !== '0' && Number(spawnSync('nproc').stdout?.toString().trim()) >= 2;
const wrk = (args: string[]) => (PIN ? run('taskset', ['-c', '0', 'wrk', ...args]) : run('wrk', args));

async function main() {
  const [b1, b2, b3] = [await backend(), await backend(), await backend()];
  const redis = await redisServer();
  const { route, withShadow } = benchRoutes(b1.port, b2.port, b3.port);
  if (PIN) for (const p of [b1, b2, b3, redis]) pin(p.proc.pid!, 0);
  const paths: Array<[string, Record<string, unknown> | 'floor', Record<string, unknown>]> = [
    ['floor', 'floor', {}],
    ['split', route, {}],
    ['split+shadow', withShadow, {}],
    ['split+log', route, logConfig(redis.url)],
    ['split+shadow+log', withShadow, logConfig(redis.url)],
  ];
  mkdirSync('bench/profiles', { recursive: true });
  for (const [name, r, extra] of paths) {
    if (ONLY && !ONLY.includes(name)) continue;
    const dir = join(RAW, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const prof = ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    let url: string;
    let proc: ChildProcess;
    const spawned = Date.now();
    if (r === 'floor') {
      const port = await freePort();
      proc = start(process.execPath, [...prof, compiled('bench/floor-proxy.ts'), String(port), String(b1.port), String(b2.port)]);
      url = `http://127.0.0.1:${port}/v1/models/fraud:predict`;
      await waitHttp(`http://127.0.0.1:${port}/`);
    } else ({ url, proc } = await gatewayProcess(r, { ...extra, limits: { drain_delay_ms: 0 } }, 'bin/modelgate.js', prof));
    if (PIN) pin(proc.pid!, 1);
    await wrk(['-t1', '-c64', '-d6s', '-s', 'bench/wrk-post.lua', url]); // warm up
    const skipMs = Date.now() - spawned;
    const out = await wrk(['-t1', '-c64', `-d${SECONDS}s`, '-s', 'bench/wrk-post.lua', url]);
    const rps = out.match(/Requests\/sec:\s+([\d.]+)/)?.[1];
    const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
    await stop(proc);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`${name}: no profile written`);
    const text = `# CPU profile: ${name}\n\n\`node --import tsx bench/profile.ts\` (compiled dist/, wrk -t1 -c64 ${SECONDS} s after 6 s of warm-up, ${rps} req/s on a 2-core machine, ${PIN ? 'the profiled process alone on CPU 1' : 'unpinned'}; ${new Date().toISOString().slice(0, 10)}).\n\n${summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')), 30, skipMs, requests)}\n`;
    writeFileSync(`bench/profiles/${name}.md`, text);
    process.stderr.write(`${name}: ${rps} req/s -> bench/profiles/${name}.md\n`);
  }
  await Promise.all([stop(b1.proc), stop(b2.proc), stop(b3.proc), stop(redis.proc)]);
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
