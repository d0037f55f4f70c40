/**
 * The gateway's gRPC port (`grpc.enabled`): the Open Inference Protocol's
 * GRPCInferenceService. ServerLive, ServerReady and ServerMetadata are answered here;
 * ModelReady, ModelMetadata, ModelInfer and ModelStreamInfer are routed by model name to the
 * route's variants' `grpc://` backends. Limits: message size (`grpc.max_message_bytes`), calls
 * in flight (`grpc.max_inflight`), deadlines (the client's, capped by the route's timeout),
 * keep-alive pings.
 */
import { Server, ServerCredentials, status as Status, type sendUnaryData, type ServerUnaryCall, type UntypedHandleCall } from '@grpc/grpc-js';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import type { GatewayEvents } from '../gateway/events.ts';
import type { LogSink } from '../predictions/record.ts';
import type { CompiledConfig } from '../routing/compile.ts';
import { GrpcBackendRegistry, type GrpcBackend } from './backends.ts';
import { errorStatus, GrpcInfer } from './infer.ts';
import { rawService } from './proto.ts';
import { streamInfer } from './stream.ts';

export interface GrpcServerDeps {
  cfg: FileConfig;
  store: ConfigStore;
  sink: LogSink;
  events: GatewayEvents;
  /** the gateway's readiness (false once draining) */
  ready: () => boolean;
  version: string;
}

export interface GrpcGateway {
  readonly port: number;
  /** applies a config version: releases channels no route uses any more */
  apply(c: CompiledConfig): void;
  /** stops accepting calls, lets those in flight finish up to `ms`, then cancels the rest */
  close(ms: number): Promise<void>;
}

type Unary = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => void;

export async function startGrpcServer(deps: GrpcServerDeps): Promise<GrpcGateway> {
  const g = deps.cfg.grpc;
  const backends = new GrpcBackendRegistry();
  const infer = new GrpcInfer({ cfg: deps.cfg, store: deps.store, sink: deps.sink, events: deps.events, backends });
  let inflight = 0;
  /** the in-flight cap over every routed call: over it, UNAVAILABLE at once */
  const capped = (h: Unary): Unary => (call, callback) => {
    if (inflight >= g.max_inflight) {
      deps.events.rejected('OVER_CAPACITY');
      return callback(errorStatus('OVER_CAPACITY', ''));
    }
    inflight++;
    deps.events.inflight(1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inflight--;
      deps.events.inflight(-1);
    };
    call.on('cancelled', release);
    h(call, (err, value) => {
      release();
      callback(err, value);
    });
  };
  const server = new Server({
    'grpc.max_receive_message_length': g.max_message_bytes,
    'grpc.max_send_message_length': g.max_message_bytes,
    'grpc.keepalive_time_ms': g.keepalive_time_ms,
    'grpc.keepalive_timeout_ms': g.keepalive_timeout_ms,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.max_concurrent_streams': g.max_concurrent_streams,
  });
  const handlers: Record<string, UntypedHandleCall> = {
    ServerLive: (_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => cb(null, { live: true }),
    ServerReady: (_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => cb(null, { ready: deps.ready() }),
    ServerMetadata: (_call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => cb(null, { name: 'modelgate', version: deps.version, extensions: [] }),
    ModelReady: capped(infer.routedUnary('ModelReady')),
    ModelMetadata: capped(infer.routedUnary('ModelMetadata')),
    ModelInfer: capped(infer.infer),
    ModelStreamInfer: streamInfer({ store: deps.store, events: deps.events, runtime: infer.runtime, maxStreamMs: g.max_stream_ms }),
  };
  server.addService(rawService(), handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${g.host.includes(':') ? `[${g.host}]` : g.host}:${g.port}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    apply(c) {
      const used = new Set<GrpcBackend>();
      for (const route of c.routes.values()) {
        const rt = infer.runtime(route);
        for (const b of [...rt.variants, ...rt.shadows]) if (b) used.add(b);
      }
      backends.retainOnly(used);
    },
    async close(ms) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, ms);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      backends.close();
    },
  };
}

export { Status };
