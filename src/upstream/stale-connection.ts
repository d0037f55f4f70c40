/**
 * A pooled connection the backend closed while idle (it times idle sockets out sooner than
 * our pool, and says nothing in a Keep-Alive header) fails the next request written on it
 * with a reset before any answer. Such a request never reached the backend's application,
 * so it is retried once. "Reused" means the socket had already read an earlier response
 * (bytes read > 0); "before any answer" means no response headers for this request.
 */
import type { Socket } from 'node:net';

const BYTES_READ = Symbol('modelgate.bytesRead');
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

type Marked = Error & { code?: string; [BYTES_READ]?: number; socket?: { bytesRead?: number } };

/** Socket errors (ECONNRESET, EPIPE) carry no socket details: note the bytes read on them. */
export function markSocketErrors<S extends Socket>(socket: S): S {
  socket.prependListener('error', (err: Marked) => {
    if (err && typeof err === 'object' && err[BYTES_READ] === undefined) err[BYTES_READ] = socket.bytesRead;
  });
  return socket;
}

/** true for a reset on a connection that had carried an earlier response, before this one's headers */
export function isStaleReset(err: unknown, gotHeaders: boolean): boolean {
  if (gotHeaders || !err || typeof err !== 'object') return false;
  const e = err as Marked;
  if (!RESET_CODES.has(e.code ?? '')) return false;
  const read = e.socket?.bytesRead ?? e[BYTES_READ] ?? 0;
  return read > 0;
}
