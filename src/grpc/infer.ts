/**
 * The gRPC hot path, as over HTTP: read the head of the request (model, unit) without decoding
 * tensors -> one config snapshot -> select() -> forward the raw bytes to the variant's gRPC
 * backend (model name replaced when the variant has one) -> answer with x-model-variant,
 * x-model-version, x-request-id -> fire shadows (detached) -> hand log events to the sink.
 */
import { Metadata, status as Status, type sendUnaryData, type ServerUnaryCall, type StatusObject } from '@grpc/grpc-js';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import type { ErrorCode } from '../errors.ts';
import type { GatewayEvents } from '../gateway/events.ts';
import type { LogSink } from '../predictions/record.ts';
import type { CompiledRoute, CompiledVariant } from '../routing/compile.ts';
import type { GrpcBackendRegistry, GrpcResult } from './backends.ts';
import { resolveCall, type Routed } from './call-context.ts';
import { GrpcShadows } from './shadows.ts';
import { decodeInferRequest, decodeInferResponse, methodPath, type Method } from './proto.ts';
import { buildGrpcRuntime, type GrpcRouteRuntime } from './route-runtime.ts';
import { grpcMessage, grpcStatusFor, httpStatusOf } from './status.ts';
import { requestJson, responseJson } from './tensors.ts';
import { readInferHead, withModelName, WireError, type InferHead } from './wire.ts';

export interface GrpcDeps {
  cfg: FileConfig;
  store: ConfigStore;
  sink: LogSink;
  events: GatewayEvents;
  backends: GrpcBackendRegistry;
}

/** metadata a client may not pass on to a backend (grpc-js sets its own) */
const NOT_FORWARDED = ['grpc-timeout', 'grpc-encoding', 'grpc-accept-encoding', 'content-type', 'te', 'user-agent', 'host', 'x-request-id', 'x-modelgate-shadow'];

export function errorStatus(code: ErrorCode, rid: string, message?: string, extra?: Metadata): Partial<StatusObject> {
  const metadata = extra ?? new Metadata();
  metadata.set('x-request-id', rid);
  return { code: grpcStatusFor(code), details: grpcMessage(code, message), metadata };
}

export function forwardMetadata(from: Metadata, rid: string): Metadata {
  const md = from.clone();
  for (const k of NOT_FORWARDED) md.remove(k);
  md.set('x-request-id', rid);
  return md;
}

/** milliseconds left before the client's deadline, capped by the route's timeout */
export function budgetMs(call: ServerUnaryCall<unknown, unknown>, routeTimeoutMs: number): number {
  const d = call.getDeadline();
  const at = d instanceof Date ? d.getTime() : typeof d === 'number' ? d : Infinity;
  return Math.max(1, Math.min(routeTimeoutMs, at - Date.now()));
}

export class GrpcInfer {
  private readonly runtimes = new WeakMap<CompiledRoute, GrpcRouteRuntime>();
  private readonly logThreshold: number;
  private readonly shadows: GrpcShadows;
  private readonly decodeLimit: number;

  constructor(private readonly deps: GrpcDeps) {
    this.logThreshold = deps.cfg.log.enabled ? Math.round(deps.cfg.log.sample_percent * 100) : 0;
    this.decodeLimit = deps.cfg.log.max_entry_bytes * 16;
    this.shadows = new GrpcShadows(deps.events, deps.sink, (raw) => this.responseBuffer(raw));
  }

  runtime = (route: CompiledRoute): GrpcRouteRuntime => {
    let rt = this.runtimes.get(route);
    if (!rt) {
      const g = this.deps.cfg.grpc;
      const shape = { maxMessageBytes: g.max_message_bytes, keepaliveTimeMs: g.keepalive_time_ms, keepaliveTimeoutMs: g.keepalive_timeout_ms };
      this.runtimes.set(route, (rt = buildGrpcRuntime(route, this.deps.backends, shape)));
    }
    return rt;
  };

  private variantMetadata(variant: CompiledVariant, rid: string): Metadata {
    const md = new Metadata();
    md.set('x-model-variant', variant.name);
    md.set('x-model-version', variant.version);
    md.set('x-request-id', rid);
    return md;
  }

