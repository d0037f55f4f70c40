/**
 * OpenTelemetry tracing for the data plane. Off (the default): createTracer returns undefined,
 * the SDK is never even imported, and the data plane skips every hook. On: a SERVER span per
 * request that reaches a prediction path, refused ones included (continuing the client's W3C
 * `traceparent` when sent), a CLIENT span named `POST` for the live call and one per shadow
 * copy, `traceparent` injected into each upstream request, with the HTTP semantic conventions
 * of http-attributes.ts. Settings come from the file's `tracing` block and the standard OTEL_*
 * variables (tracing-env.ts); spans are exported over OTLP/HTTP (JSON) with a bounded batch
 * processor. No global context manager or provider is registered: contexts are passed
 * explicitly, so nothing else in the process changes.
 */
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import type { Context, Span as OtelSpan, TextMapGetter, TextMapSetter, Tracer as OtelTracer } from '@opentelemetry/api';
import type { FileConfig } from '../config/schema.ts';
import type { ClientSpan, RequestSpan, Tracer } from '../gateway/tracer.ts';
import { isTrustedHop } from '../http/trusted-proxies.ts';
import { clientAttributes, errorType, serverAttributes, serverSpanName, type ServerRequestFacts } from './http-attributes.ts';
import type { Logger } from './logger.ts';
import { tracingSettings, type TracingSettings } from './tracing-env.ts';

type Api = typeof import('@opentelemetry/api');
type Propagator = import('@opentelemetry/core').W3CTraceContextPropagator;

export { tracesUrl } from './tracing-env.ts';
export { serverSpanName } from './http-attributes.ts';


interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/** the few headers a server span reads, in one pass over rawHeaders (first value wins) */
export function requestFacts(req: IncomingMessage): { facts: ServerRequestFacts; trace: TraceHeaders } {
  const raw = req.rawHeaders;
  const headers: ServerRequestFacts['headers'] = {};
  const trace: TraceHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const n = raw[i].toLowerCase();
    if (n === 'traceparent') trace.traceparent ??= raw[i + 1];
    else if (n === 'tracestate') trace.tracestate ??= raw[i + 1];
    else if (n === 'host') headers.host ??= raw[i + 1];
    else if (n === 'user-agent') headers.userAgent ??= raw[i + 1];
    else if (n === 'x-forwarded-for') headers.forwardedFor ??= raw[i + 1];
  }
  const s = req.socket;
  return { facts: { method: req.method ?? 'GET', target: req.url ?? '/', httpVersion: req.httpVersion, headers, remoteAddress: s.remoteAddress, remotePort: s.remotePort, localPort: s.localPort }, trace };
}

const getter: TextMapGetter<Record<string, string>> = {
  keys: (c) => Object.keys(c),
  get: (c, k) => c[k],
};
const flatSetter: TextMapSetter<string[]> = {
  set: (headers, k, v) => {
    headers.push(k, v);
  },
};

class OtelClientSpan implements ClientSpan {
  constructor(
    private readonly api: Api,
    private readonly propagator: Propagator,
    private readonly span: OtelSpan,
  ) {}

  inject(headers: string[]): void {
    this.propagator.inject(this.api.trace.setSpan(this.api.ROOT_CONTEXT, this.span), headers, flatSetter);
  }

  end(status: number, error?: string): void {
    if (this.span.isRecording()) {
      if (status > 0) this.span.setAttribute('http.response.status_code', status);
      const type = errorType('client', status, error);
      if (type) {
        this.span.setAttribute('error.type', type);
        this.span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error });
      }
    }
    this.span.end();
  }
}

class OtelRequestSpan implements RequestSpan {
  private readonly ctx: Context;
  readonly traceId: string;
  readonly spanId: string;
  private ended = false;

