/**
 * The prediction hot path: accept -> one config snapshot -> select() -> forward to the live
 * backend -> answer -> fire shadows (detached) -> hand log events to the sink (not awaited).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import type { GatewayEvents } from '../gateway/events.ts';
import type { LogSink } from '../predictions/record.ts';
import type { CompiledRoute, CompiledVariant } from '../routing/compile.ts';
import { select } from '../routing/select.ts';
import type { BackendRegistry } from '../upstream/backend.ts';
import { readClientHeaders, requestIdFor, responseHeaders } from '../upstream/headers.ts';
import { RetryBudget } from '../upstream/retry-budget.ts';
import { buildRuntime, type RouteRuntime } from '../upstream/route-runtime.ts';
import { send, type UpstreamResult } from '../upstream/send.ts';
import { pathFor, ShadowMirror } from '../upstream/shadow.ts';
import { isTrustedHop } from './trusted-proxies.ts';
import { readBody } from './read-body.ts';
import { depthMessage, tooDeep } from './json-depth.ts';
import { sendError } from './respond.ts';
import type { AccessLog, RequestSpan, Tracer } from '../gateway/tracer.ts';
import type { PredictPath } from './paths.ts';

export interface PredictDeps {
  cfg: FileConfig;
  store: ConfigStore;
  sink: LogSink;
  events: GatewayEvents;
  backends: BackendRegistry;
  /** undefined when tracing is off: then it costs nothing */
  tracer?: Tracer;
  accessLog?: AccessLog;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export class PredictHandler {
  private readonly runtimes = new WeakMap<CompiledRoute, RouteRuntime>();
  private readonly budget = new RetryBudget();
  private readonly mirror: ShadowMirror;
  private readonly logThreshold: number;
  private readonly trusted: (addr: string | undefined) => boolean;

  constructor(private readonly deps: PredictDeps) {
    this.mirror = new ShadowMirror(deps.events, deps.sink, deps.cfg.limits.max_json_depth);
    this.logThreshold = deps.cfg.log.enabled ? Math.round(deps.cfg.log.sample_percent * 100) : 0;
    this.trusted = isTrustedHop(deps.cfg.trusted_proxies);
  }

  /** header names to capture: the route's, plus trace context when tracing */
  private wanted(rt: RouteRuntime): ReadonlySet<string> {
    if (!this.deps.tracer) return rt.wanted;
    let w = this.tracedWanted.get(rt);
    if (!w) this.tracedWanted.set(rt, (w = new Set([...rt.wanted, 'traceparent', 'tracestate'])));
    return w;
  }
  private readonly tracedWanted = new WeakMap<RouteRuntime, ReadonlySet<string>>();

  runtime(route: CompiledRoute): RouteRuntime {
    let rt = this.runtimes.get(route);
    if (!rt) this.runtimes.set(route, (rt = buildRuntime(route, this.deps.backends)));
    return rt;
  }

  private reject(res: ServerResponse, code: ErrorCode, rid?: string, close = false, extra?: string[]): void {
    this.deps.events.rejected(code);
    sendError(res, code, rid, extra, close);
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: Extract<PredictPath, { ok: true }>, startedAt: number): Promise<void> {
    const { cfg, store } = this.deps;
    if (req.method !== 'POST') return this.reject(res, 'METHOD_NOT_ALLOWED', undefined, false, ['allow', 'POST']);
    const config = store.current();
    const route = config.byModel.get(path.model);
    if (!route) return this.reject(res, 'MODEL_NOT_FOUND', undefined, true);
    const rt = this.runtime(route);
    const h = readClientHeaders(req.rawHeaders, this.wanted(rt));
    const rid = requestIdFor(h.requestId);
    if (h.hostCount > 1) return this.reject(res, 'BAD_REQUEST', rid, true);
    if (h.contentLength !== undefined && Number(h.contentLength) > cfg.limits.max_body_bytes) return this.reject(res, 'PAYLOAD_TOO_LARGE', rid, true);
    const ts = Date.now();
    const b = await readBody(req, cfg.limits.max_body_bytes, cfg.limits.body_timeout_ms);
    if (!b.ok) return b.code === 'CLIENT_CLOSED_REQUEST' ? void this.deps.events.rejected(b.code) : this.reject(res, b.code, rid, true);
    // depth first, on the bytes: nothing below (parse, log, shadow comparison) may meet a deep body
    if (tooDeep(b.body, cfg.limits.max_json_depth)) {
      this.deps.events.rejected('INVALID_JSON');
      return sendError(res, 'INVALID_JSON', rid, [], false, depthMessage(cfg.limits.max_json_depth));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(b.body.toString('utf8'));
    } catch {
      return this.reject(res, 'INVALID_JSON', rid);
    }
    // invalid JSON is 400 whatever its type; valid JSON sent with an explicit non-JSON type is 415
    if (h.contentType !== undefined && !JSON_TYPE.test(h.contentType)) return this.reject(res, 'UNSUPPORTED_MEDIA_TYPE', rid);
    const unit = rt.unit({ header: (n) => h.wanted.get(n), query: path.query, body: parsed });
    if (unit === null && route.config.on_missing_unit === 'reject') return this.reject(res, 'MISSING_UNIT', rid);
    let forced: CompiledVariant | null = null;
    if (rt.overrideHeader) {
      const name = h.wanted.get(rt.overrideHeader);
      if (name !== undefined && name !== '') {
        const v = route.variantByName.get(name.trim());
        if (!v) return this.reject(res, 'UNKNOWN_VARIANT', rid);
        forced = v;
      }
    }
    const decision = select(route, unit, forced, this.logThreshold);
    const variant = decision.variant;
    const headers = h.forward;
    let span: RequestSpan | undefined;
    if (this.deps.tracer) {
      span = this.deps.tracer.startRequest('POST', req.url ?? '', h.wanted.get('traceparent'), h.wanted.get('tracestate'));
      span.setAttributes({ 'modelgate.route': route.name, 'modelgate.variant': variant.name, 'modelgate.assign': decision.assign, 'modelgate.request_id': rid });
      // the client's trace headers are replaced by the live client span's
      for (let i = headers.length - 2; i >= 0; i -= 2) if (headers[i] === 'traceparent' || headers[i] === 'tracestate') headers.splice(i, 2);
    }
    const remote = req.socket.remoteAddress ?? '';
    headers.push('x-request-id', rid, 'x-forwarded-for', h.forwardedFor && this.trusted(remote) ? `${h.forwardedFor}, ${remote}` : remote, 'x-forwarded-proto', 'http');
    if (h.host !== undefined) headers.push('x-forwarded-host', h.host);

    const upstreamPath = pathFor(path.protocol, variant.model ?? path.model, path.query);
    const liveSpan = span?.child('live', variant.name, `${variant.backend.origin}${upstreamPath}`);
    const liveHeaders = liveSpan ? headers.slice() : headers;
    liveSpan?.inject(liveHeaders);
    const result = await this.forward(route, rt, variant, upstreamPath, liveHeaders, b.body);
    liveSpan?.end(result.ok ? result.status : ERROR_CODES[result.failure.code].status, result.ok ? undefined : result.failure.code);
    const closed = res.destroyed || req.socket.destroyed;
    let status: number;
    let error: ErrorCode | undefined;
    if (result.ok) {
      status = result.status;
      if (!closed) {
        const out = responseHeaders(result.headers);
        out.push('content-length', String(result.body.length), 'x-request-id', rid, 'x-model-variant', variant.name, 'x-model-version', variant.version);
        res.writeHead(status, out);
        res.end(result.body);
      }
      if (status >= 500) this.deps.events.upstreamError(route, variant.index, 'status_5xx');
    } else {
      error = result.failure.code;
      status = ERROR_CODES[error].status;
      this.deps.events.upstreamError(route, variant.index, result.failure.reason);
      if (!closed) sendError(res, error, rid, ['x-model-variant', variant.name, 'x-model-version', variant.version], false, result.failure.message);
    }
    if (closed) {
      error = 'CLIENT_CLOSED_REQUEST';
      status = 499;
    }
    const seconds = (performance.now() - startedAt) / 1000;
    this.deps.events.response(route, variant.index, status, decision.assign, seconds);
    span?.end(status, error);
    this.deps.accessLog?.log({ rid, route: route.name, variant: variant.name, version: variant.version, status, latencyMs: seconds * 1000, assign: decision.assign, error });
    const liveBody = result.ok && status >= 200 && status < 300 ? result.body : undefined;
    if (decision.shadows.length > 0)
      this.mirror.fire({ route, runtime: rt, decision, protocol: path.protocol, model: path.model, query: path.query, headers, body: b.body, rid, ts, unit, request: parsed, liveBody, cfg: config.version, span });
    if (!decision.logged) this.deps.sink.sampledOut(route.name);
    else
      this.deps.sink.push({
        ts,
        rid,
        route,
        variant: variant.name,
        version: variant.version,
        role: 'live',
        assign: decision.assign,
        unit,
        bucket: decision.bucket,
        status,
        latencyMs: result.ms,
        protocol: path.protocol,
        request: parsed,
        response: result.ok ? result.body : undefined,
        error,
        cfg: config.version,
      });
  }

  /** Live forwarding: retries connect failures only, within the retry budget. */
  private async forward(route: CompiledRoute, rt: RouteRuntime, variant: CompiledVariant, path: string, headers: string[], body: Buffer): Promise<UpstreamResult> {
    const backend = rt.variantBackends[variant.index];
    const started = performance.now();
    this.budget.begin();
    try {
      let r = await send({ backend, path, headers, body, timeoutMs: rt.timeoutMs, maxResponseBytes: rt.maxResponseBytes });
      for (let attempt = 0; !r.ok && r.failure.retryable && attempt < rt.retries; attempt++) {
        const left = rt.timeoutMs - (performance.now() - started);
        if (left <= 0 || !this.budget.tryRetry()) break;
        this.deps.events.retry(route, variant.index);
        try {
          r = await send({ backend, path, headers, body, timeoutMs: left, maxResponseBytes: rt.maxResponseBytes });
        } finally {
          this.budget.retryDone();
        }
      }
      r.ms = performance.now() - started;
      return r;
    } finally {
      this.budget.end();
    }
  }
}
