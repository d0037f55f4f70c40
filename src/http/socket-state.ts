/**
 * Per client socket: how many accepted requests still await (or are writing) their answer,
 * how many it has been answered, and an error answer held back until those are written
 * (HTTP/1.1 pipelining: answers go out in request order, the parser's 400 last).
 */
import type { Socket } from 'node:net';

const PENDING = Symbol('modelgate.pending');
const SERVED = Symbol('modelgate.served');
const HELD = Symbol('modelgate.held');

type Tracked = Socket & { [PENDING]?: number; [SERVED]?: number; [HELD]?: string };

export function accepted(socket: Socket): void {
  const s = socket as Tracked;
  s[PENDING] = (s[PENDING] ?? 0) + 1;
}

/** the answer to one accepted request is written (or abandoned); writes a held error once none is left */
export function answered(socket: Socket): void {
  const s = socket as Tracked;
  const n = (s[PENDING] ?? 1) - 1;
  s[PENDING] = n;
  s[SERVED] = (s[SERVED] ?? 0) + 1;
  if (n === 0 && s[HELD] !== undefined) {
    const out = s[HELD];
    s[HELD] = undefined;
    if (s.writable) s.end(out);
    else s.destroy();
  }
}

export const pendingOn = (socket: Socket): number => (socket as Tracked)[PENDING] ?? 0;
export const servedOn = (socket: Socket): number => (socket as Tracked)[SERVED] ?? 0;

/** Writes `response` and ends the socket now, or after the answers still owed on it. */
export function endAfterPending(socket: Socket, response: string): void {
  const s = socket as Tracked;
  if (s[HELD] !== undefined) return; // one error answer per socket
  if (pendingOn(s) === 0) s.end(response);
  else s[HELD] = response;
}
