import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import { grpcMessage, grpcStatusFor, httpStatusOf } from './status.ts';

describe('gRPC status mapping', () => {
  it('maps the issue table: deadline, unavailable, not found, too large', () => {
    expect(grpcStatusFor('UPSTREAM_TIMEOUT')).toBe(status.DEADLINE_EXCEEDED);
    expect(grpcStatusFor('UPSTREAM_UNAVAILABLE')).toBe(status.UNAVAILABLE);
    expect(grpcStatusFor('OVER_CAPACITY')).toBe(status.UNAVAILABLE);
    expect(grpcStatusFor('MODEL_NOT_FOUND')).toBe(status.NOT_FOUND);
    expect(grpcStatusFor('PAYLOAD_TOO_LARGE')).toBe(status.RESOURCE_EXHAUSTED);
    expect(grpcStatusFor('MISSING_UNIT')).toBe(status.INVALID_ARGUMENT);
  });
  it('only INTERNAL maps to INTERNAL; client errors never look like backend failures', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const s = grpcStatusFor(code);
      expect(s === status.INTERNAL, code).toBe(code === 'INTERNAL');
      const http = ERROR_CODES[code].status;
      if (http >= 400 && http < 500 && http !== 408 && http !== 405) expect(httpStatusOf(s), code).toBeLessThan(500);
    }
  });
  it('puts the stable code first in grpc-message', () => {
    expect(grpcMessage('UPSTREAM_TIMEOUT')).toMatch(/^UPSTREAM_TIMEOUT: /);
  });
});
