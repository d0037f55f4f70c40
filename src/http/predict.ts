/**
 * The prediction hot path: accept -> one config snapshot -> select() -> forward to the live
 * backend -> answer -> fire shadows (detached) -> hand log events to the sink (not awaited).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import type { GatewayEvents } from '../gateway/events.ts';
import type { LogSink } from '../predictions/record.ts';
import type { CompiledRoute, CompiledVariant } from '../routing/compile.ts';
import { select, type Decision } from '../routing/select.ts';
import type { BackendRegistry } from '../upstream/backend.ts';
import { readClientHeaders, requestIdFor, responseHeaders } from '../upstream/headers.ts';
import { buildRuntime, type RouteRuntime } from '../upstream/route-runtime.ts';
import { forwardLive } from '../upstream/forward-live.ts';
import type { UpstreamResult } from '../upstream/send.ts';
import { ShadowMirror } from '../upstream/shadow.ts';
import type { CancelSignal } from '../upstream/cancel.ts';
import { BODY_HEADERS } from '../upstream/route-runtime.ts';
import { answerJsonPart, jsonHeaderLength } from '../predictions/binary-tensors.ts';
import { decodeBody } from './decode-body.ts';
import { lookup } from './metadata.ts';
import { bodyForModel, openaiModel, withoutEncoding } from './openai.ts';
import { isPrediction, upstreamPath, type RoutedPath } from './paths.ts';
import { LiveStream } from './stream-answer.ts';
import { appendProxyHeaders, isTrustedHop } from './trusted-proxies.ts';
import { readBody } from './read-body.ts';
import { depthMessage } from './json-depth.ts';
import { JSON_OK, JSON_TOO_DEEP, scanJson } from './json-scan.ts';
import { JsonText } from '../predictions/json-text.ts';
import { sendError } from './respond.ts';
import { httpRouteOf, type AccessLog, type RequestSpan, type Tracer } from '../gateway/tracer.ts';

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

/** what a streamed answer keeps: all of it for shadow comparison, its head for the log, else nothing */
const keepBytes = (d: Decision, maxResponse: number, maxEntry: number): number => (d.shadows.length > 0 ? maxResponse : d.logged ? maxEntry : 0);
const BODY_WANTED: ReadonlySet<string> = new Set(BODY_HEADERS);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
/** per client socket: its address and whether it is a trusted hop, looked up once per connection */
const PEER = Symbol('modelgate.peer');
type PeerSocket = Socket & { [PEER]?: { by: PredictHandler; remote: string; trusted: boolean } };

export class PredictHandler {
  private readonly runtimes = new WeakMap<CompiledRoute, RouteRuntime>();
  private readonly mirror: ShadowMirror;
  private readonly logThreshold: number;
  private readonly trusted: (addr: string | undefined) => boolean;

  constructor(readonly deps: PredictDeps) {
    this.mirror = new ShadowMirror(deps.events, deps.sink, deps.cfg.limits.max_json_depth);
    this.logThreshold = deps.cfg.log.enabled ? Math.round(deps.cfg.log.sample_percent * 100) : 0;
    this.trusted = isTrustedHop(deps.cfg.trusted_proxies);
  }

  /** header names to capture: the route's, plus trace context when tracing */
  wanted(rt: RouteRuntime): ReadonlySet<string> {
    if (!this.deps.tracer) return rt.wanted;
    let w = this.tracedWanted.get(rt);
    if (!w) this.tracedWanted.set(rt, (w = new Set([...rt.wanted, 'traceparent', 'tracestate'])));
    return w;
  }
  private readonly tracedWanted = new WeakMap<RouteRuntime, ReadonlySet<string>>();
  /** each request's server span while it is handled (only when tracing) */
  private readonly spans = new WeakMap<ServerResponse, RequestSpan>();

  runtime(route: CompiledRoute): RouteRuntime {
    let rt = this.runtimes.get(route);
    if (!rt) this.runtimes.set(route, (rt = buildRuntime(route, this.deps.backends)));
    return rt;
  }

  reject(res: ServerResponse, code: ErrorCode, rid?: string, close = false, extra?: string[], message?: string): void {
    this.deps.events.rejected(code);
    if (this.deps.tracer) this.spans.get(res)?.end(ERROR_CODES[code].status, code);
    sendError(res, code, rid, extra, close, message);
  }