  /** ModelInfer: split, forward, answer, shadow, log. */
  infer = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    const startedAt = performance.now();
    const ts = Date.now();
    const body = call.request;
    let head: InferHead;
    try {
      head = readInferHead(body);
    } catch (e) {
      this.deps.events.rejected('BAD_REQUEST');
      return callback(errorStatus('BAD_REQUEST', '', e instanceof WireError ? `malformed ModelInferRequest: ${e.message}` : undefined));
    }
    const config = this.deps.store.current();
    const r = resolveCall({ config, model: head.modelName, metadata: call.metadata, body, head, logThreshold: this.logThreshold, runtime: this.runtime });
    if (!r.ok) {
      this.deps.events.rejected(r.code);
      return callback(errorStatus(r.code, r.rid, r.message));
    }
    const { route, rt, decision, rid } = r;
    const variant = decision.variant;
    const backend = rt.variants[variant.index];
    const answerMd = this.variantMetadata(variant, rid);
    const finish = (status: number, error: ErrorCode | undefined, result: GrpcResult | undefined) => {
      this.deps.events.response(route, variant.index, status, decision.assign, (performance.now() - startedAt) / 1000, error);
      this.after(r, body, head, status, error, result, ts, config.version);
    };
    if (!backend) {
      callback(errorStatus('PROTOCOL_MISMATCH', rid, `variant ${variant.name} of route ${route.name} has no grpc:// backend`, answerMd));
      return finish(502, 'PROTOCOL_MISMATCH', undefined);
    }
    const forwarded = variant.model && variant.model !== head.modelName ? withModelName(body, variant.model) : body;
    const { done, cancel } = backend.unary(methodPath('ModelInfer'), forwarded, forwardMetadata(call.metadata, rid), budgetMs(call, rt.timeoutMs));
    let gone = false;
    call.on('cancelled', () => {
      gone = true;
      cancel(); // the client is gone: so is the backend call, and its in-flight slot
    });
    done.then((res) => {
      if (res.ok) {
        call.sendMetadata(answerMd);
        callback(null, res.body);
        return finish(gone ? 499 : 200, gone ? 'CLIENT_CLOSED_REQUEST' : undefined, res);
      }
      const code = this.failureCode(res);
      if (code) this.deps.events.upstreamError(route, variant.index, res.reason === 'over_capacity' ? 'over_capacity' : res.reason === 'timeout' ? 'timeout' : 'connect');
      if (gone) return finish(499, 'CLIENT_CLOSED_REQUEST', res);
      if (code) callback(errorStatus(code, rid, `${res.details}`, answerMd));
      else {
        // the backend's own answer (INVALID_ARGUMENT, NOT_FOUND, ...) passes through as it is
        const md = res.metadata?.clone() ?? new Metadata();
        md.merge(answerMd);
        callback({ code: res.grpcCode, details: res.details, metadata: md });
      }
      finish(code ? httpStatusOf(grpcStatusFor(code)) : httpStatusOf(res.grpcCode), code, res);
    });
  };

  /** the gateway's error code for a failed call, or undefined when the backend answered with a status */
  private failureCode(res: Extract<GrpcResult, { ok: false }>): ErrorCode | undefined {
    if (res.reason === 'over_capacity') return 'OVER_CAPACITY';
    if (res.reason === 'timeout') return 'UPSTREAM_TIMEOUT';
    if (res.reason === 'connect') return 'UPSTREAM_UNAVAILABLE';
    return undefined;
  }

  private after(r: Routed, body: Buffer, head: InferHead, status: number, error: ErrorCode | undefined, result: GrpcResult | undefined, ts: number, cfg: number): void {
    const { route, decision } = r;
    const wanted = decision.logged || decision.shadows.length > 0;
    if (!wanted) return this.deps.sink.sampledOut(route.name);
    let request: unknown;
    const max = this.deps.cfg.log.max_entry_bytes;
    if (body.length <= this.decodeLimit) {
      try {
        request = requestJson(decodeInferRequest(body), max);
      } catch {
        request = undefined;
      }
    }
    const liveBody = result?.ok ? result.body : undefined;
    const live = liveBody ? this.responseBuffer(liveBody) : undefined;
    if (decision.shadows.length > 0) this.shadows.fire({ route, rt: r.rt, decision, body, head, rid: r.rid, ts, unit: r.unit, request, liveBody, liveJson: live, cfg });
    if (!decision.logged) return this.deps.sink.sampledOut(route.name);
    const variant = decision.variant;
    this.deps.sink.push({
      ts,
      rid: r.rid,
      route,
      variant: variant.name,
      version: variant.version,
      role: 'live',
      assign: decision.assign,
      unit: r.unit,
      bucket: decision.bucket,
      status,
      latencyMs: result?.ms ?? 0,
      protocol: 'grpc',
      request,
      response: live,
      error,
      cfg,
    });
  }

  /** an answer as the OIP REST JSON the log and the comparison read */
  responseBuffer(raw: Buffer): Buffer | undefined {
    if (raw.length > this.decodeLimit) return undefined;
    try {
      return Buffer.from(JSON.stringify(responseJson(decodeInferResponse(raw), this.deps.cfg.log.max_entry_bytes)));
    } catch {
      return undefined;
    }
  }

  /** ModelReady and ModelMetadata: answered by the assigned variant's backend (not logged). */
  routedUnary = (method: Method) => (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    let head: InferHead;
    try {
      head = readInferHead(call.request); // field 1 is `name` in both requests
    } catch {
      return callback(errorStatus('BAD_REQUEST', ''));
    }
    const r = resolveCall({ config: this.deps.store.current(), model: head.modelName, metadata: call.metadata, logThreshold: 0, runtime: this.runtime, heaviestWithoutUnit: true });
    if (!r.ok) return callback(errorStatus(r.code, r.rid, r.message));
    const variant = r.decision.variant;
    const backend = r.rt.variants[variant.index];
    const answerMd = this.variantMetadata(variant, r.rid);
    if (!backend) return callback(errorStatus('PROTOCOL_MISMATCH', r.rid, undefined, answerMd));
    const body = variant.model && variant.model !== head.modelName ? withModelName(call.request, variant.model) : call.request;
    const { done, cancel } = backend.unary(methodPath(method), body, forwardMetadata(call.metadata, r.rid), budgetMs(call, r.rt.timeoutMs));
    call.on('cancelled', cancel);
    done.then((res) => {
      if (res.ok) {
        call.sendMetadata(answerMd);
        return callback(null, res.body);
      }
      const code = this.failureCode(res);
      callback(code ? errorStatus(code, r.rid, res.details, answerMd) : { code: res.grpcCode, details: res.details, metadata: answerMd });
    });
  };
}

export { Status };
