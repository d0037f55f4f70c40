/**
 * `modelgate demo`: the demo model backends (ports taken from the config's backend URLs, or
 * from --port-base), a private redis-server when REDIS_URL is unset and redis-server is
 * installed, the gateway, the monitor, and optionally steady traffic (with a drift switch)
 * that also reports outcomes. Prints what to try. Whatever it started is stopped on any exit.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../config/load.ts';
import { startGateway } from '../gateway/start.ts';
import { createLogger } from '../telemetry/logger.ts';
import { startModelServer } from './backend.ts';
import { hasRedisServer, startPrivateRedis } from './private-redis.ts';
import { runTraffic } from './traffic.ts';
import { demoExtras } from './extras.ts';
import { Cleanup } from './cleanup.ts';
import { OutcomePoster, outcomesFor } from './outcomes.ts';
import { LABEL_DELAY_MS, labelFor } from './labels.ts';
import { portsFrom, type Shift } from './options.ts';
import { rng } from './traffic.ts';
import { tryLines } from './try-lines.ts';
import { ConfigError } from '../errors.ts';

export interface DemoOptions {
  config?: string;
  traffic?: number;
  shift?: Shift;
  shiftAfter?: number;
  portBase?: number;
  /** post outcomes for the traffic (default true) */
  outcomes?: boolean;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface RawConfig {
  listen?: { port?: number };
  admin?: { port?: number };
  monitor?: { port?: number };
  routes?: Record<string, { variants?: { backend: string }[]; shadows?: { backend: string }[] }>;
}

/** The config file with every port moved to --port-base (pure). */
export function movePorts(raw: RawConfig, base: number): RawConfig & { redisPort: number } {
  const backends = Object.values(raw.routes ?? {}).flatMap((r) => [...(r.variants ?? []), ...(r.shadows ?? [])]);
  const ports = portsFrom(base, backends.map((b) => new URL(b.backend).origin));
  const move = (b: { backend: string }) => {
    const u = new URL(b.backend);
    const origin = u.origin;
    u.port = String(ports.backends.get(origin));
    return { ...b, backend: u.toString().replace(/\/$/, b.backend.endsWith('/') ? '/' : '') };
  };
  const routes = Object.fromEntries(Object.entries(raw.routes ?? {}).map(([k, r]) => [k, { ...r, variants: r.variants?.map(move), shadows: r.shadows?.map(move) }]));
  return { ...raw, listen: { ...raw.listen, port: ports.data }, admin: { ...raw.admin, port: ports.admin }, monitor: { ...raw.monitor, port: ports.monitor }, routes, redisPort: ports.redis };
}

