/** Reads a request body into one Buffer, bounded in size and time. Resolves, never rejects. */
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'REQUEST_TIMEOUT' | 'CLIENT_CLOSED_REQUEST' };

const EMPTY = Buffer.alloc(0);

export function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (r: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (!r.ok) req.on('error', () => {}); // the rest of the body is not read; the socket closes after our answer
      resolve(r);
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) settle({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
      else chunks.push(c);
    };
    const onEnd = () => settle({ ok: true, body: chunks.length === 1 ? chunks[0] : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, size) });
    const onError = () => settle({ ok: false, code: 'CLIENT_CLOSED_REQUEST' });
    const onAborted = onError;
    const timer = setTimeout(() => settle({ ok: false, code: 'REQUEST_TIMEOUT' }), timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
