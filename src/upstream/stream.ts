/**
 * Streamed answers: the hook send.ts offers, and the one rule for which answers stream (pure).
 * An answer streams when it is `text/event-stream`, or chunked with no `Content-Length`; a
 * tap then takes every chunk as it arrives instead of the exchange buffering it.
 */
import type { Failure } from './classify.ts';

export interface StreamTap {
  /** at the backend's headers: true takes the answer over (send.ts then stops its deadline) */
  begin(status: number, rawHeaders: Buffer[], resume: () => void, abort: (f: Failure) => void): boolean;
  /** one chunk; false pauses the backend until `resume` */
  data(chunk: Buffer): boolean;
  /** the backend finished the answer */
  end(): void;
  /** the exchange failed after `begin` (backend reset, idle gap, client gone) */
  failed(f: Failure): void;
}

/** Whether a backend answer with these raw headers is streamed through. */
export function isStreamedAnswer(raw: readonly Buffer[] | readonly string[]): boolean {
  let chunked = false;
  let length = false;
  let sse = false;
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i].length;
    // only three names matter: skip the rest by length before lower-casing
    if (n !== 12 && n !== 14 && n !== 17) continue;
    const name = raw[i].toString().toLowerCase();
    if (name === 'content-length') length = true;
    else if (name === 'transfer-encoding') chunked = /chunked/i.test(raw[i + 1].toString());
    else if (name === 'content-type') sse = /^\s*text\/event-stream/i.test(raw[i + 1].toString());
  }
  return sse || (chunked && !length);
}

export const IDLE_TIMEOUT: Failure = { reason: 'timeout', code: 'UPSTREAM_TIMEOUT', message: 'backend stream idle longer than upstream.stream_idle_timeout_ms', retryable: false };
export const CLIENT_GONE: Failure = { reason: 'reset', code: 'CLIENT_CLOSED_REQUEST', message: 'the client went away mid-stream', retryable: false };

/** Keeps the first `limit` bytes of a stream (for the log) and counts the rest. */
export class StreamHead {
  private readonly parts: Buffer[] = [];
  private kept = 0;
  bytes = 0;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.kept >= this.limit) return;
    const take = Math.min(chunk.length, this.limit - this.kept);
    this.parts.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    this.kept += take;
  }
  body(): Buffer {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.kept);
  }
}
