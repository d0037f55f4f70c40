/**
 * `npm run bench`: one run, one machine, every target against the same backends.
 * Targets: the direct backend; nginx split and split+mirror; the Node peers (the raw Node floor
 * bench/floor-proxy.ts, fastify 5 + @fastify/reply-from, node-http-proxy); modelgate split,
 * split+shadow, split+log (script and plain XADD) and split+shadow+log (metrics are always on).
 * Every target is started once; then ROUNDS rounds measure each in turn, alternating the order
 * (forward, backward, forward...), so drift in the machine's load hits every target alike.
 * Per round and target: requests/s, p50 and p99 at saturation (wrk, 1 thread, 64 connections,
 * bench/wrk-post.lua: bench/request.json, 10,000 distinct x-user-id) with the proxy's CPU µs per
 * request (process CPU time from /proc / requests), and p50/p99 at a fixed 2,000 requests/s
 * (open loop, bench/loadgen.ts). The table gives each figure's median over the rounds; each
 * ratio is the median over the rounds of that round's ratio.
 * Env: BENCH_SECONDS (saturation seconds, default 10), BENCH_FIXED_SECONDS (default 5),
 * BENCH_ROUNDS (3), BENCH_RATE (2000), BENCH_ONLY (comma list of target names),
 * BENCH_BASELINE (comma list of other builds' bin/modelgate.js, made by bench/baseline.sh REV:
 * their modelgate targets run too, named `… @REV`, and each step's ratio is printed).
 * Writes bench/results/latest.md.
 */
