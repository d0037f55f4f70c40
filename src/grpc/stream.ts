/**
 * ModelStreamInfer (Triton's bidirectional streaming call), passed through per message: the
 * first message routes the stream (model and unit, as for ModelInfer), one backend stream is
 * opened to that variant's gRPC backend, and every message and answer is relayed as bytes
 * (model name replaced when the variant has one), with backpressure both ways. Streams are
 * counted in the metrics as one request each; they are not shadowed or logged.
 */
import { Metadata, status as Status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { GatewayEvents } from '../gateway/events.ts';
import type { ConfigStore } from '../config/store.ts';
import { resolveCall } from './call-context.ts';
import { errorStatus, forwardMetadata } from './infer.ts';
import { methodPath } from './proto.ts';
import type { GrpcRouteRuntime } from './route-runtime.ts';
import type { CompiledRoute } from '../routing/compile.ts';
import { httpStatusOf } from './status.ts';
import { readInferHead, withModelName } from './wire.ts';

export interface StreamDeps {
  store: ConfigStore;
  events: GatewayEvents;
  runtime: (route: CompiledRoute) => GrpcRouteRuntime;
  /** the longest a stream may stay open */
  maxStreamMs: number;
}

export function streamInfer(deps: StreamDeps) {
  return (call: ServerDuplexStream<Buffer, Buffer>): void => {
    const startedAt = performance.now();
    let upstream: ReturnType<NonNullable<GrpcRouteRuntime['variants'][number]>['duplex']> | undefined;
    let model: string | undefined;
    let ended = false;
    const fail = (s: { code?: Status; details?: string; metadata?: Metadata }) => {
      if (ended) return;
      ended = true;
      upstream?.cancel();
      call.emit('error', { code: s.code ?? Status.INTERNAL, details: s.details ?? '', metadata: s.metadata ?? new Metadata() });
    };
    call.on('cancelled', () => upstream?.cancel());
    call.on('data', (msg: Buffer) => {
      if (ended) return;
      let head;
      try {
        head = readInferHead(msg);
      } catch {
        return fail(errorStatus('BAD_REQUEST', ''));
      }
      if (!upstream) {
        const r = resolveCall({ config: deps.store.current(), model: head.modelName, metadata: call.metadata, body: msg, head, logThreshold: 0, runtime: deps.runtime });
        if (!r.ok) {
          deps.events.rejected(r.code);
          return fail(errorStatus(r.code, r.rid, r.message));
        }
        const variant = r.decision.variant;
        const backend = r.rt.variants[variant.index];
        const answerMd = new Metadata();
        answerMd.set('x-model-variant', variant.name);
        answerMd.set('x-model-version', variant.version);
        answerMd.set('x-request-id', r.rid);
        if (!backend) return fail(errorStatus('PROTOCOL_MISMATCH', r.rid, undefined, answerMd));
        model = variant.model;
        call.sendMetadata(answerMd);
        const up = backend.duplex(methodPath('ModelStreamInfer'), forwardMetadata(call.metadata, r.rid), Date.now() + deps.maxStreamMs);
        upstream = up;
        up.on('data', (answer: Buffer) => {
          if (!call.write(answer)) {
            up.pause();
            call.once('drain', () => up.resume());
          }
        });
        up.on('error', (e: { code?: Status; details?: string }) => {
          deps.events.response(r.route, variant.index, httpStatusOf(e.code ?? Status.UNKNOWN), r.decision.assign, (performance.now() - startedAt) / 1000);
          fail({ code: e.code, details: e.details });
        });
        up.on('end', () => {
          if (ended) return;
          ended = true;
          deps.events.response(r.route, variant.index, 200, r.decision.assign, (performance.now() - startedAt) / 1000);
          call.end();
        });
      }
      const out = model && model !== head.modelName ? withModelName(msg, model) : msg;
      if (!upstream.write(out)) {
        call.pause();
        upstream.once('drain', () => call.resume());
      }
    });
    call.on('end', () => upstream?.end());
  };
}
