/**
 * gRPC status codes for modelgate's error codes (the one mapping): the error code itself
 * travels in `grpc-message` as `CODE: message`, so clients see the same codes as over HTTP.
 */
import { status as Status } from '@grpc/grpc-js';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';

const BY_HTTP: Record<number, Status> = {
  400: Status.INVALID_ARGUMENT,
  401: Status.UNAUTHENTICATED,
  403: Status.PERMISSION_DENIED,
  404: Status.NOT_FOUND,
  405: Status.UNIMPLEMENTED,
  408: Status.DEADLINE_EXCEEDED,
  409: Status.ABORTED,
  412: Status.FAILED_PRECONDITION,
  415: Status.INVALID_ARGUMENT,
  428: Status.FAILED_PRECONDITION,
  413: Status.RESOURCE_EXHAUSTED,
  429: Status.RESOURCE_EXHAUSTED,
  431: Status.RESOURCE_EXHAUSTED,
  499: Status.CANCELLED,
  502: Status.UNAVAILABLE,
  503: Status.UNAVAILABLE,
  504: Status.DEADLINE_EXCEEDED,
};

export function grpcStatusFor(code: ErrorCode): Status {
  return BY_HTTP[ERROR_CODES[code].status] ?? Status.INTERNAL;
}

/** `grpc-message` of an error modelgate produced: the stable code first. */
export const grpcMessage = (code: ErrorCode, message?: string): string => `${code}: ${message ?? ERROR_CODES[code].message}`;

/** The HTTP status a gRPC status counts as in metrics and the log (OK = 200). */
export function httpStatusOf(s: Status): number {
  switch (s) {
    case Status.OK:
      return 200;
    case Status.INVALID_ARGUMENT:
    case Status.FAILED_PRECONDITION:
    case Status.OUT_OF_RANGE:
      return 400;
    case Status.UNAUTHENTICATED:
      return 401;
    case Status.PERMISSION_DENIED:
      return 403;
    case Status.NOT_FOUND:
      return 404;
    case Status.ALREADY_EXISTS:
    case Status.ABORTED:
      return 409;
    case Status.RESOURCE_EXHAUSTED:
      return 429;
    case Status.CANCELLED:
      return 499;
    case Status.UNIMPLEMENTED:
      return 501;
    case Status.UNAVAILABLE:
      return 503;
    case Status.DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}
