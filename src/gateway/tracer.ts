/**
 * Per-request observation hooks that cost nothing when off: the data plane holds `undefined`
 * and skips them. Implemented in telemetry/ (OpenTelemetry tracing, pino access logs).
 */
import type { IncomingMessage } from 'node:http';

/** `http.route` of the prediction paths, by protocol (the server span's name and attribute) */
export const PREDICT_ROUTES: Readonly<Record<string, string>> = { v1: '/v1/models/{model}:predict', v2: '/v2/models/{model}/infer' };

export interface ClientSpan {
  /** adds `traceparent` (and `tracestate`) for this span to the flat upstream header list */
  inject(headers: string[]): void;
  end(status: number, error?: string): void;
}

export interface RequestSpan {
  /** W3C ids of this span (hex), for log correlation */
  readonly traceId: string;
  readonly spanId: string;
  /** a client span for the live call (kind 'live') or a shadow copy (kind 'shadow') */
  child(kind: 'live' | 'shadow', target: string, url: string): ClientSpan;
  setAttributes(attrs: Record<string, string | number | boolean>): void;
  end(status: number, error?: string): void;
}

export interface Tracer {
  /**
   * the server span of a request, continuing the client's `traceparent` when it sent one.
   * `route` is the matched route template (`http.route`), undefined when none matched;
   * `startTime` a performance.now() reading (default: now).
   */
  startRequest(req: IncomingMessage, route: string | undefined, startTime?: number): RequestSpan;
  shutdown(): Promise<void>;
}

export interface AccessRecord {
  rid: string;
  route: string;
  variant: string;
  version: string;
  status: number;
  latencyMs: number;
  assign: string;
  error?: string;
  /** the request's trace, when tracing is on */
  traceId?: string;
  spanId?: string;
}

export interface AccessLog {
  /** decides sampling itself; never throws */
  log(r: AccessRecord): void;
}
