/**
 * Sends one request to a backend through undici's dispatcher API (no stream objects), with
 * our own deadline timer (undici's timers are ~1 s coarse), a response size bound and an
 * in-flight cap. Resolves, never rejects.
 */
import type { Dispatcher } from 'undici';
import type { Backend } from './backend.ts';
import { CANCELLED, classifyUpstreamError, OVER_CAP, TIMED_OUT, TOO_LARGE, type Failure } from './classify.ts';
import { isStaleReset } from './stale-connection.ts';
import type { StreamTap } from './stream.ts';
import type { CancelSignal } from './cancel.ts';

export interface UpstreamRequest {
  backend: Backend;
  path: string;
  headers: string[];
  body: Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
  /** aborted when the client is gone: the backend request is cancelled at once */
  signal?: CancelSignal;
  /** default POST; a GET sends no body */
  method?: 'GET' | 'POST';
  /** when set, may take over a streamed answer at its headers (src/upstream/stream.ts) */
  tap?: StreamTap;
}

export type UpstreamResult =
  | { ok: true; status: number; headers: Buffer[]; body: Buffer; ms: number }
  | { ok: false; failure: Failure; ms: number };

const EMPTY = Buffer.alloc(0);

/**
 * One exchange's undici handler. Once settled it lets go of the request (and with it the
 * tap, the client's response and everything the caller holds): a finished handler can stay
 * reachable from undici's dead, already promoted request queues, and one that still reached
 * the client's request and response kept them alive through young-generation collections
 * (with the open-answer Set that socket-state.ts replaced, this promoted ~1.9 KB per request
 * on most runs instead of ~100 B: docs/benchmarks.md, "Garbage collection").
 */
class Exchange implements Dispatcher.DispatchHandler {
  private abortFn?: (err?: Error) => void;
  private streaming = false;
  private status = 0;
  private headers: Buffer[] = [];
  private chunks: Buffer[] = [];
  private size = 0;
  private gotHeaders = false;
  private readonly timer: NodeJS.Timeout;
  private readonly start = performance.now();
  /** both null once settled (see above) */
  private req: UpstreamRequest | null;
  private resolve: ((r: UpstreamResult) => void) | null;
  /** the tap of a streamed answer, kept until its end or failure is told */
  private tap: StreamTap | null = null;

  constructor(req: UpstreamRequest, resolve: (r: UpstreamResult) => void) {
    this.req = req;
    this.resolve = resolve;
    this.timer = setTimeout(() => this.fail(TIMED_OUT), req.timeoutMs);
    req.signal?.addEventListener('abort', this.cancel);
  }

  private readonly cancel = () => this.fail(CANCELLED);

  private get done(): boolean {
    return this.req === null;
  }

  private finish(r: UpstreamResult): void {
    const req = this.req;
    const resolve = this.resolve;
    if (!req || !resolve) return;
    clearTimeout(this.timer);
    req.signal?.removeEventListener('abort', this.cancel);
    req.backend.inflight--;
    this.req = null;
    this.resolve = null;
    this.chunks = [];
    this.headers = [];
    resolve(r);
  }

  fail(f: Failure): void {
    if (this.done) return;
    this.finish({ ok: false, failure: f, ms: performance.now() - this.start });
    this.abortFn?.(new Error(f.message));
    this.abortFn = undefined;
    const tap = this.tap;
    this.tap = null;
    tap?.failed(f);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.done) abort(new Error('cancelled'));
    else this.abortFn = abort;
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    const req = this.req;
    if (!req) return false;
    this.gotHeaders = true;
    this.status = status;
    this.headers = rawHeaders;
    if (req.tap?.begin(status, rawHeaders, resume, (f) => this.fail(f))) {
      // a streamed answer: the deadline covered the first byte; the tap times idle gaps now
      this.streaming = true;
      this.tap = req.tap;
      clearTimeout(this.timer);
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.streaming) return this.tap === null || this.tap.data(chunk);
    const req = this.req;
    if (!req) return false;
    this.size += chunk.length;
    if (this.size > req.maxResponseBytes) {
      this.fail(TOO_LARGE);
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.streaming) {
      const tap = this.tap;
      this.tap = null;
      this.finish({ ok: true, status: this.status, headers: this.headers, body: EMPTY, ms: performance.now() - this.start });
      tap?.end();
      return;
    }
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.finish({ ok: true, status: this.status, headers: this.headers, body, ms: performance.now() - this.start });
  }

  onError(err: Error): void {
    const f = classifyUpstreamError(err);
    this.fail(isStaleReset(err, this.gotHeaders) ? { ...f, stale: true } : f);
  }

  onUpgrade(): void {
    this.fail(classifyUpstreamError(new Error('unexpected upgrade')));
  }
}

export function send(req: UpstreamRequest): Promise<UpstreamResult> {
  if (req.signal?.aborted) return Promise.resolve({ ok: false, failure: CANCELLED, ms: 0 });
  if (req.backend.full) return Promise.resolve({ ok: false, failure: OVER_CAP, ms: 0 });
  req.backend.inflight++;
  return new Promise<UpstreamResult>((resolve) => {
    const ex = new Exchange(req, resolve);
    try {
      req.backend.pool.dispatch({ origin: req.backend.origin, path: req.path, method: req.method ?? 'POST', headers: req.headers, body: req.method === 'GET' ? null : req.body }, ex);
    } catch (err) {
      ex.fail(classifyUpstreamError(err));
    }
  });
}
