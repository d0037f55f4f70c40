#!/usr/bin/env node
// A minimal OIP gRPC client of modelgate: readiness, metadata, one inference with a sticky unit.
//   node examples/grpc-client.mjs [host:port=127.0.0.1:8082] [model=fraud] [user=alice]
import { credentials, loadPackageDefinition, Metadata } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const [target = '127.0.0.1:8082', model = 'fraud', user = 'alice'] = process.argv.slice(2);
const def = loadSync(new URL('../proto/open_inference_grpc.proto', import.meta.url).pathname, { keepCase: true, longs: Number, defaults: true, oneofs: true });
const { GRPCInferenceService } = loadPackageDefinition(def).inference;
const client = new GRPCInferenceService(target, credentials.createInsecure());

const call = (method, request, md = new Metadata()) =>
  new Promise((resolve, reject) => {
    let headers;
    const c = client[method](request, md, { deadline: Date.now() + 5000 }, (err, value) => (err ? reject(err) : resolve({ value, headers })));
    c.on('metadata', (m) => (headers = m));
  });

const md = new Metadata();
md.set('x-user-id', user);
console.log('ServerReady', (await call('ServerReady', {})).value);
console.log('ModelReady ', (await call('ModelReady', { name: model }, md)).value);
const { value, headers } = await call(
  'ModelInfer',
  { model_name: model, inputs: [{ name: 'amount', datatype: 'FP32', shape: [1, 1], contents: { fp32_contents: [120.5] } }] },
  md,
);
console.log('variant', headers.get('x-model-variant')[0], 'version', headers.get('x-model-version')[0], 'request id', headers.get('x-request-id')[0]);
console.log('outputs', JSON.stringify(value.outputs.map((o) => ({ name: o.name, shape: o.shape, contents: o.contents }))));
client.close();
