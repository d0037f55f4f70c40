/** Writing JSON errors on the data plane: one helper, the DESIGN.md error shape. */
import type { ServerResponse } from 'node:http';
import { ERROR_CODES, errorJson, type ErrorCode } from '../errors.ts';

export function sendError(res: ServerResponse, code: ErrorCode, rid: string | undefined, extra: string[] = [], close = false, message?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorJson(code, message, rid);
  const headers = ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), ...extra];
  if (rid !== undefined) headers.push('x-request-id', rid);
  if (close) headers.push('connection', 'close');
  res.writeHead(ERROR_CODES[code].status, headers);
  res.end(body);
}
