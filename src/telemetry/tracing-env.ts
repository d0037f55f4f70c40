/**
 * The tracing settings: the file's `tracing` block with the standard OpenTelemetry environment
 * variables on top (pure; the environment wins, as REDIS_URL does over `redis.url`). Honoured:
 *   OTEL_SDK_DISABLED=true                       tracing off whatever the file says
 *   OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES  the resource (service.name: OTEL_SERVICE_NAME first)
 *   OTEL_TRACES_EXPORTER                         otlp (default), console, none
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT           used as is
 *   OTEL_EXPORTER_OTLP_ENDPOINT                  base URL: /v1/traces is appended
 *   OTEL_EXPORTER_OTLP_[TRACES_]HEADERS          k=v,k2=v2 (values percent-decoded)
 *   OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT          ms
 *   OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL         http/json only (others: a warning, JSON is sent)
 *   OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG always_on, always_off, traceidratio,
 *                                                parentbased_{always_on,always_off,traceidratio}
 *   OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_EXPORT_TIMEOUT, OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE
 *   OTEL_PROPAGATORS                             tracecontext only (others: a warning)
 * Tracing itself is switched on by `tracing.enabled` in the file.
 */
import type { FileConfig } from '../config/schema.ts';

export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';
const SAMPLERS: readonly SamplerName[] = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

export interface TracingSettings {
  enabled: boolean;
  resource: Record<string, string>;
  exporter: 'otlp' | 'console' | 'none';
  /** the full OTLP/HTTP traces URL; undefined: propagate context only, export nothing */
  endpoint?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  sampler: { name: SamplerName; ratio: number };
  batch: { scheduledDelayMillis: number; exportTimeoutMillis: number; maxQueueSize: number; maxExportBatchSize: number };
  /** one line per variable that was set but could not be used */
  warnings: string[];
}

/** `http://collector:4318` -> `http://collector:4318/v1/traces`; a URL with a path is kept. */
export function tracesUrl(endpoint: string): string {
  const u = new URL(endpoint);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces';
  return u.toString();
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is a base URL: the signal path is appended to whatever path it has. */
export function signalUrl(base: string): string {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/v1/traces`;
  return u.toString();
}

/** `k=v,k2=v2` (W3C baggage-like, as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS) */
export function parseKeyValues(text: string | undefined, what: string, warnings: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!key) {
      warnings.push(`${what}: "${part.trim()}" is not key=value (ignored)`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      warnings.push(`${what}: the value of ${key} is not valid percent-encoding (ignored)`);
    }
  }
  return out;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, warnings: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n > 0) return n;
  warnings.push(`${name}=${raw} is not a positive integer (using ${fallback})`);
  return fallback;
}

const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

export function tracingSettings(t: FileConfig['tracing'], env: NodeJS.ProcessEnv): TracingSettings {
  const warnings: string[] = [];
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';

  const resource = parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES', warnings);
  resource['service.name'] = set(env.OTEL_SERVICE_NAME) ? env.OTEL_SERVICE_NAME.trim() : (resource['service.name'] ?? t.service_name);

  let exporter: TracingSettings['exporter'] = 'otlp';
  const ex = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (set(ex)) {
    const first = ex.split(',')[0].trim();
    if (first === 'otlp' || first === 'console' || first === 'none') exporter = first;
    else warnings.push(`OTEL_TRACES_EXPORTER=${ex} is not supported (otlp, console, none): using otlp`);
  }

  let endpoint: string | undefined;
  const candidates: Array<[string, string | undefined, (u: string) => string]> = [
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, (u) => new URL(u).toString()],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT, signalUrl],
    ['tracing.otlp_endpoint', t.otlp_endpoint, tracesUrl],
  ];
  for (const [name, value, toUrl] of candidates) {
    if (!set(value) || endpoint) continue;
    try {
      endpoint = toUrl(value.trim());
    } catch {
      warnings.push(`${name}=${value} is not a URL (ignored)`);
    }
  }
  if (exporter !== 'otlp') endpoint = undefined;

  const headers = { ...parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS', warnings), ...parseKeyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', warnings) };
  const timeoutMs = positiveInt(env, set(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT) ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT' : 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000, warnings);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (set(protocol) && protocol.trim() !== 'http/json') warnings.push(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: spans are sent as http/json (every OTLP/HTTP receiver accepts it)`);
  const propagators = env.OTEL_PROPAGATORS;
  if (set(propagators) && propagators.split(',').some((p) => !['tracecontext', 'none'].includes(p.trim()))) warnings.push(`OTEL_PROPAGATORS=${propagators}: only tracecontext (W3C traceparent/tracestate) is supported`);

  let sampler: TracingSettings['sampler'] = { name: 'parentbased_traceidratio', ratio: t.sample_ratio };
  const sname = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (set(sname)) {
    if ((SAMPLERS as readonly string[]).includes(sname)) {
      let ratio = 1;
      const arg = env.OTEL_TRACES_SAMPLER_ARG;
      if (sname.endsWith('traceidratio') && set(arg)) {
        const r = Number(arg);
        if (Number.isFinite(r) && r >= 0 && r <= 1) ratio = r;
        else warnings.push(`OTEL_TRACES_SAMPLER_ARG=${arg} is not a ratio in [0, 1] (using 1)`);
      }
      sampler = { name: sname as SamplerName, ratio };
    } else warnings.push(`OTEL_TRACES_SAMPLER=${sname} is not supported (${SAMPLERS.join(', ')}): using the file's sample_ratio`);
  }

  const batch = {
    scheduledDelayMillis: positiveInt(env, 'OTEL_BSP_SCHEDULE_DELAY', 1000, warnings),
    exportTimeoutMillis: positiveInt(env, 'OTEL_BSP_EXPORT_TIMEOUT', 10_000, warnings),
    maxQueueSize: positiveInt(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 4096, warnings),
    maxExportBatchSize: positiveInt(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, warnings),
  };
  if (batch.maxExportBatchSize > batch.maxQueueSize) batch.maxExportBatchSize = batch.maxQueueSize;

  return { enabled: t.enabled && !disabled, resource, exporter, endpoint, headers, timeoutMs, sampler, batch, warnings };
}
