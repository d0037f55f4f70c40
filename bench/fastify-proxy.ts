/**
 * fastify 5 + @fastify/reply-from (undici), the same 90/10 sticky split by x-user-id, for the
 * same-run comparison. Bodies are kept as Buffers (no JSON parse): the fastest reply-from setup.
 * Usage: fastify-proxy.ts PORT V1_PORT V2_PORT
 */
import Fastify from 'fastify';
import replyFrom from '@fastify/reply-from';
import { peerArgs, variantOf } from './peer-split.ts';

const { port, backends } = peerArgs();
const app = Fastify({ logger: false, keepAliveTimeout: 65_000, bodyLimit: 1 << 20 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
await app.register(replyFrom, { undici: { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 } });
app.all('/*', (req, reply) => {
  const unit = req.headers['x-user-id'];
  const base = backends[variantOf(typeof unit === 'string' ? unit : undefined)];
  return reply.from(base + req.url);
});
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`ready ${port}\n`);
process.on('SIGTERM', () => process.exit(0));
