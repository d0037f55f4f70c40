/**
 * Admin responses: JSON bodies with the config version as a strong ETag, a warning when
 * changes stay in this process's memory, and the one error shape of DESIGN.md for every
 * failure (InvalidChange -> 400 INVALID_CONFIG with details, VersionMismatch -> 412).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ModelgateError, errorBody, type ErrorCode, InvalidChange, VersionMismatch } from '../errors.ts';
import { type ConfigStore } from '../config/store.ts';
import type { Logger } from '../telemetry/logger.ts';

export const MEMORY_WARNING = 'no redis configured: changes apply to this single process only, in memory, and are lost when it stops';

export const etagOf = (version: number) => `"${version}"`;

export function sendJson(c: Context, store: ConfigStore, body: Record<string, unknown>, status: ContentfulStatusCode = 200, version?: number): Response {
  if (version !== undefined) c.header('ETag', etagOf(version));
  c.header('Cache-Control', 'no-store');
  const out = store.mode === 'memory' ? { ...body, warning: MEMORY_WARNING } : body;
  return c.json(out, status);
}

export function sendError(c: Context, code: ErrorCode, message?: string, details?: unknown): Response {
  const err = new ModelgateError(code, message, details);
  c.header('Cache-Control', 'no-store');
  return c.json(errorBody(code, err.message, undefined, details), err.status as ContentfulStatusCode);
}

/** onError for the admin app: known errors keep their code; anything else is a logged 500. */
export function adminErrorHandler(logger: Logger) {
  return function adminOnError(err: Error, c: Context): Response {
    if (err instanceof InvalidChange) return sendError(c, 'INVALID_CONFIG', `the change is invalid: ${err.problems.length} problem(s)`, err.problems);
    if (err instanceof VersionMismatch) {
      c.header('ETag', etagOf(err.current));
      return sendError(c, 'PRECONDITION_FAILED', `If-Match is "${err.expected}" but the config version is "${err.current}"`);
    }
    if (err instanceof ModelgateError) {
      if (err.status >= 500) logger.error({ code: err.code, err: err.message }, 'admin call failed');
      return sendError(c, err.code, err.message, err.details);
    }
    logger.error({ err: err.message, stack: err.stack }, 'admin call failed');
    return sendError(c, 'INTERNAL');
  };
}

/** Reads a JSON body; a body that is not JSON is a 400. */
export async function readJson(c: Context, optional = false): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) {
    if (optional) return undefined;
    throw new ModelgateError('INVALID_JSON', 'a JSON body is required');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelgateError('INVALID_JSON');
  }
}
