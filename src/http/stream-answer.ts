/**
 * Writes a streamed backend answer to the client as it arrives: no buffering, no added
 * `content-length`, backpressure both ways (a full client socket pauses the backend), an idle
 * gap bound between chunks, and a client that goes away aborts the backend stream at once.
 */
import type { ServerResponse } from 'node:http';
import type { Failure } from '../upstream/classify.ts';
import { responseHeaders } from '../upstream/headers.ts';
import { CLIENT_GONE, IDLE_TIMEOUT, isStreamedAnswer, StreamHead, type StreamTap } from '../upstream/stream.ts';

export class LiveStream implements StreamTap {
  /** true once the answer's headers went to the client */
  started = false;
  ended = false;
  failure?: Failure;
  /** ms from the request's start to the answer's headers, and to its end */
  ttfbMs = 0;
  totalMs = 0;
  head?: StreamHead;
  /** the backend's answer headers */
  rawHeaders: Buffer[] = [];
  private timer?: NodeJS.Timeout;
  private abort?: (f: Failure) => void;
  private resume?: () => void;
  private onClose?: () => void;
  private onDrain?: () => void;

  constructor(
    private readonly res: ServerResponse,
    /** x-request-id, x-model-variant, x-model-version */
    private readonly extra: string[],
    private readonly idleMs: number,
    /** bytes kept for the log and shadow comparison */
    private readonly keepBytes: number,
    private readonly startedAt: number,
  ) {}

  begin(status: number, raw: Buffer[], resume: () => void, abort: (f: Failure) => void): boolean {
    if (!isStreamedAnswer(raw) || this.res.destroyed) return false;
    // nothing below is allocated for a buffered answer
    this.started = true;
    this.rawHeaders = raw;
    this.abort = abort;
    this.resume = resume;
    this.head = new StreamHead(this.keepBytes);
    this.onClose = () => {
      if (!this.ended) this.abort?.(CLIENT_GONE);
    };
    this.onDrain = () => {
      this.arm();
      this.resume?.();
    };
    const out = responseHeaders(raw);
    out.push(...this.extra);
    this.res.writeHead(status, out);
    this.res.flushHeaders();
    this.ttfbMs = performance.now() - this.startedAt;
    this.res.on('close', this.onClose as () => void);
    this.res.on('drain', this.onDrain as () => void);
    this.arm();
    return true;
  }

  private arm(): void {
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.abort?.(IDLE_TIMEOUT), this.idleMs);
  }

  data(chunk: Buffer): boolean {
    (this.head as StreamHead).add(chunk);
    const more = this.res.write(chunk);
    // while the client is full the backend is paused, not idle: the gap timer waits for drain
    if (more) this.arm();
    else {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    return more;
  }

  end(): void {
    this.finish();
    this.res.end();
  }

  failed(f: Failure): void {
    if (this.ended) return;
    this.failure = f;
    this.finish();
    // the status line is gone: a cut chunked stream is how a client learns it failed
    this.res.destroy();
  }

  private finish(): void {
    this.ended = true;
    this.totalMs = performance.now() - this.startedAt;
    clearTimeout(this.timer);
    if (this.onDrain) this.res.off('drain', this.onDrain);
  }
}
