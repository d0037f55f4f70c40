/**
 * Live forwarding with the retry rules (docs/serving.md, "Which failures are retried"):
 * - a connect failure (refused, unreachable, connect timeout: the request never left) is
 *   retried up to `upstream.retries` times, after a full-jitter backoff;
 * - a reset on a reused connection before any answer (stale-connection.ts) is retried once,
 *   at once (a fresh connection is opened);
 * each retry only within the request's deadline and the backend's retry budget (a rate), and
 * never once the client has gone. Nothing else is retried: timeouts, resets after the answer
 * started or on a fresh connection, bad responses, 5xx answers.
 */
import type { Backend } from './backend.ts';
import { CANCELLED } from './classify.ts';
import { backoffMs } from './retry-budget.ts';
import { send, type UpstreamResult } from './send.ts';
import type { StreamTap } from './stream.ts';
import type { CancelSignal } from './cancel.ts';

export interface LiveRequest {
  path: string;
  headers: string[];
  body: Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
  retries: number;
  signal?: CancelSignal;
  /** a streamed answer's tap: once it started, nothing is retried */
  tap?: StreamTap & { readonly started?: boolean };
}

const pause = (ms: number, signal?: CancelSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });

export async function forwardLive(backend: Backend, req: LiveRequest, onRetry: () => void, random: () => number = Math.random): Promise<UpstreamResult> {
  const started = performance.now();
  const { path, headers, body, maxResponseBytes, signal, tap } = req;
  backend.budget.request();
  let r = await send({ backend, path, headers, body, timeoutMs: req.timeoutMs, maxResponseBytes, signal, tap });
  let attempt = 0;
  let staleRetried = false;
  while (!r.ok && !signal?.aborted && !tap?.started) {
    const stale = r.failure.stale === true && !staleRetried;
    if (!stale && !(r.failure.retryable && attempt < req.retries)) break;
    const wait = stale ? 0 : backoffMs(attempt, random);
    if (req.timeoutMs - (performance.now() - started) - wait <= 0 || !backend.budget.tryRetry()) break;
    if (wait > 0) await pause(wait, signal);
    const left = req.timeoutMs - (performance.now() - started);
    if (left <= 0 || signal?.aborted) break;
    if (stale) staleRetried = true;
    else attempt++;
    onRetry();
    r = await send({ backend, path, headers, body, timeoutMs: left, maxResponseBytes, signal, tap });
  }
  if (signal?.aborted && !r.ok) r = { ok: false, failure: CANCELLED, ms: 0 };
  r.ms = performance.now() - started;
  return r;
}
