/**
 * Structured JSON access logs (pino), one line per prediction: request id, route, variant,
 * version, status, latency, assignment and error code, and the trace and span id when tracing. Off by default (createAccessLog returns
 * undefined and the data plane skips it). Level by status class as fastify does: 5xx at error,
 * everything else at info; `access_log.level` is the threshold. `sample_percent` samples the
 * lines at random, but 5xx are always written. Lines go through an asynchronous pino
 * destination (buffered, flushed in the background) so a slow stdout never blocks a request.
 * Only the fields of AccessRecord are written: never headers, tokens or unit ids.
 */
import { pino, type DestinationStream, type Level } from 'pino';
import type { FileConfig } from '../config/schema.ts';
import type { AccessLog, AccessRecord } from '../gateway/tracer.ts';
import type { Logger } from './logger.ts';

/** the level of a line, by the status class of the response */
export function accessLevel(status: number): Level {
  return status >= 500 ? 'error' : 'info';
}

let stdoutDest: ReturnType<typeof pino.destination> | undefined;

/** one asynchronous stdout destination per process, flushed when the process exits */
function asyncStdout(): DestinationStream {
  if (!stdoutDest) {
    const dest = pino.destination({ dest: 1, sync: false });
    stdoutDest = dest;
    process.once('exit', () => {
      try {
        dest.flushSync();
      } catch {
        /* stdout gone */
      }
    });
  }
  return stdoutDest;
}

/**
 * @param destination where lines go (default: stdout, asynchronously); tests pass a stream
 */
export function createAccessLog(cfg: FileConfig, logger: Logger, destination?: DestinationStream): AccessLog | undefined {
  const c = cfg.access_log;
  if (!c?.enabled) return undefined;
  const out = pino({ name: 'access', level: c.level, base: { pid: process.pid } }, destination ?? asyncStdout());
  const ratio = c.sample_percent / 100;
  logger.info({ sample_percent: c.sample_percent, threshold: c.level }, 'access logs on');
  return {
    log(r: AccessRecord): void {
      try {
        const level = accessLevel(r.status);
        if (level !== 'error' && ratio < 1 && Math.random() >= ratio) return;
        const line: Record<string, string | number> = {
          rid: r.rid,
          route: r.route,
          variant: r.variant,
          version: r.version,
          status: r.status,
          latency_ms: Math.round(r.latencyMs * 1000) / 1000,
          assign: r.assign,
        };
        if (r.error) line.error = r.error;
        if (r.traceId) {
          line.trace_id = r.traceId;
          if (r.spanId) line.span_id = r.spanId;
        }
        out[level](line, 'prediction');
      } catch {
        /* logging never fails a prediction */
      }
    },
  };
}
