/**
 * `modelgate demo`: the demo model backends (ports taken from the config's backend URLs), a
 * private redis-server when REDIS_URL is unset and redis-server is installed, the gateway, and
 * optionally steady traffic (with a drift switch). Prints what to try.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import { loadConfigFile } from '../config/load.ts';
import { startGateway } from '../gateway/start.ts';
import { createLogger } from '../telemetry/logger.ts';
import { startModelServer } from './backend.ts';
import { hasRedisServer, startPrivateRedis } from './private-redis.ts';
import { runTraffic, type TrafficOptions } from './traffic.ts';
import { demoExtras } from './extras.ts';

export interface DemoOptions {
  config?: string;
  traffic?: number;
  shift?: TrafficOptions['shift'];
  shiftAfter?: number;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function runDemo(o: DemoOptions = {}): Promise<void> {
  const out = (s = '') => process.stdout.write(`${s}\n`);
  const file = o.config ?? join(ROOT, 'config', 'demo.yaml');
  let redisStop: (() => void) | undefined;
  if (!process.env.REDIS_URL && hasRedisServer()) {
    const r = await startPrivateRedis();
    process.env.REDIS_URL = r.url;
    redisStop = r.stop;
    out(`started a private redis-server for the demo at ${r.url} (set REDIS_URL to use your own)`);
  } else if (!process.env.REDIS_URL) out('redis-server not found: running without Redis (no prediction log, in-memory config)');
  else out(`using Redis at ${process.env.REDIS_URL}`);
  if (!process.env.MODELGATE_ADMIN_TOKENS && !process.env.MODELGATE_ADMIN_TOKEN) process.env.MODELGATE_ADMIN_TOKENS = 'demo:demo-token';
  const cfg = loadConfigFile(file);

  const servers: Server[] = [];
  const started = new Set<string>();
  for (const route of Object.values(cfg.routes))
    for (const b of [...route.variants, ...route.shadows]) {
      const u = new URL(b.backend);
      if (started.has(u.port)) continue;
      started.add(u.port);
      const { server } = await startModelServer(b.model ?? 'fraud-v1', Number(u.port), u.hostname);
      servers.push(server);
      out(`model backend ${b.model ?? 'fraud-v1'} (${b.name}) on ${u.origin}`);
    }

  const logger = createLogger('gateway', process.env.MODELGATE_LOG_LEVEL ?? 'warn');
  const gw = await startGateway(cfg, { logger });
  const extras = await demoExtras(cfg, logger);
  const base = `http://${cfg.listen.host === '0.0.0.0' ? '127.0.0.1' : cfg.listen.host}:${gw.dataPort}`;
  const admin = `http://${cfg.admin.host}:${gw.adminPort ?? cfg.admin.port}`;
  const token = (process.env.MODELGATE_ADMIN_TOKENS ?? '').split(',')[0]?.split(':')[1] ?? '';
  out();
  out(`gateway on ${base}  (admin API on ${admin}, token "${token}")`);
  out();
  out('Try:');
  out(`  curl -s ${base}/v1/models/fraud:predict -H 'content-type: application/json' -H 'x-user-id: alice' \\`);
  out(`       -d '{"instances": [{"amount": 120.5, "merchant_risk": 0.3, "hour": 23, "country": "BR"}]}' -i`);
  out(`  curl -s ${base}/v2/models/fraud/infer -H 'content-type: application/json' -H 'x-user-id: bob' \\`);
  out(`       -d '{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP64", "data": [120.5, 0.3, 23]}]}'`);
  out(`  curl -s ${base}/v1/models/fraud:predict -H 'content-type: application/json' -H 'x-modelgate-variant: v2' -d '{"instances": [[50, 0.1, 12, "US"]]}' -i`);
  out(`  curl -s ${base}/metrics | grep '^modelgate_requests_total'`);
  out(`  curl -s ${admin}/admin/routes/fraud -H 'authorization: Bearer ${token}' -i`);
  out(`  MODELGATE_ADMIN_URL=${admin} MODELGATE_ADMIN_TOKEN=${token} npx modelgate ctl weights fraud v1=75 v2=25`);
  for (const line of extras.lines(base, admin, token)) out(line);
  out();
  out('Ctrl-C stops everything.');

  const abort = new AbortController();
  if (o.traffic) {
    out(`sending ${o.traffic} requests/s${o.shift ? `, shifting "${o.shift}" after ${o.shiftAfter ?? 0} requests` : ''}`);
    void runTraffic({ url: base, rate: o.traffic, shift: o.shift, shiftAfter: o.shiftAfter }, abort.signal);
  }
  const stop = async () => {
    abort.abort();
    await gw.close();
    await extras.close();
    for (const s of servers) s.close();
    redisStop?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