  /** A span for a request the data plane refused before it reached handle() (tracing only). */
  traceRefusal(req: IncomingMessage, code: ErrorCode, startedAt: number): void {
    this.deps.tracer?.startRequest(req, undefined, startedAt).end(ERROR_CODES[code].status, code);
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: RoutedPath, startedAt: number, signal?: CancelSignal): Promise<void> {
    const { cfg, store } = this.deps;
    if (!isPrediction(path.op)) return lookup(this, req, res, path);
    // the server span covers refusals too; the route template is known from the path alone
    const span = this.deps.tracer?.startRequest(req, httpRouteOf(path), startedAt);
    if (span) this.spans.set(res, span);
    if (req.method !== 'POST') return this.reject(res, 'METHOD_NOT_ALLOWED', undefined, false, ['allow', 'POST']);
    const config = store.current();
    const openai = path.protocol === 'openai';
    // an OpenAI route is known only once the body's `model` is read
    let route = openai ? undefined : config.byModel.get(path.model);
    if (!route && !openai) return this.reject(res, 'MODEL_NOT_FOUND', undefined, true);
    let rt = route && this.runtime(route);
    let h = readClientHeaders(req.rawHeaders, rt ? this.wanted(rt) : BODY_WANTED);
    const rid = requestIdFor(h.requestId);
    if (h.hostCount > 1) return this.reject(res, 'BAD_REQUEST', rid, true);
    if (h.contentLength !== undefined && Number(h.contentLength) > cfg.limits.max_body_bytes) return this.reject(res, 'PAYLOAD_TOO_LARGE', rid, true);
    const ts = Date.now();
    const b = await readBody(req, cfg.limits.max_body_bytes, cfg.limits.body_timeout_ms);
    if (!b.ok) return b.code === 'CLIENT_CLOSED_REQUEST' ? void (this.deps.events.rejected(b.code), span?.end(499, b.code)) : this.reject(res, b.code, rid, true);
    const encoding = h.wanted.get('content-encoding');
    let plain = b.body;
    if (encoding !== undefined) {
      const d = await decodeBody(b.body, encoding, cfg.limits.max_body_bytes);
      if (!d.ok) return this.reject(res, d.code, rid, d.code === 'PAYLOAD_TOO_LARGE', undefined, d.message);
      plain = d.body;
    }
    // the binary tensor extension: only the JSON header part is parsed; the body goes on as received
    const binary = h.wanted.get('inference-header-content-length');
    if (binary !== undefined) {
      const n = jsonHeaderLength(binary, plain.length);
      if (n === null) return this.reject(res, 'BAD_REQUEST', rid, false, undefined, 'Inference-Header-Content-Length is not a length within the body');
      plain = plain.subarray(0, n);
    }
    // validated on the (decoded) bytes, depth first: nothing below (parse, log, shadow comparison)
    // may meet a deep body; the value is parsed only when something needs it (JsonText)
    const scan = scanJson(plain, cfg.limits.max_json_depth);
    if (scan !== JSON_OK) return this.reject(res, 'INVALID_JSON', rid, false, undefined, scan === JSON_TOO_DEEP ? depthMessage(cfg.limits.max_json_depth) : undefined);
    const request = new JsonText(plain);
    // invalid JSON is 400 whatever its type; valid JSON sent with an explicit non-JSON type is 415
    if (binary === undefined && h.contentType !== undefined && !JSON_TYPE.test(h.contentType)) return this.reject(res, 'UNSUPPORTED_MEDIA_TYPE', rid);
    let model = path.model;
    if (openai) {
      const m = openaiModel(request.value);
      if (m === undefined) return this.reject(res, 'BAD_REQUEST', rid, false, undefined, 'the body needs a "model"');
      route = config.byModel.get(m);
      if (!route) return this.reject(res, 'MODEL_NOT_FOUND', rid);
      model = m;
      rt = this.runtime(route);
      h = readClientHeaders(req.rawHeaders, this.wanted(rt));
    }
    route = route as CompiledRoute;
    rt = rt as RouteRuntime;
    const unit = rt.unit({ header: (n) => h.wanted.get(n), query: path.query, body: rt.unitFromBody ? request.value : undefined });
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
    if (span) {
      span.setAttributes({ 'modelgate.route': route.name, 'modelgate.variant': variant.name, 'modelgate.assign': decision.assign, 'modelgate.request_id': rid });
      // the client's trace headers are replaced by the live client span's
      for (let i = headers.length - 2; i >= 0; i -= 2) if (headers[i] === 'traceparent' || headers[i] === 'tracestate') headers.splice(i, 2);
    }
    const peer = this.peer(req.socket);
    headers.push('x-request-id', rid, 'x-forwarded-proto', 'http');
    appendProxyHeaders(headers, h, peer.remote, peer.trusted);
    if (h.host !== undefined) headers.push('x-forwarded-host', h.host);

    if (variant.backend.protocol === 'grpc:') return this.reject(res, 'PROTOCOL_MISMATCH', rid, false, ['x-model-variant', variant.name, 'x-model-version', variant.version]);
    const upstream = upstreamPath(path, variant.model ?? model);
    const liveSpan = span?.child('live', variant.name, `${variant.backend.origin}${upstream}`);
    let liveHeaders = liveSpan ? headers.slice() : headers;
    let liveBody = b.body;
    if (openai) {
      const o = bodyForModel(b.body, request.value, model, variant.model);
      liveBody = o.body;
      if (o.reencoded) liveHeaders = withoutEncoding(liveHeaders);
    }
    liveSpan?.inject(liveHeaders);
    const tap = new LiveStream(res, ['x-request-id', rid, 'x-model-variant', variant.name, 'x-model-version', variant.version], rt.streamIdleMs, keepBytes(decision, rt.maxResponseBytes, cfg.log.max_entry_bytes), startedAt);
    const result = await this.forward(route, rt, variant, upstream, liveHeaders, liveBody, tap, signal);
    liveSpan?.end(result.ok ? result.status : ERROR_CODES[result.failure.code].status, result.ok ? undefined : result.failure.code);
    let status: number;
    let error: ErrorCode | undefined;
    let answer: Buffer | undefined;
    if (tap.started) {
      // streamed: the tap wrote it; a failure after the headers cut the stream
      answer = tap.head?.body();
      if (result.ok) status = result.status;
      else {
        error = result.failure.code;
        status = ERROR_CODES[error].status;
        if (error !== 'CLIENT_CLOSED_REQUEST') this.deps.events.upstreamError(route, variant.index, result.failure.reason);
      }
      if (result.ok && status >= 500) this.deps.events.upstreamError(route, variant.index, 'status_5xx');
      this.deps.events.ttfb?.(route, variant.index, tap.ttfbMs / 1000);
    } else {
      const closed = res.destroyed || req.socket.destroyed;
      if (result.ok) {
        status = result.status;
        answer = result.body;
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
        if (result.failure.cancelled) this.deps.events.upstreamCancelled(route, variant.index);
        else this.deps.events.upstreamError(route, variant.index, result.failure.reason);
        if (!closed) sendError(res, error, rid, ['x-model-variant', variant.name, 'x-model-version', variant.version], false, result.failure.message);
      }
      if (closed) {
        error = 'CLIENT_CLOSED_REQUEST';
        status = 499;
      }
    }
    const seconds = (performance.now() - startedAt) / 1000;
    this.deps.events.response(route, variant.index, status, decision.assign, seconds, error);
    span?.end(status, error);
    this.deps.accessLog?.log({ rid, route: route.name, variant: variant.name, version: variant.version, status, latencyMs: seconds * 1000, assign: decision.assign, error, traceId: span?.traceId, spanId: span?.spanId });
    // a streamed answer is compared only when whole
    const comparable = result.ok && status >= 200 && status < 300 && (!tap.started || (tap.head !== undefined && answer !== undefined && answer.length === tap.head.bytes));
    if (decision.shadows.length > 0)
      this.mirror.fire({ route, runtime: rt, decision, path, protocol: path.protocol, model, headers, body: b.body, rid, ts, unit, request, liveBody: comparable ? answer : undefined, cfg: config.version, span });
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
        latencyMs: tap.started ? tap.totalMs : result.ms,
        protocol: path.protocol,
        request,
        response: answer && (result.ok || tap.started) ? answerJsonPart(tap.started ? tap.rawHeaders : (result as { headers: Buffer[] }).headers, answer) : answer,
        error,
        stream: tap.started ? { ttfbMs: tap.ttfbMs, bytes: tap.head?.bytes ?? 0 } : undefined,
        cfg: config.version,
      });
  }

  /** the socket's peer address and trust, computed on its first request */
  private peer(socket: Socket): { remote: string; trusted: boolean } {
    const s = socket as PeerSocket;
    let p = s[PEER];
    // (a handler built from another config judges the socket afresh)
    if (p === undefined || p.by !== this) {
      const remote = socket.remoteAddress ?? '';
      // an address not known yet (the socket is closing) is looked up again next time
      p = { by: this, remote, trusted: this.trusted(remote) };
      if (remote !== '') s[PEER] = p;
    }
    return p;
  }

  /** Live forwarding, with the retry rules of upstream/forward-live.ts (none once a streamed answer started). */
  private forward(route: CompiledRoute, rt: RouteRuntime, variant: CompiledVariant, path: string, headers: string[], body: Buffer, tap: LiveStream, signal?: CancelSignal): Promise<UpstreamResult> {
    const req = { path, headers, body, timeoutMs: rt.timeoutMs, maxResponseBytes: rt.maxResponseBytes, retries: rt.retries, signal, tap };
    return forwardLive(rt.variantBackends[variant.index], req, () => this.deps.events.retry(route, variant.index));
  }

}
