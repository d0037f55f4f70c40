/**
 * Shadow copies: sent after the live answer, detached from the client, each bounded by its
 * own pool, timeout and in-flight cap (a copy over the cap is dropped and counted, never
 * queued). Answers are compared with the live output and never served. A body nested deeper
 * than limits.max_json_depth is not parsed (its comparison is `incomparable`), and nothing a
 * backend answers can throw past the comparison: the shadow's log entry is pushed whatever.
 */
import type { GatewayEvents } from '../gateway/events.ts';
import type { LogSink, PredictionEvent, Protocol } from '../predictions/record.ts';
import type { CompiledRoute, CompiledShadow } from '../routing/compile.ts';
import type { Decision } from '../routing/select.ts';
import { compareOutputs, outputsOf, type Comparison } from './compare.ts';
import type { RouteRuntime } from './route-runtime.ts';
import { send } from './send.ts';
import { tooDeep } from '../http/json-depth.ts';
import type { RequestSpan } from '../gateway/tracer.ts';
import { upstreamPath, type RoutedPath } from '../http/paths.ts';
import { bodyForModel, withoutEncoding } from '../http/openai.ts';
import { compareOpenAI } from './compare-openai.ts';
import { jsonValue } from '../predictions/json-text.ts';
import { hasOutputList } from './answer-shape.ts';

export interface MirrorInput {
  route: CompiledRoute;
  runtime: RouteRuntime;
  decision: Decision;
  path: RoutedPath;
  protocol: Protocol;
  model: string;
  headers: string[];
  body: Buffer;
  rid: string;
  ts: number;
  unit: string | null;
  /** the request JSON: a JsonText (parsed when needed) or, from gRPC, the decoded message */
  request: unknown;
  /** the live answer, for comparison (2xx only) */
  liveBody?: Buffer;
  cfg: number;
  /** the request's server span, when tracing */
  span?: RequestSpan;
}

/** The JSON of `body`, or undefined when it is absent, too deep or not JSON. */
export function parseChecked(body: Buffer | undefined, maxDepth: number): unknown {
  if (!body || tooDeep(body, maxDepth)) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export class ShadowMirror {
  constructor(
    private readonly events: GatewayEvents,
    private readonly sink: LogSink,
    private readonly maxDepth = 64,
  ) {}

  fire(input: MirrorInput): void {
    let liveParsed: unknown;
    let parsedOnce = false;
    const live = () => {
      if (!parsedOnce) {
        parsedOnce = true;
        liveParsed = parseChecked(input.liveBody, this.maxDepth);
      }
      return liveParsed;
    };
    for (const shadow of input.decision.shadows) this.one(input, shadow, live);
  }

  private one(input: MirrorInput, shadow: CompiledShadow, live: () => unknown): void {
    const { route } = input;
    const index = route.shadows.indexOf(shadow);
    const backend = input.runtime.shadowBackends[index];
    if (shadow.backend.protocol === 'grpc:') {
      this.events.shadow(route, index, 'skipped'); // gRPC shadows get copies of gRPC calls only
      return;
    }
    if (backend.full) {
      this.events.shadow(route, index, 'dropped');
      return;
    }
    let headers = input.headers.slice();
    let body = input.body;
    if (input.protocol === 'openai') {
      const o = bodyForModel(input.body, jsonValue(input.request), input.model, shadow.config.model);
      body = o.body;
      if (o.reencoded) headers = withoutEncoding(headers);
    }
    headers.push('x-modelgate-shadow', shadow.name);
    const path = upstreamPath(input.path, shadow.config.model ?? input.model);
    const span = input.span?.child('shadow', shadow.name, `${backend.origin}${path}`);
    span?.inject(headers);
    send({ backend, path, headers, body, timeoutMs: shadow.config.timeout_ms, maxResponseBytes: input.runtime.maxResponseBytes })
      .then((r) => {
        span?.end(r.ok ? r.status : r.failure.code === 'UPSTREAM_TIMEOUT' ? 504 : 502, r.ok ? undefined : r.failure.code);
        const seconds = r.ms / 1000;
        if (!r.ok) {
          this.events.shadow(route, index, r.failure.reason === 'timeout' ? 'timeout' : r.failure.reason === 'over_capacity' ? 'dropped' : 'error', seconds);
        } else {
          this.events.shadow(route, index, r.status < 500 ? 'ok' : 'error', seconds);
          if (input.liveBody && r.status >= 200 && r.status < 300) this.compare(input, index, shadow, r.body, live);
        }
        if (input.decision.logged) {
          const event: PredictionEvent = {
            ts: input.ts,
            rid: input.rid,
            route,
            variant: shadow.name,
            version: shadow.config.version,
            role: 'shadow',
            assign: input.decision.assign,
            unit: input.unit,
            bucket: input.decision.bucket,
            status: r.ok ? r.status : r.failure.code === 'UPSTREAM_TIMEOUT' ? 504 : 502,
            latencyMs: r.ms,
            protocol: input.protocol,
            request: input.request,
            response: r.ok ? r.body : undefined,
            error: r.ok ? undefined : r.failure.code,
            cfg: input.cfg,
          };
          this.sink.push(event);
        }
      })
      .catch(() => {
        /* a shadow never hurts the live path; failures are counted above */
      });
  }

  private compare(input: MirrorInput, index: number, shadow: CompiledShadow, body: Buffer, live: () => unknown): void {
    const { route } = input;
    let c: Comparison;
    try {
      if (input.protocol === 'openai') c = input.liveBody ? compareOpenAI(input.liveBody, body, input.runtime.maxResponseBytes) : { result: 'incomparable' };
      // byte-identical answers agree when they have outputs at all, read from the bytes: nothing parsed
      else if (input.liveBody && body.equals(input.liveBody)) {
        const comparable = hasOutputList(input.liveBody, this.maxDepth) ?? outputsOf(live()) !== undefined;
        c = comparable ? { result: 'agree', absDiff: 0 } : { result: 'incomparable' };
      } else c = compareOutputs(live(), parseChecked(body, this.maxDepth), shadow.config.tolerance);
    } catch {
      c = { result: 'incomparable' };
    }
    this.events.comparison(route, index, c.result, c.absDiff);
  }
}
