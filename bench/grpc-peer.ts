/**
 * The gRPC bench's peers, one per process: `backend PORT` (an OIP ModelInfer server that
 * answers one FP32 score) or `load PORT SECONDS CONCURRENCY` (closed-loop ModelInfer calls with
 * a unit per call; prints `{"calls":N,"errors":E}`).
 */
import { credentials, loadPackageDefinition, Metadata, Server, ServerCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_FILE } from '../src/grpc/proto.ts';

const def = loadSync(PROTO_FILE, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Service = (loadPackageDefinition(def) as any).inference.GRPCInferenceService;
const [mode, portArg, secondsArg, concArg] = process.argv.slice(2);

if (mode === 'backend') {
  const server = new Server();
  const answer = { model_name: 'fraud', outputs: [{ name: 'score', datatype: 'FP32', shape: [1, 1], contents: { fp32_contents: [0.25] } }] };
  server.addService(Service.service, { ModelInfer: (_c: unknown, cb: (e: null, v: unknown) => void) => cb(null, answer) });
  server.bindAsync(`127.0.0.1:${portArg}`, ServerCredentials.createInsecure(), () => process.stdout.write('ready\n'));
} else {
  const client = new Service(`127.0.0.1:${portArg}`, credentials.createInsecure());
  const request = { model_name: 'fraud', inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [120.5, 0.3, 23, 1] } }] };
  const until = Date.now() + Number(secondsArg) * 1000;
  let calls = 0;
  let errors = 0;
  let n = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const md = new Metadata();
      md.set('x-user-id', `user-${n++ % 10_000}`);
      client.ModelInfer(request, md, (err: unknown) => {
        if (err) errors++;
        else calls++;
        resolve();
      });
    });
  const loop = async () => {
    while (Date.now() < until) await one();
  };
  await Promise.all(Array.from({ length: Number(concArg) }, loop));
  process.stdout.write(`${JSON.stringify({ calls, errors })}\n`);
  client.close();
}
