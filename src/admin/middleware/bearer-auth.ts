/**
 * Bearer-token auth for every admin call. Tokens compared in constant time (tokens.ts);
 * repeated failures from one address are refused with 429 for a while; with no tokens
 * configured everything is 401. Tokens are never logged.
 */
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Logger } from '../../telemetry/logger.ts';
import type { AdminEnv } from '../env.ts';
import { FailureLimiter } from '../failure-limiter.ts';
import { sendError } from '../respond.ts';
import type { TokenSet } from '../tokens.ts';

export interface BearerAuthOptions {
  tokens: TokenSet;
  logger: Logger;
  limiter?: FailureLimiter;
}

function clientAddress(c: Parameters<MiddlewareHandler>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function bearerAuth({ tokens, logger, limiter = new FailureLimiter() }: BearerAuthOptions): MiddlewareHandler<AdminEnv> {
  return async function adminBearerAuth(c, next) {
    const addr = clientAddress(c);
    const wait = limiter.blockedFor(addr);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return sendError(c, 'TOO_MANY_REQUESTS');
    }
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    const name = m && tokens.names.length ? tokens.verify(m[1]) : undefined;
    if (name === undefined) {
      limiter.fail(addr);
      logger.info({ addr, method: c.req.method, path: c.req.path, reason: header ? 'invalid token' : 'no token' }, 'admin call refused');
      c.header('WWW-Authenticate', 'Bearer realm="modelgate-admin"');
      return sendError(c, 'UNAUTHORIZED', tokens.names.length ? undefined : 'the admin API has no tokens configured (MODELGATE_ADMIN_TOKENS or admin.tokens_file)');
    }
    limiter.succeed(addr);
    c.set('actor', name);
    await next();
  };
}
