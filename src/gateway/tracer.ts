/**
 * Per-request observation hooks that cost nothing when off: the data plane holds `undefined`
 * and skips them. Implemented in telemetry/ (OpenTelemetry tracing, pino access logs).
 */
export interface ClientSpan {
  /** adds `traceparent` (and `tracestate`) for this span to the flat upstream header list */
  inject(headers: string[]): void;
  end(status: number, error?: string): void;
}

export interface RequestSpan {
  /** a client span for the live call (kind 'live') or a shadow copy (kind 'shadow') */
  child(kind: 'live' | 'shadow', target: string, url: string): ClientSpan;
  setAttributes(attrs: Record<string, string | number | boolean>): void;
  end(status: number, error?: string): void;
}

export interface Tracer {
  /** the server span; `traceparent` is the client's header, when sent */
  startRequest(method: string, path: string, traceparent: string | undefined, tracestate: string | undefined): RequestSpan;
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
}

export interface AccessLog {
  /** decides sampling itself; never throws */
  log(r: AccessRecord): void;
}
