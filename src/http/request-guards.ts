/**
 * Checks on the raw request head that Node does not make (or makes without our error shape):
 * the header count (Node's `maxHeadersCount` silently drops headers past it, so the server keeps
 * one more than the limit and we count), and the Host header HTTP/1.1 requires.
 */
import type { IncomingMessage } from 'node:http';

export type HeadRefusal = { code: 'HEADERS_TOO_LARGE' | 'BAD_REQUEST'; message: string };

/** Node's `maxHeadersCount` for a limit of `maxHeaders`: one more, so an excess is visible. */
export const parserHeaderCount = (maxHeaders: number) => maxHeaders + 1;

export function hasHost(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i];
    if (n.length === 4 && n.toLowerCase() === 'host') return true;
  }
  return false;
}

/** undefined when the head is acceptable; one pass over `rawHeaders` at most. */
export function checkHead(req: Pick<IncomingMessage, 'rawHeaders' | 'httpVersionMajor' | 'httpVersionMinor'>, maxHeaders: number): HeadRefusal | undefined {
  const raw = req.rawHeaders;
  if (raw.length > 2 * maxHeaders) return { code: 'HEADERS_TOO_LARGE', message: `more than limits.max_headers (${maxHeaders}) request headers` };
  if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && !hasHost(raw)) return { code: 'BAD_REQUEST', message: 'HTTP/1.1 requests need a Host header' };
  return undefined;
}