import { writeFileSync, mkdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { freePort, pin, run, stop, totalCpu, waitHttp } from './procs.ts';
import { backend, benchRoutes, compiled, counterTotal, fmt, gatewayProcess, logConfig, median, parseWrk, peerProcess, redisServer } from './common.ts';
import { hasNginx, nginxConfig, startNginx } from './nginx.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FIXED_SECONDS = Number(process.env.BENCH_FIXED_SECONDS ?? Math.max(2, Math.round(SECONDS / 2)));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
/** other builds to measure in the same run: [bin, label] */
const BASELINES = (process.env.BENCH_BASELINE ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((bin, i) => [bin, bin.match(/base-([^/]+)\//)?.[1] ?? `base${i + 1}`] as const);

if (spawnSync('which', ['wrk']).status !== 0) {
  process.stderr.write('npm run bench needs wrk (apt-get install -y wrk)\n');
  process.exit(2);
}

interface Target {
  name: string;
  url: string;
  pids: () => number[];
  /** other processes whose CPU the target causes (Redis for logging) */
  sidePids?: () => number[];
  /** a gateway whose route has a 100 % shadow: checked to have sent one copy per request */
  shadows?: boolean;
  stop: () => Promise<void>;
}
interface Sample {
  satRps: number;
  satP50: number;
  satP99: number;
  satCpuUs: number;
  sideCpuUs: number;
  fixP50: number;
  fixP99: number;
  fixCpuUs: number;
  errors: number;
}
type Field = keyof Sample;

const LOADGEN = compiled('bench/loadgen.ts');
const BASELINE_PATHS = ['modelgate split', 'modelgate split+shadow', 'modelgate split+log'];
/** BENCH_PIN=0 leaves placement to the scheduler; otherwise the measured proxy runs alone on CPU 1 */
const PIN = process.env.BENCH_PIN !== '0' && Number(spawnSync('nproc').stdout?.toString().trim()) >= 2;
const LOAD_CPU = ['taskset', '-c', '0'];
const onLoadCpu = (cmd: string, args: string[]): [string, string[]] => (PIN ? [LOAD_CPU[0], [...LOAD_CPU.slice(1), cmd, ...args]] : [cmd, args]);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fixedRate(url: string, seconds: number, rate = RATE) {
  const out = await run(...onLoadCpu(process.execPath, [LOADGEN, url, String(rate), String(seconds), '64']));
  return JSON.parse(out.trim().split('\n').at(-1)!) as { requests: number; errors: number; p50: number; p99: number };
}

async function measure(t: Target): Promise<Sample> {
  if (PIN) for (const p of t.pids()) pin(p, 1);
  let c0 = totalCpu(t.pids());
  const s0 = totalCpu(t.sidePids?.() ?? []);
  const sat = parseWrk(await run(...onLoadCpu('wrk', ['-t1', '-c64', `-d${SECONDS}s`, '--latency', '-s', 'bench/wrk-post.lua', t.url])));
  const satCpu = totalCpu(t.pids()) - c0;
  const sideCpu = totalCpu(t.sidePids?.() ?? []) - s0;
  await pause(300);
  c0 = totalCpu(t.pids());
  const fix = await fixedRate(t.url, FIXED_SECONDS);
  const fixCpu = totalCpu(t.pids()) - c0;
  // back beside the load: the direct target is also the other targets' backend
  if (PIN) for (const p of t.pids()) pin(p, 0);
  await pause(300);
  return {
    satRps: sat.rps,
    satP50: sat.p50,
    satP99: sat.p99,
    satCpuUs: (satCpu / sat.requests) * 1e6,
    sideCpuUs: (sideCpu / sat.requests) * 1e6,
    fixP50: fix.p50,
    fixP99: fix.p99,
    fixCpuUs: (fixCpu / fix.requests) * 1e6,
    errors: sat.errors + fix.errors,
  };
}

async function main() {
  const b1 = await backend();
  const b2 = await backend();
  const b3 = await backend();
  const redis = await redisServer();
  const { route, withShadow } = benchRoutes(b1.port, b2.port, b3.port);
  const redisPid = () => [redis.proc.pid!];
  if (PIN) for (const p of [b1, b2, b3, redis]) pin(p.proc.pid!, 0);
  const factories: Array<[string, () => Promise<Target>]> = [
    ['direct', async () => ({ name: 'direct', url: `http://127.0.0.1:${b1.port}/v1/models/fraud:predict`, pids: () => [b1.proc.pid!], stop: async () => {} })],
  ];
  if (hasNginx())
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
  for (const [name, script] of [
    ['node floor', 'bench/floor-proxy.ts'],
    ['fastify+reply-from', 'bench/fastify-proxy.ts'],
    ['node-http-proxy', 'bench/http-proxy-peer.ts'],
  ] as const)
    factories.push([
      name,
      async () => {
        const p = await peerProcess(script, b1.port, b2.port);
        return { name, url: p.url, pids: () => [p.proc.pid!], stop: () => stop(p.proc) };
      },
    ]);
  // [name, route, log settings (undefined: no log)]
  const gateways: Array<[string, Record<string, unknown>, Record<string, unknown> | undefined]> = [
    ['modelgate split', route, undefined],
    ['modelgate split+shadow', withShadow, undefined],
    ['modelgate split+log', route, {}],
    ['modelgate split+log (plain XADD)', route, { redis_write: 'xadd' }],
    ['modelgate split+shadow+log', withShadow, {}],
  ];
  for (const [bin, suffix] of [['bin/modelgate.js', ''] as const, ...BASELINES.map(([b, label]) => [b, ` @${label}`] as const)])
    for (const [name, r, log] of gateways)
      // other builds: the three paths the steps change (split, shadow, log)
      if (!suffix || BASELINE_PATHS.includes(name))
      factories.push([
        name + suffix,
        async () => {
          // each log target under its own key prefix, or it would run another target's routes (logConfig)
          const { url, proc } = await gatewayProcess(r, log ? logConfig(redis.url, log) : {}, bin);
          return { name: name + suffix, url, pids: () => [proc.pid!], sidePids: log ? redisPid : undefined, shadows: r === withShadow, stop: () => stop(proc) };
        },
      ]);

  const selected = factories.filter(([name]) => !ONLY || ONLY.some((o) => o === name || (o.endsWith('*') && name.startsWith(o.slice(0, -1)))));
  const targets: Target[] = [];
  const samples = new Map<string, Sample[]>();
  const mirrored: string[] = [];
  try {
    for (const [name, make] of selected) {
      targets.push(await make());
      samples.set(name, []);
    }
    // warm up every target (JIT, pools) before the first round
    for (const t of targets) await fixedRate(t.url, 2, 1000);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const s = await measure(t);
        samples.get(t.name)!.push(s);
        process.stderr.write(`round ${round + 1}/${ROUNDS} ${t.name}: ${fmt(s.satRps)} req/s, ${fmt(s.satCpuUs)} µs CPU/req, fixed p99 ${fmt(s.fixP99, 2)} ms\n`);
      }
    }
    // a shadow target that did not mirror (a config it did not expect) would measure another path
    for (const t of targets)
      if (t.shadows) {
        const m = await (await fetch(new URL('/metrics', t.url))).text();
        const copies = counterTotal(m, 'modelgate_shadow_requests_total', 'outcome="ok"') / counterTotal(m, 'modelgate_requests_total');
        mirrored.push(`${t.name}: ${fmt(copies, 3)} shadow copies answered per request`);
        if (!(copies > 0.99)) throw new Error(`${t.name} sent ${fmt(copies, 3)} shadow copies per request, not 1: it did not run the route it was given`);
      }
  } finally {
    for (const t of targets) await t.stop();
    await Promise.all([stop(b1.proc), stop(b2.proc), stop(b3.proc), stop(redis.proc)]);
  }

  const med = (name: string, f: Field) => median((samples.get(name) ?? []).map((s) => s[f]));
  const names = targets.map((t) => t.name);
  const has = (n: string) => samples.has(n);
  /** per round a/b of a field (or of any function of two samples), median and range over rounds */
  const perRound = (a: string, b: string, f: (x: Sample, y: Sample) => number) => {
    const xs = samples.get(a)!.map((s, i) => f(s, samples.get(b)![i]));
    return { med: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  const load = (await run('cat', ['/proc/loadavg'])).split(' ').slice(0, 3).join(' ');
  const lines = [
    `Machine: ${(await run('nproc', [])).trim()} cores, Node ${process.version}, load average at the end ${load}. ${ROUNDS} alternating rounds; per round and target wrk -t1 -c64 for ${SECONDS} s (bench/request.json, ${statSync('bench/request.json').size} bytes, 10,000 users) and open-loop ${RATE} req/s for ${FIXED_SECONDS} s; medians over the rounds.`,
    '',
    `| target | req/s (saturated) | p50 ms | p99 ms | CPU µs/req | Redis CPU µs/req | p50 ms @${RATE}/s | p99 ms @${RATE}/s | added p99 ms vs direct @${RATE}/s | CPU µs/req @${RATE}/s | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...names.map((n) => {
      const added = has('direct') && n !== 'direct' ? perRound(n, 'direct', (x, y) => x.fixP99 - y.fixP99).med : NaN;
      const errors = samples.get(n)!.reduce((s, x) => s + x.errors, 0);
      const side = med(n, 'sideCpuUs');
      return `| ${n} | ${fmt(med(n, 'satRps'))} | ${fmt(med(n, 'satP50'), 2)} | ${fmt(med(n, 'satP99'), 2)} | ${fmt(med(n, 'satCpuUs'))} | ${side ? fmt(side) : ''} | ${fmt(med(n, 'fixP50'), 2)} | ${fmt(med(n, 'fixP99'), 2)} | ${Number.isFinite(added) ? fmt(added, 2) : ''} | ${fmt(med(n, 'fixCpuUs'))} | ${errors} |`;
    }),
  ];

  const cpu = (x: Sample, y: Sample) => x.satCpuUs / y.satCpuUs;
  const checks: Array<[string, string, string, (x: Sample, y: Sample) => number, string, number, 'ratio' | 'pct' | 'ms']> = [
    ['modelgate split CPU/req ÷ node floor', 'modelgate split', 'node floor', cpu, '≤ 1.05', 1.05, 'ratio'],
    ['modelgate split CPU/req ÷ fastify+reply-from', 'modelgate split', 'fastify+reply-from', cpu, '≤ 0.8', 0.8, 'ratio'],
    ['modelgate split CPU/req ÷ node-http-proxy', 'modelgate split', 'node-http-proxy', cpu, '≤ 0.7', 0.7, 'ratio'],
    ['modelgate split+shadow+log CPU/live req ÷ nginx split+mirror', 'modelgate split+shadow+log', 'nginx split+mirror', cpu, '≤ 1.0', 1.0, 'ratio'],
    ['logging cost: 1 − req/s(split+log) ÷ req/s(split)', 'modelgate split+log', 'modelgate split', (x, y) => (1 - x.satRps / y.satRps) * 100, '≤ 15 %', 15, 'pct'],
    [`added p99 of modelgate split over direct @${RATE}/s`, 'modelgate split', 'direct', (x, y) => x.fixP99 - y.fixP99, '≤ 1 ms', 1, 'ms'],
    ['(info) node floor CPU/req ÷ nginx split', 'node floor', 'nginx split', cpu, '', Infinity, 'ratio'],
    ['(info) modelgate split CPU/req ÷ nginx split', 'modelgate split', 'nginx split', cpu, '', Infinity, 'ratio'],
    ['(info) modelgate split+shadow CPU/live req ÷ nginx split+mirror', 'modelgate split+shadow', 'nginx split+mirror', cpu, '', Infinity, 'ratio'],
    ['(info) fastify+reply-from CPU/req ÷ node floor', 'fastify+reply-from', 'node floor', cpu, '', Infinity, 'ratio'],
    ['(info) node-http-proxy CPU/req ÷ node floor', 'node-http-proxy', 'node floor', cpu, '', Infinity, 'ratio'],
    ['(info) logging CPU: split+log CPU/req ÷ split', 'modelgate split+log', 'modelgate split', cpu, '', Infinity, 'ratio'],
  ];
  // each build against the one before it (BENCH_BASELINE lists the oldest first), and this checkout against the oldest
  const builds = [...BASELINES.map(([, label]) => ` @${label}`), ''];
  for (const n of BASELINES.length ? BASELINE_PATHS : []) {
    for (let i = 1; i < builds.length; i++) checks.push([`(step) ${n}${builds[i] || ' (this checkout)'} CPU/req ÷ ${n}${builds[i - 1]}`, n + builds[i], n + builds[i - 1], cpu, '', Infinity, 'ratio']);
    if (builds.length > 2) checks.push([`(all steps) ${n} CPU/req ÷ ${n}${builds[0]}`, n, n + builds[0], cpu, '', Infinity, 'ratio']);
  }
  const show = (v: number, kind: string) => (kind === 'pct' ? `${fmt(v, 1)} %` : kind === 'ms' ? `${fmt(v, 2)} ms` : fmt(v, 2));
  lines.push('', '| ratio (median of the per-round ratios) | this run | rounds min–max | target | met |', '|---|---:|---:|---:|:---:|');
  for (const [label, a, b, f, target, limit, kind] of checks) {
    if (!has(a) || !has(b)) continue;
    const r = perRound(a, b, f);
    lines.push(`| ${label} | ${show(r.med, kind)} | ${show(r.min, kind)} – ${show(r.max, kind)} | ${target} | ${target ? (r.med <= limit ? 'yes' : 'no') : ''} |`);
  }
  if (mirrored.length) lines.push('', `Checked on each shadow target's /metrics after the rounds: ${mirrored.join('; ')}.`);
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.md', `${text}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
