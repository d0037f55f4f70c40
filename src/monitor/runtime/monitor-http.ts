/** The monitor's own HTTP endpoints: GET /metrics (Prometheus), /healthz, /readyz. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { FaultReport } from '../../redis/faults.ts';

export interface MonitorState {
  redis: boolean;
  routes: string[];
  /** route workers that failed and restart after a backoff */
  failing?: Array<{ route: string; failures: number; kind: string; error: string; retry_in_ms: number }>;
  /** Redis errors that need an operator, seen lately */
  faults?: FaultReport[];
}

export interface MonitorHttp {
  readonly port: number;
  close(): Promise<void>;
}

export async function startMonitorHttp(host: string, port: number, registry: Registry, state: () => MonitorState): Promise<MonitorHttp> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'METHOD_NOT_ALLOWED', message: 'method not allowed' } }));
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (path === '/readyz') {
      const s = state();
      // 503 only when Redis is unreachable; failing routes and faults are degraded, still working
      const troubled = (s.failing?.length ?? 0) > 0 || (s.faults?.length ?? 0) > 0;
      const body = { status: s.redis && !troubled ? 'ok' : 'degraded', redis: s.redis ? 'ok' : 'down', routes: s.routes, ...(s.failing?.length ? { failing: s.failing } : {}), ...(s.faults?.length ? { faults: s.faults } : {}) };
      res.writeHead(s.redis ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such path' } }));
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
