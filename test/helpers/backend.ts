/**
 * Real model backends for tests: node:http servers on ephemeral ports that answer like a
 * KServe V1 / OIP V2 server, with knobs to be slow, fail, hang, or die mid-response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** the body's bytes as received */
  raw: Buffer;
}

export type Behaviour = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

export interface TestBackend {
  readonly url: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  /** replace how it answers */
  behave(b: Behaviour): void;
  close(): Promise<void>;
}

/** Answers V1 `{predictions: [...]}` (one score per instance) or V2 outputs, tagged with `name`. */
export function modelBehaviour(name: string, score = 0.5): Behaviour {
  return (req, res) => {
    let body: any = {};
    try {
      body = JSON.parse(req.body || '{}');
    } catch {
      /* answer anyway */
    }
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-served-by', name);
    if (req.url.startsWith('/v2/')) {
      const rows = body.inputs?.[0]?.shape?.[0] ?? 1;
      res.end(JSON.stringify({ model_name: name, outputs: [{ name: 'score', shape: [rows, 1], datatype: 'FP32', data: Array(rows).fill(score) }] }));
    } else {
      const n = Array.isArray(body.instances) ? body.instances.length : 1;
      res.end(JSON.stringify({ predictions: Array(n).fill(score), model: name }));
    }
  };
}

export async function startBackend(behaviour: Behaviour = modelBehaviour('backend'), port = 0): Promise<TestBackend> {
  let current = behaviour;
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const r: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw.toString('utf8'), raw };
      seen.push(r);
      Promise.resolve(current(r, res)).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const p = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    seen,
    behave(b) {
      current = b;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
