/**
 * What the labels of `modelgate_requests_total{route,variant,status,code,assign}` can hold,
 * defined once (pure). `status` is always the HTTP status sent to the client; `code` is always
 * the gateway's error code (src/errors.ts), or `none` when the gateway itself failed nothing
 * (the backend's answer was passed through, whatever its status).
 *
 * Every series the gateway can produce is created at zero when a route is bound, so `rate()`
 * and `increase()` see the first error of a burst:
 *   - code `none` with each status a backend commonly answers (BACKEND_STATUSES); a backend
 *     status outside that list still counts, its series appears on first use;
 *   - each error code the gateway produces after choosing a variant (GATEWAY_CODES) with its
 *     one status;
 *   - for each assignment the route can produce: `hash` always, `random` only when
 *     `on_missing_unit: random`, `forced` only when the route has an `override_header`.
 */
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import type { Assign } from '../routing/select.ts';

/** the `code` of a response the gateway did not fail */
export const NO_ERROR = 'none';

/** statuses a backend commonly answers: pre-created with code `none` */
export const BACKEND_STATUSES = [200, 400, 404, 422, 429, 500, 502, 503, 504] as const;

/** error codes the gateway answers with after a variant was chosen (upstream failures, client gone) */
export const GATEWAY_CODES: readonly ErrorCode[] = ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_BAD_RESPONSE', 'UPSTREAM_TIMEOUT', 'OVER_CAPACITY', 'CLIENT_CLOSED_REQUEST', 'PROTOCOL_MISMATCH'];

/**
 * Error codes counted in `modelgate_rejected_requests_total{code}` (refused before a variant
 * was chosen): every one is exported at zero from the start.
 */
export const REJECT_CODES: readonly ErrorCode[] = [
  'BAD_REQUEST',
  'INVALID_JSON',
  'MISSING_UNIT',
  'UNKNOWN_VARIANT',
  'NOT_FOUND',
  'MODEL_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'HEADERS_TOO_LARGE',
  'CLIENT_CLOSED_REQUEST',
  'OVER_CAPACITY',
  'PROTOCOL_MISMATCH',
];

export interface StatusCode {
  status: number;
  code: string;
}

/** the (status, code) pairs created at zero for every variant */
export function initialStatusCodes(): StatusCode[] {
  return [...BACKEND_STATUSES.map((status) => ({ status, code: NO_ERROR })), ...GATEWAY_CODES.map((code) => ({ status: ERROR_CODES[code].status, code }))];
}

/** the assignments a route can produce, from its config */
export function possibleAssigns(route: { on_missing_unit: 'random' | 'reject'; override_header?: string }): Assign[] {
  const out: Assign[] = ['hash'];
  if (route.on_missing_unit === 'random') out.push('random');
  if (route.override_header !== undefined) out.push('forced');
  return out;
}
