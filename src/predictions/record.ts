/**
 * What the data plane hands to the prediction log, once per request and role. Extraction of
 * features and predictions happens in the sink (off the response path), not here.
 */
import type { ErrorCode } from '../errors.ts';
import type { CompiledRoute } from '../routing/compile.ts';
import type { Assign } from '../routing/select.ts';

/** v1: KServe V1 JSON; v2: OIP REST JSON; grpc: OIP gRPC (logged from its REST JSON form); openai: OpenAI-compatible JSON or event streams */
export type Protocol = 'v1' | 'v2' | 'grpc' | 'openai';

export interface PredictionEvent {
  /** request start, ms since the epoch */
  ts: number;
  rid: string;
  route: CompiledRoute;
  variant: string;
  version: string;
  role: 'live' | 'shadow';
  assign: Assign;
  /** the unit as a binary string of its bytes, or null */
  unit: string | null;
  /** 0..9999 or -1 */
  bucket: number;
  status: number;
  /** backend round trip as the gateway saw it, ms with microsecond precision */
  latencyMs: number;
  protocol: Protocol;
  /** the request JSON (shared between the live and shadow events): a JsonText, parsed when the
   *  entry is built (json-text.ts), or the decoded value (gRPC) */
  request: unknown;
  /** the raw response body, parsed by the sink when it extracts predictions */
  response?: Buffer;
  error?: ErrorCode;
  /** a streamed answer: `response` is then its first log.max_entry_bytes */
  stream?: StreamStats;
  /** config version that routed it */
  cfg: number;
}

export interface StreamStats {
  /** ms from the request's start to the answer's headers (latencyMs is the whole stream) */
  ttfbMs: number;
  /** body bytes streamed to the client */
  bytes: number;
}

/** The prediction log as the data plane sees it: push never blocks, never throws. */
export interface LogSink {
  /** whether this route/request is logged at all is decided before (Decision.logged) */
  push(event: PredictionEvent): void;
  /** counts a request that log sampling left out */
  sampledOut(route: string): void;
  /** exports per-route counters at zero for routes added after start */
  bindRoutes?(names: Iterable<string>): void;
  /** healthy = entries reach Redis; degraded = buffering or dropping */
  status(): { state: 'ok' | 'degraded' | 'disabled'; buffered: number; detail?: string };
  close(): Promise<void>;
}

export const NOOP_SINK: LogSink = {
  push() {},
  sampledOut() {},
  status: () => ({ state: 'disabled', buffered: 0 }),
  close: async () => {},
};
