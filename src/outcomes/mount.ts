/**
 * `POST /v1/outcomes` on the data plane: an application reports business outcomes (one, or a
 * batch of up to 1000) for the requests or units the gateway served. Validated (every problem
 * listed, 400), bounded (body size, batch length, metric names, finite values), queued for
 * Redis without waiting, answered 202. Without Redis there is nowhere to keep them: 503.
 * A full buffer (Redis down for a while) answers 503 too, so the application can retry.
 */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { RedisClient as Redis } from '../redis/connect.ts';
import type { Registry } from 'prom-client';
import type { FileConfig } from '../config/schema.ts';
import type { ConfigStore } from '../config/store.ts';
import { ERROR_CODES, errorBody, type ErrorCode } from '../errors.ts';
import { unitEncoder } from '../predictions/unit-hash.ts';
import type { Logger } from '../telemetry/logger.ts';
import { OutcomeMetrics } from './outcome-metrics.ts';
import { parseOutcomes } from './outcome-schema.ts';
import { OutcomeSink } from './outcome-sink.ts';
import { resolveOutcomes } from './resolve.ts';
import { outcomesKeyPrefix } from '../redis/keys.ts';

export interface OutcomeDeps {
  cfg: FileConfig;
  store: ConfigStore;
  /** a command connection when Redis is configured */
  redis?: Redis;
  registry: Registry;
  logger: Logger;
}

export const OUTCOMES_PATH = '/v1/outcomes';
/** outcome bodies are small: at most this many bytes (or limits.max_body_bytes if lower) */
export const MAX_OUTCOME_BODY_BYTES = 1_048_576;
const BUFFER_ENTRIES = 100_000;
const BUFFER_BYTES = 32 * 1024 * 1024;

const fail = (c: Context, code: ErrorCode, message?: string, details?: unknown) =>
  c.json(errorBody(code, message, c.req.header('x-request-id') || undefined, details), ERROR_CODES[code].status as ContentfulStatusCode);

/** Mounts the outcome routes on the data plane's ops app; returns a close() for buffers. */
export function mountOutcomes(app: Hono, deps: OutcomeDeps): { close(): Promise<void> } {
  const { cfg, store, redis, logger } = deps;
  const metrics = new OutcomeMetrics(deps.registry, Object.keys(cfg.routes ?? {}));
  const prefix = cfg.redis?.prefix ?? 'modelgate';
  const encoder = cfg.log.unit === 'omit' ? undefined : unitEncoder(cfg.log.unit, cfg.log.hmac_key);
  if (encoder?.ephemeralKey && redis) logger.warn('outcomes keyed by unit can only be joined to this replica\'s own log entries: set log.hmac_key (or MODELGATE_LOG_KEY)');
  const sink = redis
    ? new OutcomeSink(redis, { keyPrefix: outcomesKeyPrefix(prefix), maxlen: cfg.log.maxlen, bufferEntries: Math.min(BUFFER_ENTRIES, cfg.log.buffer_entries), bufferBytes: Math.min(BUFFER_BYTES, cfg.log.buffer_bytes), batchEntries: cfg.log.batch_entries, flushMs: cfg.log.flush_ms }, metrics, logger)
    : undefined;
  const maxBytes = Math.min(MAX_OUTCOME_BODY_BYTES, cfg.limits.max_body_bytes);

  app.post(
    OUTCOMES_PATH,
    bodyLimit({ maxSize: maxBytes, onError: (c) => (metrics.rejected('too_large'), fail(c, 'PAYLOAD_TOO_LARGE', `outcome bodies are limited to ${maxBytes} bytes`)) }),
    async (c) => {
      if (!sink) {
        metrics.rejected('no_redis');
        return fail(c, 'NOT_READY', 'outcomes are kept in Redis and none is configured: set redis.url (or REDIS_URL)');
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        metrics.rejected('invalid');
        return fail(c, 'INVALID_JSON');
      }
      const parsed = parseOutcomes(body);
      const resolved = parsed.ok ? resolveOutcomes(parsed.outcomes, { config: store.current(), encodeUnit: encoder?.encode, now: Date.now() }, parsed.batch) : parsed;
      if (!resolved.ok) {
        metrics.rejected('invalid');
        return fail(c, 'INVALID_OUTCOME', `${resolved.problems.length} problem(s) in the outcome body`, resolved.problems);
      }
      if (!sink.offer(resolved.entries)) {
        metrics.rejected('overloaded');
        c.header('Retry-After', '1');
        return fail(c, 'OVER_CAPACITY', 'the outcome buffer is full (Redis slow or unreachable): retry later');
      }
      for (const e of resolved.entries) metrics.count(e.route, 'accepted');
      return c.json({ accepted: resolved.entries.length }, 202);
    },
  );
  app.all(OUTCOMES_PATH, (c) => {
    c.header('Allow', 'POST');
    return fail(c, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed here; use POST`);
  });
  return { close: async () => sink?.close() };
}
