/**
 * How fast `modelgate ctl routes` answers against a real gateway, next to `node -e 0` (the
 * floor: starting Node at all) and curl. Repeated runs, medians (a hyperfine-like loop), and
 * the CPU time each run used (user + system, from bash's `times` over the runs): on a busy
 * machine the wall time mostly measures waiting for a core, the CPU time does not.
 * `npm run bench:cli` (BENCH_RUNS=N, default 21). Builds dist/ first when it is stale, as
 * `npm ci` would have, so the figure is the installed CLI's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, fmt } from './common.ts';
import { freePort, start, stop, waitHttp } from './procs.ts';

const runs = Number(process.env.BENCH_RUNS ?? 21);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Wall milliseconds of each command over `runs` rounds, the commands interleaved within each
 * round, so on a machine whose load changes every command sees the same load.
 */
function timeInterleaved(commands: Array<{ cmd: string; args: string[]; env?: NodeJS.ProcessEnv }>): number[][] {
  const ms = commands.map(() => [] as number[]);
  for (const c of commands) spawnSync(c.cmd, c.args, { env: c.env ?? process.env, stdio: 'ignore' }); // warm the page cache
  for (let i = 0; i < runs; i++)
    commands.forEach((c, k) => {
      const t0 = performance.now();
      const r = spawnSync(c.cmd, c.args, { env: c.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
      ms[k].push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${r.status}: ${r.stderr}`);
    });
  return ms;
}

/** CPU milliseconds (user + system) per run, from bash's `times` after `runs` runs. */
function cpuPerRun(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const script = 'for i in $(seq "$N"); do "$@" >/dev/null 2>&1 || exit 1; done; times';
  const r = spawnSync('bash', ['-c', script, 'bench', cmd, ...args], { env: { ...env, N: String(runs) }, encoding: 'utf8' });
  const children = r.stdout.trim().split('\n')[1] ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (r.status !== 0 || secs.length !== 2) return NaN;
  return ((secs[0] + secs[1]) * 1000) / runs;
}

execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
const b = await backend();
const [port, adminPort] = [await freePort(), await freePort()];
const file = join(mkdtempSync(join(tmpdir(), 'mg-bench-cli-')), 'gw.yaml');
const route = { models: ['fraud'], variants: [{ name: 'v1', backend: `http://127.0.0.1:${b.port}`, version: '1', weight: 100 }] };
writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, admin: { host: '127.0.0.1', port: adminPort }, log: { enabled: false }, routes: { fraud: route } }));
const gw = start(process.execPath, ['bin/modelgate.js', 'gateway', '--config', file], { MODELGATE_LOG_LEVEL: 'warn', MODELGATE_ADMIN_TOKENS: 'bench:bench-token' });
try {
  await waitHttp(`http://127.0.0.1:${port}/healthz`);
  const admin = `http://127.0.0.1:${adminPort}`;
  const env = { ...process.env, MODELGATE_ADMIN_URL: admin, MODELGATE_ADMIN_TOKEN: 'bench-token' };
  const commands: Array<{ name: string; cmd: string; args: string[]; env?: NodeJS.ProcessEnv }> = [
    { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { name: 'node bin/modelgate.js --version', cmd: process.execPath, args: ['bin/modelgate.js', '--version'] },
    { name: 'node bin/modelgate.js ctl routes', cmd: process.execPath, args: ['bin/modelgate.js', 'ctl', 'routes'], env },
  ];
  if (spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0) commands.push({ name: 'curl -s .../admin/routes', cmd: 'curl', args: ['-sf', `${admin}/admin/routes`, '-H', 'authorization: Bearer bench-token'] });
  const wall = timeInterleaved(commands);
  const rows = commands.map((c, k) => ({ name: c.name, ms: wall[k], cpu: cpuPerRun(c.cmd, c.args, c.env) }));
  const lines = [`| command | median ms | min ms | max ms | CPU ms per run |`, `|---|---:|---:|---:|---:|`];
  for (const { name, ms, cpu } of rows) lines.push(`| \`${name}\` | ${fmt(median(ms))} | ${fmt(Math.min(...ms))} | ${fmt(Math.max(...ms))} | ${fmt(cpu)} |`);
  const ctl = median(rows[2].ms);
  const os = await import('node:os');
  lines.push('', `ctl routes: ${fmt(ctl)} ms median over ${runs} runs, ${fmt(ctl - median(rows[0].ms))} ms above node -e 0; CPU ${fmt(rows[2].cpu)} ms per run (node -e 0: ${fmt(rows[0].cpu)}); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cli-startup.md', `# CLI startup (npm run bench:cli)\n\n${lines.join('\n')}\n`);
} finally {
  await stop(gw);
  await stop(b.proc);
}
