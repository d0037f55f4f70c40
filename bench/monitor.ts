/**
 * `npm run bench:monitor`: how many prediction-log entries per second one monitor process
 * handles (read through the consumer group, deduplicated, windowed, judged: PSI, KS,
 * Wasserstein, chi-squared; reports written; entries acknowledged), with 8 numeric and 2
 * categorical features per entry. The stream is pre-filled in a private redis-server the
 * bench starts itself (never the one on 6379); the monitor runs in this process, on one core.
 * Env: BENCH_ENTRIES (default 200000), BENCH_WINDOW (default 1000).
 */
import { spawn } from 'node:child_process';
import { syntheticReference } from '../src/monitor/drift/synthetic-reference.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config/load.ts';
import { BaselineStore } from '../src/monitor/drift/baseline-store.ts';
import { DriftStore } from '../src/monitor/drift/drift-store.ts';
import { startMonitor } from '../src/monitor/runtime/monitor.ts';
import { predictionsKey } from '../src/redis/keys.ts';
import { generate, xaddAll, type TrafficSpec } from '../src/monitor/runtime/synthetic.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 200_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 1000);
const SPEC: TrafficSpec = { numeric: 8, categorical: 2 };

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = createConnection({ port, host: '127.0.0.1' });
      c.once('connect', () => (c.end(), r(true)));
      c.once('error', () => (c.destroy(), r(false)));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('redis-server did not start');
}

const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), 'mg-bench-'));
const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
try {
  await waitPort(port);
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Redis(url);
  const cfg = parseConfig(
    {
      redis: { url, prefix: 'bench' },
      routes: { r: { models: ['m'], variants: [{ name: 'v1', backend: 'http://127.0.0.1:9', weight: 100 }] } },
      monitor: { window_entries: WINDOW, window_ms: 3_600_000, lease_ms: 10_000 },
    },
    'bench',
    {},
  );
  await new BaselineStore(redis, 'bench').setVariant('r', syntheticReference(1, 50_000, SPEC, { variant: 'v1', model_version: '1' }));
  process.stderr.write(`filling the stream with ${ENTRIES} entries (8 numeric + 2 categorical features)...\n`);
  for (let i = 0; i < ENTRIES; i += 20_000) await xaddAll(redis, predictionsKey('bench', 'r'), generate(100 + i, Math.min(20_000, ENTRIES - i), SPEC, { variant: 'v1', ridPrefix: 'b', ridStart: i }));
  const windows = Math.floor(ENTRIES / WINDOW);
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const monitor = await startMonitor(cfg, { http: false, batch: Number(process.env.BENCH_BATCH ?? 1000) });
  const reports = new DriftStore(redis, 'bench');
  for (;;) {
    const r = await reports.load('r');
    if (r && r.variants.v1.totals.windows >= windows) break;
    await new Promise((res) => setTimeout(res, 10));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await monitor.close();
  redis.disconnect();
  const entries = windows * WINDOW;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  // Wall-clock rate, and the rate per CPU-second of this process: what one fully busy core
  // sustains (the wall figure drops when other processes share the cores with redis-server).
  process.stdout.write(
    `monitor: ${entries} entries in ${seconds.toFixed(2)} s = ${fmt(entries / seconds)} entries/s wall-clock; ` +
      `${fmt(entries / cpuSeconds)} entries per CPU-second of the monitor process ` +
      `(window ${WINDOW}, ${windows} windows judged, CPU ${((cpuSeconds / seconds) * 100).toFixed(0)} % of one core)\n`,
  );
} finally {
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