  constructor(
    private readonly api: Api,
    private readonly propagator: Propagator,
    private readonly tracer: OtelTracer,
    private readonly span: OtelSpan,
  ) {
    this.ctx = api.trace.setSpan(api.ROOT_CONTEXT, span);
    const sc = span.spanContext();
    this.traceId = sc.traceId;
    this.spanId = sc.spanId;
  }

  child(kind: 'live' | 'shadow', target: string, url: string): ClientSpan {
    const span = this.tracer.startSpan('POST', { kind: this.api.SpanKind.CLIENT }, this.ctx);
    if (span.isRecording()) span.setAttributes({ ...clientAttributes('POST', url), 'modelgate.role': kind, 'modelgate.target': target });
    return new OtelClientSpan(this.api, this.propagator, span);
  }

  setAttributes(attrs: Record<string, string | number | boolean>): void {
    if (this.span.isRecording()) this.span.setAttributes(attrs);
  }

  end(status: number, error?: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.span.isRecording()) {
      this.span.setAttribute('http.response.status_code', status);
      const type = errorType('server', status, error);
      if (type) this.span.setAttribute('error.type', type);
      // a server span is an error only for 5xx; a 4xx is the client's
      if (status >= 500) this.span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error });
    }
    this.span.end();
  }
}

function samplerFor(sdk: typeof import('@opentelemetry/sdk-trace-base'), s: TracingSettings['sampler']) {
  switch (s.name) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return new sdk.TraceIdRatioBasedSampler(s.ratio);
    case 'parentbased_always_on':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(s.ratio) });
  }
}

/**
 * @param env the OTEL_* variables (default: the process's)
 * @param logger told about variables that could not be used, and what tracing does
 */
export async function createTracer(cfg: FileConfig, env: NodeJS.ProcessEnv = process.env, logger?: Logger): Promise<Tracer | undefined> {
  const t = tracingSettings(cfg.tracing, env);
  for (const w of t.warnings) logger?.warn(`tracing: ${w}`);
  if (!t.enabled) return undefined;
  const [api, core, sdk, resources] = await Promise.all([import('@opentelemetry/api'), import('@opentelemetry/core'), import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/resources')]);
  const spanProcessors = [];
  if (t.exporter === 'otlp' && t.endpoint) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const exporter = new OTLPTraceExporter({ url: t.endpoint, headers: t.headers, timeoutMillis: t.timeoutMs });
    // bounded: a slow or absent collector drops spans, never grows memory or slows requests
    spanProcessors.push(new sdk.BatchSpanProcessor(exporter, t.batch));
  } else if (t.exporter === 'console') spanProcessors.push(new sdk.BatchSpanProcessor(new sdk.ConsoleSpanExporter(), t.batch));
  const provider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.instance.id': `${hostname()}-${process.pid}`, ...t.resource }),
    sampler: samplerFor(sdk, t.sampler),
    spanProcessors,
  });
  const tracer = provider.getTracer('modelgate');
  const propagator = new core.W3CTraceContextPropagator();
  const trusted = isTrustedHop(cfg.trusted_proxies);
  logger?.info({ service: t.resource['service.name'], exporter: t.exporter, endpoint: t.endpoint, sampler: t.sampler }, 'tracing on');

  return {
    startRequest(req, route, startTime) {
      const { facts, trace } = requestFacts(req);
      let parent = api.ROOT_CONTEXT;
      if (trace.traceparent) {
        const carrier: Record<string, string> = { traceparent: trace.traceparent };
        if (trace.tracestate) carrier.tracestate = trace.tracestate;
        parent = propagator.extract(api.ROOT_CONTEXT, carrier, getter);
      }
      const span = tracer.startSpan(serverSpanName(facts.method, route), { kind: api.SpanKind.SERVER, startTime }, parent);
      // the samplers used here decide without attributes: an unrecorded span skips building them
      if (span.isRecording()) span.setAttributes(serverAttributes(facts, route, trusted(facts.remoteAddress)));
      return new OtelRequestSpan(api, propagator, tracer, span);
    },
    shutdown: () => provider.shutdown(),
  };
}
