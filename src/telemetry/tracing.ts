/**
 * OpenTelemetry tracing for the data plane. Off (the default): createTracer returns undefined,
 * the SDK is never even imported, and the data plane skips every hook. On: a SERVER span per
 * prediction (continuing the client's W3C `traceparent` when sent), a CLIENT span for the live
 * call and one per shadow copy, `traceparent` injected into each upstream request, spans
 * sampled parent-based with `sample_ratio` for new traces, and exported over OTLP/HTTP (JSON)
 * with a batch processor when `otlp_endpoint` is set. No global context manager or provider
 * is registered: contexts are passed explicitly, so nothing else in the process changes.
 */
import { hostname } from 'node:os';
import type { Context, Span as OtelSpan, TextMapGetter, TextMapSetter, Tracer as OtelTracer } from '@opentelemetry/api';
import type { FileConfig } from '../config/schema.ts';
import type { ClientSpan, RequestSpan, Tracer } from '../gateway/tracer.ts';

type Api = typeof import('@opentelemetry/api');
type Propagator = import('@opentelemetry/core').W3CTraceContextPropagator;

/** `http://collector:4318` -> `http://collector:4318/v1/traces`; a URL with a path is kept. */
export function tracesUrl(endpoint: string): string {
  const u = new URL(endpoint);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces';
  return u.toString();
}

/** Low-cardinality server span name: the model name is an attribute, not part of the name. */
export function serverSpanName(method: string, path: string): string {
  const p = path.split('?')[0];
  if (p.startsWith('/v2/')) return `${method} /v2/models/{model}/infer`;
  if (p.startsWith('/v1/')) return `${method} /v1/models/{model}:predict`;
  return method;
}

/** host and port of an upstream URL, without its query (which may carry a unit id) */
function splitUrl(url: string): { full: string; host: string; port: number } {
  const q = url.indexOf('?');
  const full = q < 0 ? url : url.slice(0, q);
  try {
    const u = new URL(full);
    return { full, host: u.hostname, port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
  } catch {
    return { full, host: '', port: 0 };
  }
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
      if (error || status >= 400) {
        this.span.setAttribute('error.type', error ?? String(status));
        this.span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error });
      }
    }
    this.span.end();
  }
}

class OtelRequestSpan implements RequestSpan {
  private readonly ctx: Context;

  constructor(
    private readonly api: Api,
    private readonly propagator: Propagator,
    private readonly tracer: OtelTracer,
    private readonly span: OtelSpan,
  ) {
    this.ctx = api.trace.setSpan(api.ROOT_CONTEXT, span);
  }

  child(kind: 'live' | 'shadow', target: string, url: string): ClientSpan {
    const u = splitUrl(url);
    const span = this.tracer.startSpan(
      `POST ${kind} ${target}`,
      {
        kind: this.api.SpanKind.CLIENT,
        attributes: { 'http.request.method': 'POST', 'url.full': u.full, 'server.address': u.host, 'server.port': u.port, 'modelgate.role': kind, 'modelgate.target': target },
      },
      this.ctx,
    );
    return new OtelClientSpan(this.api, this.propagator, span);
  }

  setAttributes(attrs: Record<string, string | number | boolean>): void {
    if (this.span.isRecording()) this.span.setAttributes(attrs);
  }

  end(status: number, error?: string): void {
    if (this.span.isRecording()) {
      this.span.setAttribute('http.response.status_code', status);
      if (error) this.span.setAttribute('error.type', error);
      // a server span is an error only for 5xx; a 4xx is the client's
      if (status >= 500) this.span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: error });
    }
    this.span.end();
  }
}

export async function createTracer(cfg: FileConfig): Promise<Tracer | undefined> {
  const t = cfg.tracing;
  if (!t?.enabled) return undefined;
  const [api, core, sdk, resources] = await Promise.all([import('@opentelemetry/api'), import('@opentelemetry/core'), import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/resources')]);
  const spanProcessors = [];
  if (t.otlp_endpoint) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const exporter = new OTLPTraceExporter({ url: tracesUrl(t.otlp_endpoint), timeoutMillis: 10_000 });
    // bounded: a slow or absent collector drops spans, never grows memory or slows requests
    spanProcessors.push(new sdk.BatchSpanProcessor(exporter, { maxQueueSize: 4096, maxExportBatchSize: 512, scheduledDelayMillis: 1000, exportTimeoutMillis: 10_000 }));
  }
  const provider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': t.service_name, 'service.instance.id': `${hostname()}-${process.pid}` }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(t.sample_ratio) }),
    spanProcessors,
  });
  const tracer = provider.getTracer('modelgate');
  const propagator = new core.W3CTraceContextPropagator();

  return {
    startRequest(method, path, traceparent, tracestate) {
      let parent = api.ROOT_CONTEXT;
      if (traceparent) {
        const carrier: Record<string, string> = { traceparent };
        if (tracestate) carrier.tracestate = tracestate;
        parent = propagator.extract(api.ROOT_CONTEXT, carrier, getter);
      }
      const span = tracer.startSpan(
        serverSpanName(method, path),
        { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path.split('?')[0] } },
        parent,
      );
      return new OtelRequestSpan(api, propagator, tracer, span);
    },
    shutdown: () => provider.shutdown(),
  };
}
