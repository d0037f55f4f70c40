/**
 * The response write deadline (`limits.response_timeout_ms`): an answer the client has not
 * taken in full by then (it stopped reading) is destroyed, releasing its buffered bytes and
 * its socket. Armed only when the answer is not already handed to the kernel when it ends,
 * so the common case costs no timer.
 */
import type { ServerResponse } from 'node:http';

/** true when `res` still holds bytes the client has not taken */
export const stillWriting = (res: ServerResponse): boolean => !res.writableFinished && !res.destroyed && res.writableLength > 0;

export function armWriteDeadline(res: ServerResponse, ms: number, onExpired: () => void): void {
  if (!stillWriting(res)) return;
  const timer = setTimeout(() => {
    if (res.writableFinished || res.destroyed) return;
    onExpired();
    res.destroy();
  }, ms);
  timer.unref();
  res.once('close', () => clearTimeout(timer));
}