export async function runDemo(o: DemoOptions = {}): Promise<void> {
  const out = (s = '') => process.stdout.write(`${s}\n`);
  const cleanup = new Cleanup();
  const fail = async (e: unknown) => {
    const clash = (e as NodeJS.ErrnoException)?.code === 'EADDRINUSE' || /already in use/.test(String((e as Error)?.message));
    process.stderr.write(`modelgate demo: ${e instanceof Error ? e.message : String(e)}${clash ? ' (another process holds that port: move every demo port with --port-base N, e.g. --port-base 18080)' : ''}\n`);
    const problems = await cleanup.run();
    for (const p of problems) process.stderr.write(`modelgate demo: while stopping ${p}\n`);
    process.exit(1);
  };
  process.once('uncaughtException', (e) => void fail(e));
  process.once('unhandledRejection', (e) => void fail(e));
  const stopAll = async () => {
    const problems = await cleanup.run();
    for (const p of problems) process.stderr.write(`modelgate demo: while stopping ${p}\n`);
    process.exit(problems.length ? 1 : 0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => void stopAll());
  try {
    await start(o, cleanup, out);
  } catch (e) {
    await fail(e);
  }
}

async function start(o: DemoOptions, cleanup: Cleanup, out: (s?: string) => void): Promise<void> {
  const file = o.config ?? join(ROOT, 'config', 'demo.yaml');
  let raw: RawConfig & { redisPort?: number };
  try {
    raw = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as RawConfig;
  } catch (e) {
    throw new ConfigError(file, [{ path: '(file)', message: (e as Error).message }]);
  }
  if (o.portBase !== undefined) raw = movePorts(raw, o.portBase);
  const { redisPort, ...rawConfig } = raw;

  if (!process.env.REDIS_URL && hasRedisServer()) {
    const r = await startPrivateRedis(redisPort);
    cleanup.add({ name: 'redis-server', stop: r.stop, kill: r.stop });
    process.env.REDIS_URL = r.url;
    out(`started a private redis-server for the demo at ${r.url} (set REDIS_URL to use your own)`);
  } else if (!process.env.REDIS_URL) out('redis-server not found: running without Redis (no prediction log, in-memory config)');
  else out(`using Redis at ${process.env.REDIS_URL}`);
  if (!process.env.MODELGATE_ADMIN_TOKENS && !process.env.MODELGATE_ADMIN_TOKEN) process.env.MODELGATE_ADMIN_TOKENS = 'demo:demo-token';
  const cfg = parseConfig(rawConfig, file);

  const started = new Set<string>();
  for (const route of Object.values(cfg.routes))
    for (const b of [...route.variants, ...route.shadows]) {
      const u = new URL(b.backend);
      if (started.has(u.port)) continue;
      started.add(u.port);
      const { server } = await startModelServer(b.model ?? 'fraud-v1', Number(u.port), u.hostname);
      cleanup.add({ name: `model backend on ${u.origin}`, stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) });
      out(`model backend ${b.model ?? 'fraud-v1'} (${b.name}) on ${u.origin}`);
    }

  const logger = createLogger('gateway', process.env.MODELGATE_LOG_LEVEL ?? 'warn');
  const gw = await startGateway(cfg, { logger });
  cleanup.add({ name: 'gateway', stop: () => gw.close() });
  const extras = await demoExtras(cfg, logger);
  cleanup.add({ name: 'monitor', stop: () => extras.close() });
  const base = `http://${cfg.listen.host === '0.0.0.0' ? '127.0.0.1' : cfg.listen.host}:${gw.dataPort}`;
  const admin = `http://${cfg.admin.host}:${gw.adminPort ?? cfg.admin.port}`;
  const token = (process.env.MODELGATE_ADMIN_TOKENS ?? '').split(',')[0]?.split(':')[1] ?? '';
  out();
  out(`gateway on ${base}  (admin API on ${admin}, token "${token}")`);
  for (const line of tryLines(base, admin, token)) out(line);
  for (const line of extras.lines(base, admin, token)) out(line);
  out();
  out('Ctrl-C stops everything.');

  if (o.traffic) {
    const abort = new AbortController();
    const posting = o.outcomes !== false && !!cfg.redis?.url;
    const poster = posting ? new OutcomePoster(base) : undefined;
    const draw = rng(11);
    const route = Object.keys(cfg.routes)[0];
    const truth = rng(13);
    out(`sending ${o.traffic} requests/s${o.shift ? `, shifting "${o.shift}" after ${o.shiftAfter ?? 0} requests` : ''}${poster ? `, and reporting outcomes (converted, revenue) and fraud labels (${LABEL_DELAY_MS / 1000} s later) to POST /v1/outcomes` : ''}`);
    const done = runTraffic(
      {
        url: base,
        rate: o.traffic,
        shift: o.shift,
        shiftAfter: o.shiftAfter,
        onReply:
          poster &&
          ((r) => {
            if (r.status !== 200 || !r.requestId) return;
            poster.add(outcomesFor(route, r.requestId, r.unit, r.variant, r.amount, draw));
            poster.addLater([labelFor(route, { requestId: r.requestId, unit: r.unit, ts: r.ts, tx: r.tx }, truth)], LABEL_DELAY_MS);
          }),
      },
      abort.signal,
    );
    // registered last, so stopped first: no request is sent to a gateway that is closing
    cleanup.add({ name: 'traffic', stop: async () => (abort.abort(), await done, await poster?.close()) });
  }
}
