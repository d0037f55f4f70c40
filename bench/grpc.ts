/**
 * gRPC through the gateway vs direct, in one run: a grpc-js OIP backend, the gateway with a
 * 90/10 sticky split over two ports of it (log off), and a closed-loop grpc-js load generator,
 * each its own process. Reports calls/s and the CPU µs per call of the gateway process and of
 * the backend (what one plain grpc-js server spends on the same call).
 *   node --import tsx bench/grpc.ts [seconds=10] [concurrency=32]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, freePort, stop } from './procs.ts';

const seconds = Number(process.argv[2] ?? 10);
const concurrency = Number(process.argv[3] ?? 32);
const peer = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', 'bench/grpc-peer.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });

const line = (p: ChildProcess, match: (s: string) => boolean) =>
  new Promise<string>((resolve, reject) => {
    let buf = '';
    p.stdout!.on('data', (d) => {
      buf += d;
      for (const l of buf.split('\n')) if (match(l)) resolve(l);
    });
    p.once('exit', (c) => reject(new Error(`exited ${c} before: ${buf}`)));
  });

async function load(port: number, pids: number[]) {
  const before = pids.map(cpuSeconds);
  const gen = peer(['load', String(port), String(seconds), String(concurrency)]);
  const out = JSON.parse(await line(gen, (l) => l.startsWith('{'))) as { calls: number; errors: number };
  const cpu = pids.map((p, i) => cpuSeconds(p) - before[i]);
  return { ...out, perSecond: out.calls / seconds, cpuUsPerCall: cpu.map((c) => (c * 1e6) / Math.max(1, out.calls)) };
}

const dir = mkdtempSync(join(tmpdir(), 'mg-grpc-bench-'));
const procs: ChildProcess[] = [];
try {
  const [b1, b2, gp, dp, ap] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const backends = [peer(['backend', String(b1)]), peer(['backend', String(b2)])];
  procs.push(...backends);
  await Promise.all(backends.map((b) => line(b, (l) => l === 'ready')));
  const config = join(dir, 'gateway.yaml');
  writeFileSync(
    config,
    JSON.stringify({
      listen: { host: '127.0.0.1', port: dp },
      admin: { enabled: false, port: ap },
      log: { enabled: false },
      grpc: { enabled: true, host: '127.0.0.1', port: gp },
      routes: { fraud: { models: ['fraud'], unit: { header: 'x-user-id' }, variants: [{ name: 'v1', backend: `grpc://127.0.0.1:${b1}`, weight: 90 }, { name: 'v2', backend: `grpc://127.0.0.1:${b2}`, weight: 10 }] } },
    }),
  );
  const gw = spawn(process.execPath, ['bin/modelgate.js', 'gateway', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  procs.push(gw);
  await line(gw, (l) => l.includes('gateway listening'));
  await load(gp, [gw.pid!]); // warm-up
  const direct = await load(b1, [backends[0].pid!]);
  const via = await load(gp, [gw.pid!, backends[0].pid!, backends[1].pid!]);
  const backendVia = via.cpuUsPerCall[1] + via.cpuUsPerCall[2];
  const rows = [
    ['path', 'calls/s', 'errors', 'gateway CPU µs/call', 'backend CPU µs/call'],
    ['direct to the backend', direct.perSecond.toFixed(0), String(direct.errors), '-', direct.cpuUsPerCall[0].toFixed(1)],
    ['through the gateway (90/10 split)', via.perSecond.toFixed(0), String(via.errors), via.cpuUsPerCall[0].toFixed(1), backendVia.toFixed(1)],
  ];
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\ngateway CPU per call / backend CPU per call: ${(via.cpuUsPerCall[0] / direct.cpuUsPerCall[0]).toFixed(2)} (${seconds} s, ${concurrency} concurrent calls, Node ${process.version})`);
} finally {
  await Promise.all(procs.map(stop));
  rmSync(dir, { recursive: true, force: true });
}
