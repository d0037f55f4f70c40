/**
 * `node --import tsx bench/workers.ts`: one gateway replica with `--workers 1` and `--workers 2`
 * against the same backend, at saturation (wrk, 64 connections; autocannon when wrk is
 * missing). Reports requests/s, p50/p99 and the replica's CPU per request (primary + workers).
 * On a 2-core machine the load generator and the backend share the cores with the gateway, so
 * the second worker can only use what they leave: read the result with docs/scaling.md.
 * Env: BENCH_SECONDS (default 10), BENCH_WORKERS (comma list, default "1,2").
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { childPids, freePort, run, start, stop, totalCpu, waitHttp } from './procs.ts';
import { backend, benchRoutes, fmt, parseWrk, tsx } from './common.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const hasWrk = spawnSync('which', ['wrk']).status === 0;

async function saturate(url: string) {
  if (hasWrk) return parseWrk(await run('wrk', ['-t1', '-c64', `-d${SECONDS}s`, '--latency', '-s', 'bench/wrk-post.lua', url]));
  const out = await run(process.execPath, ['node_modules/autocannon/autocannon.js', '-c', '64', '-d', String(SECONDS), '-m', 'POST', '-H', 'content-type=application/json', '-H', 'x-user-id=u1', '-b', '{"instances":[{"amount":120.5,"merchant_risk":0.31,"hour":23,"country":"BR"}]}', '--json', url]);
  const j = JSON.parse(out.slice(out.indexOf('{')));
  return { requests: j.requests.total, rps: j.requests.average, p50: j.latency.p50, p99: j.latency.p99, errors: j.non2xx + j.errors };
}

async function replica(workers: number, route: Record<string, unknown>) {
  const port = await freePort();
  const file = join(mkdtempSync(join(tmpdir(), 'mg-bench-workers-')), 'gw.yaml');
  writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, admin: { enabled: false }, log: { enabled: false }, routes: { fraud: route } }));
  const proc = start(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file, '--workers', String(workers)], { MODELGATE_LOG_LEVEL: 'warn' });
  await waitHttp(`http://127.0.0.1:${port}/healthz`, 120_000);
  // every worker listening (the primary counts them in modelgate_workers)
  for (const deadline = Date.now() + 120_000; workers > 1 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (text.includes(`modelgate_workers ${workers}\n`)) break;
  }
  return { url: `http://127.0.0.1:${port}/v1/models/fraud:predict`, pids: () => [proc.pid!, ...childPids(proc.pid!)], stop: () => stop(proc) };
}

async function main() {
  const b1 = await backend();
  const b2 = await backend();
  const { route } = benchRoutes(b1.port, b2.port, b2.port);
  const rows: string[] = [];
  for (const n of COUNTS) {
    const r = await replica(n, route);
    try {
      await run(process.execPath, [...tsx, 'bench/loadgen.ts', r.url, '1000', '2', '64']); // warm up
      const c0 = totalCpu(r.pids());
      const b0 = totalCpu([b1.proc.pid!, b2.proc.pid!]);
      const sat = await saturate(r.url);
      const cpu = totalCpu(r.pids()) - c0;
      const bcpu = totalCpu([b1.proc.pid!, b2.proc.pid!]) - b0;
      const row = `| ${n} | ${fmt(sat.rps)} | ${fmt(sat.p50, 2)} | ${fmt(sat.p99, 2)} | ${fmt((cpu / sat.requests) * 1e6)} | ${fmt((cpu / SECONDS) * 100)} % | ${fmt((bcpu / SECONDS) * 100)} % | ${sat.errors} |`;
      rows.push(row);
      process.stderr.write(`${row}\n`);
    } finally {
      await r.stop();
    }
  }
  await stop(b1.proc);
  await stop(b2.proc);
  const md = [
    `# --workers: one replica, 1 vs ${COUNTS.slice(1).join(', ')} worker processes`,
    '',
    `${new Date().toISOString()}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${SECONDS} s at saturation with ${hasWrk ? 'wrk -t1 -c64' : 'autocannon -c64'}.`,
    'The load generator and the two model backends run on the same cores as the gateway.',
    '',
    '| workers | req/s | p50 ms | p99 ms | gateway CPU µs/req | gateway CPU (100 % = 1 core) | backends CPU | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/workers.md', md);
  process.stdout.write(md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
