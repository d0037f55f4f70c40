/** A demo model server speaking KServe V1 (and OIP V2 for numeric inputs) on node:http. */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { MODELS, score, toTransaction, type FraudCoefficients } from './model.ts';

function v1(c: FraudCoefficients, body: any) {
  const instances: unknown[] = Array.isArray(body?.instances) ? body.instances : [];
  return { predictions: instances.map((i) => score(c, toTransaction(i))) };
}

function v2(c: FraudCoefficients, name: string, body: any) {
  const input = body?.inputs?.[0];
  const [rows, cols] = input?.shape ?? [0, 0];
  const data: number[] = input?.data ?? [];
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(score(c, toTransaction(data.slice(r * cols, r * cols + cols))));
  return { model_name: name, outputs: [{ name: 'fraud_probability', shape: [rows, 1], datatype: 'FP64', data: out }] };
}

export async function startModelServer(model: keyof typeof MODELS | string, port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  const c = MODELS[model];
  if (!c) throw new Error(`unknown demo model ${model}`);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid json"}');
        return;
      }
      const url = req.url ?? '';
      const out = url.startsWith('/v2/') ? v2(c, model, body) : url.startsWith('/v1/') ? v1(c, body) : undefined;
      if (!out) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const text = JSON.stringify(out);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, host);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}
