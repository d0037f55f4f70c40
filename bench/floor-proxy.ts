/**
 * The Node floor: the least a Node.js split proxy does, to measure modelgate against in the
 * same run. node:http server, the body read into one Buffer, a 90/10 sticky split by
 * x-user-id, one undici `Pool.request` per request to the chosen backend (keep-alive pool of
 * 64), the answer buffered and written with its status and headers. No limits, no deadlines,
 * no logging, no metrics: a gateway cannot do less and stay a proxy.
 * Usage: floor-proxy.ts PORT V1_PORT V2_PORT
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { peerArgs, variantOf } from './peer-split.ts';

const { port, backends } = peerArgs();
const pools = backends.map((o) => new Pool(o, { connections: 64, pipelining: 1 }));
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'host', 'content-length', 'proxy-connection', 'trailer', 'expect']);

function forwardHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!HOP.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
  return out;
}

function answerHeaders(h: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k in h) if (!HOP.has(k) && h[k] !== undefined) out[k] = h[k] as string | string[];
  return out;
}

function fail(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(502, { 'content-type': 'application/json' });
  res.end('{"error":"bad gateway"}');
}

async function proxy(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const unit = req.headers['x-user-id'];
  const pool = pools[variantOf(typeof unit === 'string' ? unit : undefined)];
  const r = await pool.request({ path: req.url ?? '/', method: req.method as 'POST', headers: forwardHeaders(req.rawHeaders), body });
  const chunks: Buffer[] = [];
  for await (const c of r.body) chunks.push(c as Buffer);
  const answer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const headers = answerHeaders(r.headers);
  headers['content-length'] = String(answer.length);
  res.writeHead(r.statusCode, headers);
  res.end(answer);
}

const server = createServer({ keepAliveTimeout: 65_000, noDelay: true }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    proxy(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).catch(() => fail(res));
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
