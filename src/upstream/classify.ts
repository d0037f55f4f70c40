/** Maps an upstream failure to a reason and an error code: the one place that does (Caddy's statusError). */
import type { ErrorCode } from '../errors.ts';
import type { UpstreamFailure } from '../gateway/events.ts';

export interface Failure {
  reason: UpstreamFailure;
  code: ErrorCode;
  message: string;
  /** true when the request certainly never reached the backend (safe to retry) */
  retryable: boolean;
  /** a reset on a reused connection before any answer: the request never reached the backend (stale-connection.ts) */
  stale?: boolean;
  /** the client went away and the request was abandoned */
  cancelled?: boolean;
}

const CONNECT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function classifyUpstreamError(err: unknown): Failure {
  const code = (err as { code?: string } | null)?.code ?? '';
  if (CONNECT.has(code)) return { reason: 'connect', code: 'UPSTREAM_UNAVAILABLE', message: `backend unreachable (${code})`, retryable: true };
  if (TIMEOUT.has(code)) return { reason: 'timeout', code: 'UPSTREAM_TIMEOUT', message: 'backend did not answer in time', retryable: false };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED')
    return { reason: 'reset', code: 'UPSTREAM_UNAVAILABLE', message: `backend connection reset (${code})`, retryable: false };
  return { reason: 'bad_response', code: 'UPSTREAM_BAD_RESPONSE', message: `backend failed: ${(err as Error)?.message ?? String(err)}`, retryable: false };
}

export const TIMED_OUT: Failure = { reason: 'timeout', code: 'UPSTREAM_TIMEOUT', message: 'backend did not answer in time', retryable: false };
export const TOO_LARGE: Failure = { reason: 'bad_response', code: 'UPSTREAM_BAD_RESPONSE', message: 'backend response exceeds upstream.max_response_bytes', retryable: false };
export const OVER_CAP: Failure = { reason: 'over_capacity', code: 'OVER_CAPACITY', message: 'backend in-flight cap reached (upstream.max_inflight)', retryable: false };
export const CANCELLED: Failure = { reason: 'reset', code: 'CLIENT_CLOSED_REQUEST', message: 'the client went away', retryable: false, cancelled: true };
