/**
 * Per-request observation hooks that cost nothing when off: the data plane holds `undefined`
 * and skips them. Implemented in telemetry/ (OpenTelemetry tracing, pino access logs).
 */
import type { IncomingMessage } from 'node:http';

/** the parts of a parsed data-plane path that decide its route template */
export interface RoutablePath {
  protocol: string;
  /** what the path asks for (predict, explain, infer, metadata, ready, v1-ready, openai); absent: by protocol */
  op?: string;
  version?: string;
  /** an OpenAI-compatible path as received */
  openai?: string;
}

/** `http.route` of a parsed data-plane path (the server span's name and attribute): a template, never a model name */
export function httpRouteOf(p: RoutablePath): string | undefined {
  const v2 = p.version !== undefined ? '/v2/models/{model}/versions/{version}' : '/v2/models/{model}';
  switch (p.op ?? (p.protocol === 'v2' ? 'infer' : p.protocol === 'v1' ? 'predict' : undefined)) {
    case 'predict':
      return '/v1/models/{model}:predict';
    case 'explain':
      return '/v1/models/{model}:explain';
    case 'v1-ready':
      return '/v1/models/{model}';
    case 'infer':
      return `${v2}/infer`;
    case 'metadata':
      return v2;
    case 'ready':
      return `${v2}/ready`;
    case 'openai':
      return p.openai;
    default:
      return undefined;
  }
}

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
