/**
 * Every error modelgate itself produces, with its stable code and HTTP status, in one place,
 * and the error classes the code throws (each with its code). docs/errors.md mirrors this list.
 */
import type { Problem } from './config/validate.ts';

export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: 'malformed request' },
  INVALID_JSON: { status: 400, message: 'request body is not valid JSON' },
  MISSING_UNIT: { status: 400, message: 'the route requires a unit id and none was found' },
  UNKNOWN_VARIANT: { status: 400, message: 'the override header names no variant of this route' },
  INVALID_CONFIG: { status: 400, message: 'the configuration change is invalid' },
  INVALID_OUTCOME: { status: 400, message: 'the outcome event is invalid' },
  UNAUTHORIZED: { status: 401, message: 'missing or invalid bearer token' },
  NOT_FOUND: { status: 404, message: 'no such path' },
  MODEL_NOT_FOUND: { status: 404, message: 'no route serves this model' },
  ROUTE_NOT_FOUND: { status: 404, message: 'no such route' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'method not allowed' },
  REQUEST_TIMEOUT: { status: 408, message: 'the client was too slow to send the request' },
  CONFLICT: { status: 409, message: 'conflicting state' },
  PRECONDITION_FAILED: { status: 412, message: 'If-Match does not match the current config version' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'request body exceeds limits.max_body_bytes' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'prediction bodies must be application/json' },
  PRECONDITION_REQUIRED: { status: 428, message: 'writes need If-Match with the current config version' },
  TOO_MANY_REQUESTS: { status: 429, message: 'too many failed attempts; slow down' },
  HEADERS_TOO_LARGE: { status: 431, message: 'request headers exceed limits.max_header_bytes' },
  CLIENT_CLOSED_REQUEST: { status: 499, message: 'the client closed the connection before the response' },
  INTERNAL: { status: 500, message: 'internal error' },
  UPSTREAM_UNAVAILABLE: { status: 502, message: 'the model backend refused or reset the connection' },
  UPSTREAM_BAD_RESPONSE: { status: 502, message: 'the model backend sent an invalid or oversized response' },
  PROTOCOL_MISMATCH: { status: 502, message: 'the variant backend does not speak the protocol of this call (gRPC calls need grpc:// backends, HTTP calls http(s):// ones)' },
  OVER_CAPACITY: { status: 503, message: 'too many requests in flight' },
  NOT_READY: { status: 503, message: 'not ready' },
  CONFIG_STORE_UNAVAILABLE: { status: 503, message: 'the shared config store (redis) is unreachable; try again' },
  UPSTREAM_TIMEOUT: { status: 504, message: 'the model backend did not answer in time' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ModelgateError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'ModelgateError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}

/** A config change (or a route) that fails validation: 400 INVALID_CONFIG with the problems as details. */
export class InvalidChange extends ModelgateError {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super('INVALID_CONFIG', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
    this.name = 'InvalidChange';
    this.problems = problems;
  }
}

/** A compare-and-set on a config version that is no longer the current one: 412. */
export class VersionMismatch extends ModelgateError {
  constructor(
    readonly expected: number,
    readonly current: number,
  ) {
    super('PRECONDITION_FAILED', `config version is ${current}, not ${expected}`);
    this.name = 'VersionMismatch';
  }
}

/** A configuration file (or document) that fails validation, with every problem. */
export class ConfigError extends ModelgateError {
  readonly problems: Problem[];
  constructor(source: string, problems: Problem[]) {
    super('INVALID_CONFIG', `invalid configuration in ${source}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`, problems);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A canary plan change that conflicts with the plan's state (409 CONFLICT). */
export class CanaryConflict extends ModelgateError {
  constructor(message: string) {
    super('CONFLICT', message);
    this.name = 'CanaryConflict';
  }
}

/** An admin API call that failed (the CLI side): the server's status, code, message and details. */
export class AdminCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AdminCallError';
  }
}

/** Thrown inside a config transition that would change nothing: the caller keeps `version`. */
export class Unchanged extends Error {
  readonly code = 'UNCHANGED';
  constructor(readonly version: number) {
    super('unchanged');
    this.name = 'Unchanged';
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; request_id?: string; details?: unknown };
}

/** The one JSON error shape of DESIGN.md. */
export function errorBody(code: ErrorCode, message?: string, requestId?: string, details?: unknown): ErrorBody {
  const error: ErrorBody['error'] = { code, message: message ?? ERROR_CODES[code].message };
  if (requestId !== undefined) error.request_id = requestId;
  if (details !== undefined) error.details = details;
  return { error };
}

export function errorJson(code: ErrorCode, message?: string, requestId?: string, details?: unknown): string {
  return JSON.stringify(errorBody(code, message, requestId, details));
}
