/**
 * The data-plane HTTP server: node:http with every limit set, prediction paths on the hot
 * path, everything else through the hono ops app. No admin route exists on this port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { FileConfig } from '../config/schema.ts';
import type { GatewayEvents } from '../gateway/events.ts';
import type { Logger } from '../telemetry/logger.ts';
import { clientErrorHandler } from './client-error.ts';
import { isOriginForm, isPredictTarget, parsePredictPath } from './paths.ts';
import type { PredictHandler } from './predict.ts';
import { sendError } from './respond.ts';

export interface DataPlane {
  readonly server: Server;
  inflight(): number;
  /** resolves when nothing is in flight */
  drained(): Promise<void>;
}

export function createDataPlane(cfg: FileConfig, predict: PredictHandler, ops: Hono, events: GatewayEvents, logger: Logger): DataPlane {
  const limits = cfg.limits;
  const opsListener = getRequestListener(ops.fetch);
  let inflight = 0;
  let waiters: Array<() => void> = [];
  const done = () => {
    inflight--;
    events.inflight(-1);
    if (inflight === 0 && waiters.length) {
      for (const w of waiters) w();
      waiters = [];
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    const url = req.url ?? '/';
    if (!isOriginForm(url)) {
      events.rejected('BAD_REQUEST');
      predict.traceRefusal(req, 'BAD_REQUEST', startedAt);
      return sendError(res, 'BAD_REQUEST', undefined, [], true, 'only origin-form request targets are accepted');
    }
    if (!isPredictTarget(url)) return void opsListener(req, res);
    const path = parsePredictPath(url);
    if (!path.ok && path.reason === 'server') return void opsListener(req, res);
    if (!path.ok) {
      const code = path.reason === 'bad_target' ? 'BAD_REQUEST' : 'NOT_FOUND';
      events.rejected(code);
      predict.traceRefusal(req, code, startedAt);
      return sendError(res, code, undefined, [], true, path.reason === 'bad_target' ? 'invalid model path' : undefined);
    }
    if (inflight >= limits.max_inflight) {
      events.rejected('OVER_CAPACITY');
      predict.traceRefusal(req, 'OVER_CAPACITY', startedAt);
      return sendError(res, 'OVER_CAPACITY', undefined, ['retry-after', '1']);
    }
    inflight++;
    events.inflight(1);
    predict
      .handle(req, res, path, startedAt)
      .catch((err: unknown) => {
        logger.error({ err }, 'prediction handler failed');
        sendError(res, 'INTERNAL', undefined, [], true);
      })
      .finally(done);
  };

  const server = createServer(
    {
      maxHeaderSize: limits.max_header_bytes,
      requestTimeout: limits.request_timeout_ms,
      headersTimeout: Math.min(limits.headers_timeout_ms, limits.request_timeout_ms),
      keepAliveTimeout: limits.keep_alive_timeout_ms,
      connectionsCheckingInterval: 1000,
      noDelay: true,
    },
    onRequest,
  );
  server.on('clientError', clientErrorHandler(events));
  return {
    server,
    inflight: () => inflight,
    drained: () => (inflight === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
  };
}
