/**
 * gRPC backends: one grpc-js channel per `grpc://host:port` and in-flight cap, with the cap
 * kept by us (a call over it is refused at once, never queued). Calls carry raw bytes both
 * ways (the gateway never re-encodes tensors) and resolve, never reject.
 */
import { Client, credentials, Metadata, status as Status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';

export interface GrpcChannelShape {
  maxInflight: number;
  maxMessageBytes: number;
  keepaliveTimeMs: number;
  keepaliveTimeoutMs: number;
}

export type GrpcResult =
  | { ok: true; body: Buffer; metadata: Metadata; ms: number }
  /** `timedOut`: our deadline fired; `unavailable`: no connection could be made */
  | { ok: false; grpcCode: Status; details: string; metadata?: Metadata; reason: 'timeout' | 'connect' | 'over_capacity' | 'status'; ms: number };

const identity = (b: Buffer) => b;

export class GrpcBackend {
  readonly client: Client;
  inflight = 0;
  constructor(readonly target: string, readonly shape: GrpcChannelShape) {
    this.client = new Client(target, credentials.createInsecure(), {
      'grpc.max_receive_message_length': shape.maxMessageBytes,
      'grpc.max_send_message_length': shape.maxMessageBytes,
      'grpc.keepalive_time_ms': shape.keepaliveTimeMs,
      'grpc.keepalive_timeout_ms': shape.keepaliveTimeoutMs,
      'grpc.keepalive_permit_without_calls': 1,
      // each shape gets its own channel: grpc-js would otherwise share one per target
      'grpc.use_local_subchannel_pool': 1,
    });
  }

  get full(): boolean {
    return this.inflight >= this.shape.maxInflight;
  }

  /** One unary call. `cancel` (from the caller) aborts it; the result still resolves. */
  unary(path: string, body: Buffer, metadata: Metadata, timeoutMs: number): { done: Promise<GrpcResult>; cancel: () => void } {
    const started = performance.now();
    if (this.full) return { done: Promise.resolve({ ok: false, grpcCode: Status.UNAVAILABLE, details: 'over capacity', reason: 'over_capacity', ms: 0 }), cancel: () => {} };
    this.inflight++;
    let cancel = () => {};
    const done = new Promise<GrpcResult>((resolve) => {
      let headers: Metadata | undefined;
      const call = this.client.makeUnaryRequest<Buffer, Buffer>(path, identity, identity, body, metadata, { deadline: Date.now() + timeoutMs }, (err: ServiceError | null, value?: Buffer) => {
        this.inflight--;
        const ms = performance.now() - started;
        if (!err && value) return resolve({ ok: true, body: value, metadata: headers ?? new Metadata(), ms });
        const code = err?.code ?? Status.INTERNAL;
        const details = err?.details ?? 'no answer';
        // grpc-js reports a connection it could not make as UNAVAILABLE with no answer metadata
        const reason = code === Status.DEADLINE_EXCEEDED ? 'timeout' : code === Status.UNAVAILABLE && !headers ? 'connect' : 'status';
        resolve({ ok: false, grpcCode: code, details, metadata: err?.metadata, reason, ms });
      });
      call.on('metadata', (m: Metadata) => (headers = m));
      cancel = () => call.cancel();
    });
    return { done, cancel };
  }

  /** A bidirectional stream of raw messages (ModelStreamInfer). */
  duplex(path: string, metadata: Metadata, deadline: number): ClientDuplexStream<Buffer, Buffer> {
    return this.client.makeBidiStreamRequest<Buffer, Buffer>(path, identity, identity, metadata, { deadline });
  }
}

const keyOf = (target: string, s: GrpcChannelShape) => `${target}|${s.maxInflight}|${s.maxMessageBytes}|${s.keepaliveTimeMs}|${s.keepaliveTimeoutMs}`;

/** Channels reused across config versions, closed when no version uses them any more. */
export class GrpcBackendRegistry {
  private readonly backends = new Map<string, GrpcBackend>();

  get(url: URL, shape: GrpcChannelShape): GrpcBackend {
    const target = url.host;
    const key = keyOf(target, shape);
    let b = this.backends.get(key);
    if (!b) this.backends.set(key, (b = new GrpcBackend(target, shape)));
    return b;
  }

  retainOnly(keep: ReadonlySet<GrpcBackend>): void {
    for (const [key, b] of this.backends) {
      if (keep.has(b)) continue;
      this.backends.delete(key);
      b.client.close();
    }
  }

  close(): void {
    for (const b of this.backends.values()) b.client.close();
    this.backends.clear();
  }
}

export const isGrpcUrl = (u: URL): boolean => u.protocol === 'grpc:';
