/**
 * How fast `modelgate ctl routes` answers against a real gateway, next to `node -e 0` (the
 * floor: starting Node at all) and curl. Repeated runs, medians (a hyperfine-like loop).
 * `npm run bench:cli` (BENCH_RUNS=N, default 21). Builds dist/ first when it is stale, as
 * `npm ci` would have, so the figure is the installed CLI's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, fmt } from './common.ts';
import { freePort, start, stop, waitHttp } from './procs.ts';

const runs = Number(process.env.BENCH_RUNS ?? 21);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeRuns(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number[] {
  const ms: number[] = [];
  spawnSync(cmd, args, { env, stdio: 'ignore' }); // warm the page cache
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return ms;
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
  const rows: [string, number[]][] = [
    ['node -e 0', timeRuns(process.execPath, ['-e', '0'])],
    ['node bin/modelgate.js --version', timeRuns(process.execPath, ['bin/modelgate.js', '--version'])],
    ['node bin/modelgate.js ctl routes', timeRuns(process.execPath, ['bin/modelgate.js', 'ctl', 'routes'], env)],
  ];
  if (spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0)
    rows.push(['curl -s .../admin/routes', timeRuns('curl', ['-sf', `${admin}/admin/routes`, '-H', 'authorization: Bearer bench-token'])]);
  process.stdout.write(`| command | median ms | min ms | max ms |\n|---|---:|---:|---:|\n`);
  for (const [name, ms] of rows) process.stdout.write(`| \`${name}\` | ${fmt(median(ms))} | ${fmt(Math.min(...ms))} | ${fmt(Math.max(...ms))} |\n`);
  const ctl = median(rows[2][1]);
  process.stdout.write(`\nctl routes: ${fmt(ctl)} ms median over ${runs} runs, ${fmt(ctl - median(rows[0][1]))} ms above node -e 0\n`);
} finally {
  await stop(gw);
  await stop(b.proc);
}
