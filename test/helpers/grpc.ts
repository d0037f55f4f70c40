/**
 * Real gRPC peers for tests: an OIP GRPCInferenceService backend on an ephemeral port (grpc-js
 * with the repo's proto, decoded messages) and a typed client of the same service.
 */
import { credentials, loadPackageDefinition, Metadata, Server, ServerCredentials, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_FILE } from '../../src/grpc/proto.ts';

const def = loadSync(PROTO_FILE, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const pkg = loadPackageDefinition(def) as any;
const Service = pkg.inference.GRPCInferenceService;

export interface SeenCall {
  method: string;
  request: any;
  metadata: Metadata;
}

export interface GrpcBackendBehaviour {
  /** answer of ModelInfer for a decoded request; throw { code, details } to fail */
  infer?: (req: any, md: Metadata) => unknown | Promise<unknown>;
  ready?: (req: any) => boolean;
  metadata?: (req: any) => unknown;
}

export interface TestGrpcBackend {
  readonly port: number;
  readonly url: string;
  readonly seen: SeenCall[];
  /** ModelInfer calls cancelled by the caller before they were answered */
  readonly cancelled: number;
  close(): Promise<void>;
}

/** A score model: one FP32 output `score` per row of the first input. */
export const scoreModel = (name: string, score: number) => (req: any) => ({
  model_name: req.model_name,
  model_version: name,
  id: req.id,
  outputs: [{ name: 'score', datatype: 'FP32', shape: [req.inputs[0]?.shape?.[0] ?? 1, 1], contents: { fp32_contents: new Array(req.inputs[0]?.shape?.[0] ?? 1).fill(score) } }],
});

export async function startGrpcBackend(b: GrpcBackendBehaviour = { infer: scoreModel('backend', 0.5) }): Promise<TestGrpcBackend> {
  const seen: SeenCall[] = [];
  let cancelled = 0;
  const server = new Server();
  const record = (method: string, call: any) => seen.push({ method, request: call.request, metadata: call.metadata });
  server.addService(Service.service, {
    ServerLive: (_c: any, cb: any) => cb(null, { live: true }),
    ServerReady: (_c: any, cb: any) => cb(null, { ready: true }),
    ServerMetadata: (_c: any, cb: any) => cb(null, { name: 'test-backend', version: '1', extensions: [] }),
    ModelReady: (call: any, cb: any) => {
      record('ModelReady', call);
      cb(null, { ready: b.ready ? b.ready(call.request) : true });
    },
    ModelMetadata: (call: any, cb: any) => {
      record('ModelMetadata', call);
      cb(null, b.metadata ? b.metadata(call.request) : { name: call.request.name, versions: ['1'], platform: 'test', inputs: [], outputs: [] });
    },
    ModelInfer: (call: any, cb: any) => {
      record('ModelInfer', call);
      let answered = false;
      call.on('cancelled', () => {
        if (!answered) cancelled++;
      });
      Promise.resolve()
        .then(() => (b.infer ?? scoreModel('backend', 0.5))(call.request, call.metadata))
        .then(
          (v) => {
            answered = true;
            cb(null, v);
          },
          (e: Partial<ServiceError>) => {
            answered = true;
            cb({ code: e.code ?? status.INTERNAL, details: e.details ?? String(e) });
          },
        );
    },
    ModelStreamInfer: (call: any) => {
      call.on('data', async (req: any) => {
        record('ModelStreamInfer', { request: req, metadata: call.metadata });
        call.write({ error_message: '', infer_response: await (b.infer ?? scoreModel('backend', 0.5))(req, call.metadata) });
      });
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return {
    port,
    url: `grpc://127.0.0.1:${port}`,
    seen,
    get cancelled() {
      return cancelled;
    },
    close: () => new Promise<void>((r) => server.tryShutdown(() => r())).then(() => server.forceShutdown()),
  };
}

export interface InferenceClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  raw: Client & Record<string, any>;
  call<T = any>(method: string, request: unknown, md?: Record<string, string>, deadlineMs?: number): Promise<{ value: T; metadata: Metadata }>;
  close(): void;
}

/** A client of GRPCInferenceService; rejects with the ServiceError (code, details, metadata). */
export function inferenceClient(port: number, options: Record<string, number> = {}): InferenceClient {
  const client = new Service(`127.0.0.1:${port}`, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024, ...options });
  return {
    raw: client,
    call(method, request, md = {}, deadlineMs = 10_000) {
      const metadata = new Metadata();
      for (const [k, v] of Object.entries(md)) metadata.set(k, v);
      return new Promise((resolve, reject) => {
        let headers = new Metadata();
        const c = client[method](request, metadata, { deadline: Date.now() + deadlineMs }, (err: ServiceError | null, value: any) => (err ? reject(err) : resolve({ value, metadata: headers })));
        c.on('metadata', (m: Metadata) => (headers = m));
      });
    },
    close: () => client.close(),
  };
}

/** A ModelInferRequest with one FP32 input `x` of shape [rows, k]. */
export function inferRequest(model: string, rows: number[][], extra: Record<string, unknown> = {}) {
  return { model_name: model, id: '', inputs: [{ name: 'x', datatype: 'FP32', shape: [rows.length, rows[0].length], contents: { fp32_contents: rows.flat() } }], ...extra };
}
