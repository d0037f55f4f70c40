/**
 * Errors found by Node's HTTP parser (oversized headers, malformed requests, slow clients) are
 * answered from the `clientError` hook, in the same JSON shape as every other error. Answers
 * owed to requests accepted earlier on the same socket (pipelining) are written first.
 */
import type { Socket } from 'node:net';
import { ERROR_CODES, errorJson, type ErrorCode } from '../errors.ts';
import type { GatewayEvents } from '../gateway/events.ts';
import { endAfterPending } from './socket-state.ts';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

export function codeForParserError(code: string | undefined): ErrorCode {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'HEADERS_TOO_LARGE';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADERS_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    default:
      return 'BAD_REQUEST';
  }
}

export function clientErrorHandler(events: GatewayEvents) {
  return function onClientError(err: Error & { code?: string }, socket: Socket): void {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const code = codeForParserError(err.code);
    events.rejected(code);
    const status = ERROR_CODES[code].status;
    const body = errorJson(code, code === 'BAD_REQUEST' ? `malformed request (${err.code ?? 'parse error'})` : undefined);
    endAfterPending(socket, `HTTP/1.1 ${status} ${REASONS[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  };
}
