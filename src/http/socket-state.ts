/**
 * Per client socket: the accepted requests whose answer is not yet written (how many, and
 * their responses), how many it has been answered, and an error answer held back until those
 * are written (HTTP/1.1 pipelining: answers go out in request order, the parser's 400 last).
 *
 * The open responses hang off their (live) socket rather than one process-wide Set: a Set
 * that every request adds to and deletes from rehashes into fresh tables all the time, and
 * its dead tables, once promoted, still point at newer responses, which then outlive the
 * young-generation collections that should free them (GC nepotism). On most runs that
 * promoted every request's objects, ~1.9 KB each, and tripled the scavenge cost
 * (docs/benchmarks.md, "Garbage collection").
 */
import type { Socket } from 'node:net';
import type { ServerResponse } from 'node:http';

const PENDING = Symbol('modelgate.pending');
const SERVED = Symbol('modelgate.served');
const HELD = Symbol('modelgate.held');
/** the open response, or several while pipelined requests wait their turn */
const OPEN = Symbol('modelgate.open');

type Tracked = Socket & { [PENDING]?: number; [SERVED]?: number; [HELD]?: string; [OPEN]?: ServerResponse | ServerResponse[] };

export function accepted(socket: Socket, res: ServerResponse): void {
  const s = socket as Tracked;
  s[PENDING] = (s[PENDING] ?? 0) + 1;
  const o = s[OPEN];
  if (o === undefined) s[OPEN] = res;
  else if (Array.isArray(o)) o.push(res);
  else s[OPEN] = [o, res];
}

/** the responses accepted on `socket` whose answer is not yet written */
export function openOn(socket: Socket): readonly ServerResponse[] {
  const o = (socket as Tracked)[OPEN];
  return o === undefined ? [] : Array.isArray(o) ? o : [o];
}

/** the answer to one accepted request is written (or abandoned); writes a held error once none is left */
export function answered(socket: Socket, res: ServerResponse): void {
  const s = socket as Tracked;
  const o = s[OPEN];
  if (o !== undefined) {
    if (o === res) s[OPEN] = undefined;
    else if (Array.isArray(o)) {
      const i = o.indexOf(res);
      if (i >= 0) o.splice(i, 1);
      if (o.length === 0) s[OPEN] = undefined;
      else if (o.length === 1) s[OPEN] = o[0];
    }
  }
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
