/**
 * What tracing costs: `node --import tsx bench/tracing.ts`. The same gateway process config with
 * tracing off (the default), on with every request sampled, and on at a 10 % sample ratio,
 * exporting over OTLP/HTTP to a sink in this process (it counts the spans it receives). Per
 * target: requests/s, p50 and p99 at saturation (wrk, 64 connections), p99 at a fixed rate
 * (bench/loadgen.ts), and the gateway's CPU microseconds per request (from /proc). Targets run
 * interleaved for BENCH_ROUNDS rounds, so the noise of a shared machine shows as spread.
 * Env: BENCH_SECONDS (default 5), BENCH_ROUNDS (2), BENCH_RATE (1000), BENCH_ONLY (comma list of
 * substrings of target names). Writes bench/results/tracing.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { run, stop, totalCpu } from './procs.ts';
import { backend, benchRoutes, fmt, gatewayProcess, parseWrk, tsx } from './common.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);

if (spawnSync('which', ['wrk']).status !== 0) {
  process.stderr.write('bench/tracing.ts needs wrk (apt-get install -y wrk)\n');
  process.exit(2);
}

/** an OTLP/HTTP JSON sink: counts the spans it receives */
async function otlpSink() {
  let spans = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
      } catch {
        /* count nothing */
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans: () => spans, close: () => server.close() };
}

const gateway = (route: Record<string, unknown>, tracing: Record<string, unknown> | undefined) => gatewayProcess(route, tracing ? { tracing } : {});

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  fixP99: number;
  fixCpuUs: number;
  errors: number;
}

async function measure(name: string, url: string, pid: number): Promise<Row> {
  await run(process.execPath, [...tsx, 'bench/loadgen.ts', url, '1000', '2', '64']); // warm up
  let c0 = totalCpu([pid]);
  const sat = parseWrk(await run('wrk', ['-t1', '-c64', `-d${SECONDS}s`, '--latency', '-s', 'bench/wrk-post.lua', url]));
  const satCpu = totalCpu([pid]) - c0;
  await new Promise((r) => setTimeout(r, 300));
  c0 = totalCpu([pid]);
  const fix = JSON.parse((await run(process.execPath, [...tsx, 'bench/loadgen.ts', url, String(RATE), String(SECONDS), '64'])).trim().split('\n').at(-1)!);
  const fixCpu = totalCpu([pid]) - c0;
  return { name, rps: sat.rps, p50: sat.p50, p99: sat.p99, cpuUs: (satCpu / sat.requests) * 1e6, fixP99: fix.p99, fixCpuUs: (fixCpu / fix.requests) * 1e6, errors: sat.errors + (fix.errors ?? 0) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const b1 = await backend();
  const b2 = await backend();
  const b3 = await backend();
  const sink = await otlpSink();
  const { route, withShadow } = benchRoutes(b1.port, b2.port, b3.port);
  const on = (ratio: number) => ({ enabled: true, otlp_endpoint: sink.url, sample_ratio: ratio });
  const all: Array<[string, Record<string, unknown>, Record<string, unknown> | undefined]> = [
    ['split, tracing off', route, undefined],
    ['split, tracing on (ratio 1)', route, on(1)],
    ['split, tracing on (ratio 0.1)', route, on(0.1)],
    ['split+shadow, tracing off', withShadow, undefined],
    ['split+shadow, tracing on (ratio 1)', withShadow, on(1)],
  ];
  const targets = all.filter(([name]) => !ONLY || ONLY.some((o) => name.includes(o)));
  const rows = new Map<string, Row[]>();
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, r, tracing] of targets) {
      const gw = await gateway(r, tracing);
      const before = sink.spans();
      try {
        const row = await measure(name, gw.url, gw.proc.pid!);
        rows.set(name, [...(rows.get(name) ?? []), row]);
        await stop(gw.proc); // flushes the span batch
        process.stderr.write(`${name} (round ${round + 1}): ${fmt(row.rps)} req/s, ${fmt(row.cpuUs, 1)} µs CPU/req, p99 ${fmt(row.p99, 2)} ms; ${sink.spans() - before} spans exported\n`);
      } finally {
        await stop(gw.proc);
      }
    }
  const lines = [
    `# Tracing cost (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${ROUNDS} interleaved rounds of ${SECONDS} s, medians)`,
    '',
    '| target | req/s (wrk -c64) | p50 ms | p99 ms | CPU µs/req | p99 ms @' + RATE + '/s | CPU µs/req @' + RATE + '/s | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name] of targets) {
    const rs = rows.get(name)!;
    const m = (k: keyof Row) => median(rs.map((r) => r[k] as number));
    lines.push(`| ${name} | ${fmt(m('rps'))} | ${fmt(m('p50'), 2)} | ${fmt(m('p99'), 2)} | ${fmt(m('cpuUs'), 1)} | ${fmt(m('fixP99'), 2)} | ${fmt(m('fixCpuUs'), 1)} | ${rs.reduce((s, r) => s + r.errors, 0)} |`);
  }
  const cpu = (n: string) => (rows.has(n) ? median(rows.get(n)!.map((r) => r.cpuUs)) : NaN);
  const delta = (on: string, off: string) => `${fmt(cpu(on) - cpu(off), 1)} µs`;
  lines.push('', `CPU per request added by tracing: split, ratio 1: ${delta('split, tracing on (ratio 1)', 'split, tracing off')}; split, ratio 0.1: ${delta('split, tracing on (ratio 0.1)', 'split, tracing off')}; split+shadow, ratio 1: ${delta('split+shadow, tracing on (ratio 1)', 'split+shadow, tracing off')}.`);
  const text = `${lines.join('\n')}\n`;
  process.stdout.write(text);
  writeFileSync('bench/results/tracing.md', text);
  sink.close();
  for (const b of [b1, b2, b3]) await stop(b.proc);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
