/**
 * The data-plane HTTP server: node:http with every limit set, prediction paths on the hot
 * path, everything else through the hono ops app. No admin route exists on this port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { FileConfig } from '../config/schema.ts';
import type { GatewayEvents } from '../gateway/events.ts';
import type { Logger } from '../telemetry/logger.ts';
import { clientErrorHandler } from './client-error.ts';
import { isOriginForm, isPredictTarget, parsePredictPathCached } from './paths.ts';
import type { PredictHandler } from './predict.ts';
import { checkHead, parserHeaderCount } from './request-guards.ts';
import { sendError } from './respond.ts';
import { accepted, answered, openOn, pendingOn, servedOn } from './socket-state.ts';
import { armWriteDeadline } from './write-deadline.ts';
import { ClientGone } from '../upstream/cancel.ts';

export interface DataPlane {
  readonly server: Server;
  inflight(): number;
  /**
   * resolves when no prediction is in flight and every accepted answer is written; after
   * stopAccepting, also only once every connection has ended (a fresh one that never sends is
   * ended by the headers timeout; the shutdown timeout bounds the whole wait)
   */
  drained(): Promise<void>;
  /** from now on every answer carries `Connection: close` */
  beginDrain(): void;
  readonly draining: boolean;
  /** stops accepting connections and closes idle keep-alive sockets, sparing fresh ones */
  stopAccepting(): void;
}

/** after the listener closed, how long a connection that has sent nothing yet may still send its request */
const FRESH_CONNECTION_GRACE_MS = 2000;

export function createDataPlane(cfg: FileConfig, predict: PredictHandler, ops: Hono, events: GatewayEvents, logger: Logger): DataPlane {
  const limits = cfg.limits;
  const opsListener = getRequestListener(ops.fetch);
  let inflight = 0;
  /** accepted requests whose answer is not yet written (their responses: socket-state.ts openOn) */
  let open = 0;
  let draining = false;
  let accepting = true;
  const sockets = new Set<Socket>();
  let waiters: Array<() => void> = [];
  // once the listener is closed, drained also waits for every connection to end: one accepted
  // just before the close gets its request served (with Connection: close), not a reset
  const settle = () => {
    if (inflight === 0 && open === 0 && (accepting || sockets.size === 0) && waiters.length) {
      for (const w of waiters) w();
      waiters = [];
    }
  };
  const done = () => {
    inflight--;
    events.inflight(-1);
    settle();
  };
  const timedOut = () => events.responseTimedOut();
  const written = (res: ServerResponse) => () => armWriteDeadline(res, limits.response_timeout_ms, timedOut);
  /** a prediction's answer is handed over (or failed): one settle per request, no promise chain */
  const finished = (res: ServerResponse) => {
    try {
      armWriteDeadline(res, limits.response_timeout_ms, timedOut);
    } finally {
      done();
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    const socket = req.socket;
    accepted(socket, res);
    open++;
    const client = new ClientGone();
    res.once('close', () => {
      if (!res.writableEnded) client.abort();
      open--;
      answered(socket, res);
      if (!accepting && pendingOn(socket) === 0) socket.destroySoon();
      settle();
    });
    if (draining) res.shouldKeepAlive = false;
    const url = req.url ?? '/';
    const refused = checkHead(req, limits.max_headers);
    if (refused) {
      events.rejected(refused.code);
      return sendError(res, refused.code, undefined, [], true, refused.message);
    }
    if (!isOriginForm(url)) {
      events.rejected('BAD_REQUEST');
      predict.traceRefusal(req, 'BAD_REQUEST', startedAt);
      return sendError(res, 'BAD_REQUEST', undefined, [], true, 'only origin-form request targets are accepted');
    }
    if (!isPredictTarget(url)) return void opsListener(req, res).then(written(res));
    const path = parsePredictPathCached(url);
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
    predict.handle(req, res, path, startedAt, client).then(
      () => finished(res),
      (err: unknown) => {
        try {
          logger.error({ err }, 'prediction handler failed');
          sendError(res, 'INTERNAL', undefined, [], true);
        } finally {
          finished(res);
        }
      },
    );
  };

  const server = createServer(
    {
      maxHeaderSize: limits.max_header_bytes,
      requestTimeout: limits.request_timeout_ms,
      headersTimeout: Math.min(limits.headers_timeout_ms, limits.request_timeout_ms),
      keepAliveTimeout: limits.keep_alive_timeout_ms,
      connectionsCheckingInterval: 1000,
      noDelay: true,
      // a missing Host gets our JSON 400 (request-guards.ts), not Node's bare one
      requireHostHeader: false,
    },
    onRequest,
  );
  server.maxHeadersCount = parserHeaderCount(limits.max_headers);
  server.on('clientError', clientErrorHandler(events));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => {
      sockets.delete(s);
      if (!accepting) settle();
    });
  });
  return {
    server,
    inflight: () => inflight,
    drained: () =>
      new Promise<void>((r) => {
        waiters.push(r);
        settle();
      }),
    beginDrain: () => {
      draining = true;
      // answers not yet started close their connection too: no socket is left idle in keep-alive
      for (const s of sockets) for (const res of openOn(s)) if (!res.headersSent) res.shouldKeepAlive = false;
    },
    get draining() {
      return draining;
    },
    stopAccepting: () => {
      if (!accepting) return;
      accepting = false;
      // net.Server's close: stops listening without http's closeIdleConnections(), which would
      // also close a socket just accepted whose first request is still on its way
      if (server.listening) NetServer.prototype.close.call(server, () => {});
      for (const s of sockets) if (pendingOn(s) === 0 && servedOn(s) > 0) s.destroySoon();
      // a connection accepted just before the close has this long to send its request
      setTimeout(() => {
        for (const s of sockets) if (pendingOn(s) === 0 && servedOn(s) === 0) s.destroy();
      }, FRESH_CONNECTION_GRACE_MS).unref();
      settle();
    },
  };
}
