/**
 * node-http-proxy 1.18 (`http-proxy`), keep-alive agent of 64 sockets, the same 90/10 sticky
 * split by x-user-id, for the same-run comparison. It streams the request body upstream.
 * Usage: http-proxy-peer.ts PORT V1_PORT V2_PORT
 */
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';
import { peerArgs, variantOf } from './peer-split.ts';

const { port, backends } = peerArgs();
const agent = new Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 60_000 });
const proxy = httpProxy.createProxyServer({ agent });
proxy.on('error', (_err, _req, res) => {
  const r = res as import('node:http').ServerResponse;
  if (!r.headersSent && typeof r.writeHead === 'function') r.writeHead(502, { 'content-type': 'application/json' });
  r.end('{"error":"bad gateway"}');
});
const server = createServer({ keepAliveTimeout: 65_000, noDelay: true }, (req, res) => {
  const unit = req.headers['x-user-id'];
  proxy.web(req, res, { target: backends[variantOf(typeof unit === 'string' ? unit : undefined)] });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
