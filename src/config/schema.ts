/**
 * The configuration file's schema (DESIGN.md "Configuration file"): YAML, snake_case keys,
 * durations in ms, sizes in bytes. Validated once; every problem reported with its path.
 * The zod schema stays inside config/: the rest of the code sees plain frozen types.
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const ms = z.number().int().min(1);
const percent = z.number().min(0).max(100);
const twoDecimals = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-7;

export const backendUrl = z
  .string()
  .refine((s) => {
    try {
      const u = new URL(s);
      if (u.protocol === 'grpc:') return !!u.hostname && !!u.port && (u.pathname === '' || u.pathname === '/') && !u.username && !u.password;
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'expected an http(s) URL without credentials, e.g. http://127.0.0.1:9001, or grpc://host:port');

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected 1-64 of A-Z a-z 0-9 . _ - (starting alphanumeric)');
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name').transform((s) => s.toLowerCase());

export const unitSchema = z.union([
  z.strictObject({ header: headerName }),
  z.strictObject({ cookie: z.string().min(1) }),
  z.strictObject({ query: z.string().min(1) }),
  z.strictObject({ body: z.string().regex(/^(\/([^~/]|~[01])*)+$/, 'expected a JSON pointer like /user_id') }),
]);

export const variantSchema = z.strictObject({
  name,
  backend: backendUrl,
  version: z.string().max(128).default(''),
  weight: percent.refine(twoDecimals, 'weights have at most two decimals'),
  model: z.string().min(1).optional(),
});

export const shadowSchema = z.strictObject({
  name,
  backend: backendUrl,
  version: z.string().max(128).default(''),
  percent: percent.refine(twoDecimals, 'percent has at most two decimals').default(100),
  timeout_ms: ms.default(2000),
  max_inflight: z.number().int().min(1).default(256),
  model: z.string().min(1).optional(),
  /** numeric outputs within this absolute difference count as agreeing */
  tolerance: z.number().min(0).default(1e-6),
});

export const upstreamSchema = z.strictObject({
  timeout_ms: ms.default(10_000),
  connect_timeout_ms: ms.default(2000),
  connections: z.number().int().min(1).default(64),
  retries: z.number().int().min(0).max(5).default(1),
  max_inflight: z.number().int().min(1).default(1024),
  max_response_bytes: z.number().int().min(1).default(8 * 1024 * 1024),
  /** idle time of a pooled backend connection; keep it below the backend's own idle timeout */
  keep_alive_timeout_ms: ms.default(1000),
  /** a streamed answer fails when the backend sends nothing for this long (the deadline covers only its first byte) */
  stream_idle_timeout_ms: ms.default(30_000),
});

export const extractSchema = z.strictObject({
  features: z.string().optional(),
  predictions: z.string().optional(),
});

/** how the monitor scores labelled predictions (docs/model-quality.md); absent: binary at 0.5 */
export const performanceSchema = z.strictObject({
  /** binary: a 0/1 label against a score in [0, 1]; regression: a number; classes: a class number */
  task: z.enum(['binary', 'regression', 'classes']).default('binary'),
  /** binary: a score at or above it counts as a positive prediction (precision, recall) */
  threshold: z.number().min(0).max(1).default(0.5),
  /** which part of an output is the prediction: a key of an object output or an index of an array output */
  output: z.union([z.string().min(1).max(128), z.number().int().min(0).max(1023)]).optional(),
  /** alert (log line and monitor.webhook_url) when a variant's or shadow's figures cross these */
  alerts: z
    .strictObject({
      auc_below: z.number().min(0).max(1).optional(),
      log_loss_above: z.number().min(0).optional(),
      brier_above: z.number().min(0).optional(),
      ece_above: z.number().min(0).max(1).optional(),
      precision_below: z.number().min(0).max(1).optional(),
      recall_below: z.number().min(0).max(1).optional(),
      mae_above: z.number().min(0).optional(),
      rmse_above: z.number().min(0).optional(),
      accuracy_below: z.number().min(0).max(1).optional(),
      /** labelled predictions a variant needs (over the kept windows) before it is judged */
      min_labels: z.number().int().min(1).default(100),
    })
    .optional(),
});

/**
 * What a route's drift windows are compared against (docs/monitor.md "Baseline modes"):
 * `fixed` the stored baseline (uploaded or captured), `rolling` the last `days` days of the
 * route's own traffic, `seasonal` the same UTC weekday and hour in each of the last `weeks` weeks.
 */
const baselineModeFields = {
  mode: z.enum(['fixed', 'rolling', 'seasonal']),
  /** rolling: days of traffic before the window */
  days: z.number().int().min(1).max(90),
  /** seasonal: weeks back */
  weeks: z.number().int().min(1).max(52),
  /** rolling: rebuilt once the windows have moved this far past the last build */
  refresh_ms: z.number().int().min(60_000),
  /** entries read from the stream to build one rolling or seasonal reference (a bound on each build) */
  max_entries: z.number().int().min(100).max(1_000_000),
};
export const BASELINE_DEFAULTS = { mode: 'fixed' as const, days: 7, weeks: 4, refresh_ms: 3_600_000, max_entries: 20_000 };
export const baselineSchema = z.strictObject({
  mode: baselineModeFields.mode.default(BASELINE_DEFAULTS.mode),
  days: baselineModeFields.days.default(BASELINE_DEFAULTS.days),
  weeks: baselineModeFields.weeks.default(BASELINE_DEFAULTS.weeks),
  refresh_ms: baselineModeFields.refresh_ms.default(BASELINE_DEFAULTS.refresh_ms),
  max_entries: baselineModeFields.max_entries.default(BASELINE_DEFAULTS.max_entries),
});
/** a route's override: only the keys it sets replace `monitor.baseline`'s */
export const routeBaselineSchema = z.strictObject({
  mode: baselineModeFields.mode.optional(),
  days: baselineModeFields.days.optional(),
  weeks: baselineModeFields.weeks.optional(),
  refresh_ms: baselineModeFields.refresh_ms.optional(),
  max_entries: baselineModeFields.max_entries.optional(),
});

export const routeSchema = z
  .strictObject({
    models: z.array(z.string().min(1).regex(/^[^/?#\s]+$/, 'model names have no / ? # or spaces')).min(1),
    unit: unitSchema.optional(),
    on_missing_unit: z.enum(['random', 'reject']).default('random'),
    salt: z.string().min(1).max(256).optional(),
    override_header: headerName.optional(),
    features: z.array(z.string().min(1)).optional(),
    extract: extractSchema.optional(),
    variants: z.array(variantSchema).min(1),
    shadows: z.array(shadowSchema).default([]),
    upstream: upstreamSchema.default(() => upstreamSchema.parse({})),
    performance: performanceSchema.optional(),
    /** the drift baseline mode of this route (overrides monitor.baseline key by key) */
    baseline: routeBaselineSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const names = new Set<string>();
    r.variants.forEach((v, i) => {
      if (names.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'name'], message: `duplicate variant name "${v.name}"` });
      names.add(v.name);
    });
    const total = r.variants.reduce((s, v) => s + Math.round(v.weight * 100), 0);
    if (total !== 10_000) ctx.addIssue({ code: 'custom', path: ['variants'], message: `variant weights must sum to 100 (got ${total / 100})` });
    const shadowNames = new Set<string>();
    r.shadows.forEach((s, i) => {
      if (shadowNames.has(s.name)) ctx.addIssue({ code: 'custom', path: ['shadows', i, 'name'], message: `duplicate shadow name "${s.name}"` });
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['shadows', i, 'name'], message: `shadow "${s.name}" has the name of a variant` });
      shadowNames.add(s.name);
    });
  });

export const routesSchema = z.record(name, routeSchema).superRefine((routes, ctx) => {
  const owner = new Map<string, string>();
  for (const [routeName, r] of Object.entries(routes)) {
    r.models.forEach((m, i) => {
      const prev = owner.get(m);
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: [routeName, 'models', i], message: `model "${m}" is already served by route "${prev}"` });
      owner.set(m, routeName);
    });
  }
});

const listenSchema = z.strictObject({ host: z.string().default('0.0.0.0'), port: port.default(8080) });

export const staticSchema = z.strictObject({
  listen: listenSchema.default(() => listenSchema.parse({})),
  admin: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: port.default(8081),
      enabled: z.boolean().default(true),
      allow_backends: z.array(z.string().min(1)).default(['127.0.0.0/8', '::1/128', 'localhost']),
      tokens_file: z.string().optional(),
    })
    .default(() => ({ host: '127.0.0.1', port: 8081, enabled: true, allow_backends: ['127.0.0.0/8', '::1/128', 'localhost'] })),
  limits: z
    .strictObject({
      max_body_bytes: z.number().int().min(1).default(1_048_576),
      max_header_bytes: z.number().int().min(1024).default(16_384),
      request_timeout_ms: ms.default(30_000),
      headers_timeout_ms: ms.default(10_000),
      body_timeout_ms: ms.default(10_000),
      keep_alive_timeout_ms: ms.default(5_000),
      max_inflight: z.number().int().min(1).default(10_000),
      shutdown_timeout_ms: ms.default(10_000),
      max_headers: z.number().int().min(1).default(100),
      response_timeout_ms: ms.default(30_000),
      drain_delay_ms: z.number().int().min(0).default(5000),
      /** JSON nesting allowed in a prediction body, checked on the bytes before parsing */
      max_json_depth: z.number().int().min(1).max(10_000).default(64),
    })
    .default(() => ({ max_body_bytes: 1_048_576, max_header_bytes: 16_384, request_timeout_ms: 30_000, headers_timeout_ms: 10_000, body_timeout_ms: 10_000, keep_alive_timeout_ms: 5_000, max_inflight: 10_000, shutdown_timeout_ms: 10_000, max_headers: 100, response_timeout_ms: 30_000, drain_delay_ms: 5000, max_json_depth: 64 })),
  redis: z
    .strictObject({
      url: z.string().min(1).optional(),
      prefix: z.string().regex(/^[A-Za-z0-9._-]+$/).default('modelgate'),
      connect_timeout_ms: ms.default(2000),
      poll_ms: ms.default(500),
      /** url is a comma-separated list of seed node URLs, connected with ioredis Cluster */
      cluster: z.boolean().default(false),
    })
    .optional(),
  log: z
    .strictObject({
      enabled: z.boolean().default(true),
      sample_percent: percent.default(100),
      unit: z.enum(['hmac', 'raw', 'omit']).default('hmac'),
      hmac_key: z.string().min(1).optional(),
      maxlen: z.number().int().min(1).default(1_000_000),
      buffer_entries: z.number().int().min(1).default(100_000),
      buffer_bytes: z.number().int().min(1024).default(64 * 1024 * 1024),
      batch_entries: z.number().int().min(1).default(512),
      flush_ms: z.number().int().min(1).default(20),
      max_entry_bytes: z.number().int().min(256).default(65_536),
      /** features read per logged instance; the rest are left out and the entry marked truncated */
      max_features: z.number().int().min(1).default(256),
      /** script: one Lua call per stream per batch (least gateway CPU); xadd: pipelined XADDs (least Redis CPU) */
      redis_write: z.enum(['script', 'xadd']).default('script'),
    })
    .default(() => ({ enabled: true, sample_percent: 100, unit: 'hmac' as const, maxlen: 1_000_000, buffer_entries: 100_000, buffer_bytes: 64 * 1024 * 1024, batch_entries: 512, flush_ms: 20, max_entry_bytes: 65_536, max_features: 256, redis_write: 'script' as const })),
  access_log: z
    .strictObject({ enabled: z.boolean().default(false), sample_percent: percent.default(100), level: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info') })
    .default(() => ({ enabled: false, sample_percent: 100, level: 'info' as const })),
  tracing: z
    .strictObject({ enabled: z.boolean().default(false), otlp_endpoint: z.string().optional(), service_name: z.string().default('modelgate'), sample_ratio: z.number().min(0).max(1).default(1) })
    .default(() => ({ enabled: false, service_name: 'modelgate', sample_ratio: 1 })),
  /** the Open Inference Protocol's gRPC service on its own port (off unless enabled) */
  grpc: z
    .strictObject({
      enabled: z.boolean().default(false),
      host: z.string().default('0.0.0.0'),
      port: port.default(8082),
      max_message_bytes: z.number().int().min(1024).default(4 * 1024 * 1024),
      max_inflight: z.number().int().min(1).default(10_000),
      max_concurrent_streams: z.number().int().min(1).default(1000),
      keepalive_time_ms: ms.default(30_000),
      keepalive_timeout_ms: ms.default(10_000),
      max_stream_ms: ms.default(3_600_000),
    })
    .default(() => ({ enabled: false, host: '0.0.0.0', port: 8082, max_message_bytes: 4 * 1024 * 1024, max_inflight: 10_000, max_concurrent_streams: 1000, keepalive_time_ms: 30_000, keepalive_timeout_ms: 10_000, max_stream_ms: 3_600_000 })),
  /** peers whose X-Forwarded-For is extended (a local load balancer); from anyone else it is replaced */
  trusted_proxies: z.array(z.string()).default(['127.0.0.0/8', '::1']),
  monitor: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: port.default(9100),
      window_entries: z.number().int().min(1).default(1000),
      window_ms: ms.default(60_000),
      min_entries: z.number().int().min(1).default(100),
      lease_ms: ms.default(10_000),
      psi_moderate: z.number().positive().default(0.1),
      psi_significant: z.number().positive().default(0.2),
      alpha: z.number().positive().max(1).default(0.01),
      webhook_url: z.string().optional(),
      srm_alpha: z.number().positive().max(1).default(0.001),
      /** an outcome whose request id or unit is not (yet) known is kept this long, then counted unmatched */
      outcome_join_ms: ms.default(600_000),
      /** units an experiment tracks per route (memory bound); later units are counted, not analysed */
      experiment_max_units: z.number().int().min(100).default(200_000),
      /** drift results kept per route for GET …/drift/history: the last N windows of all its variants and shadows */
      drift_history_windows: z.number().int().min(10).max(100_000).default(1000),
      /** experiment looks kept for GET …/experiment/history; past N, every other one is dropped (the span stays whole) */
      experiment_history_looks: z.number().int().min(10).max(10_000).default(500),
      /** the drift baseline mode of every route (a route's own `baseline` overrides it) */
      baseline: baselineSchema.default(() => ({ ...BASELINE_DEFAULTS })),
      /** model quality is reported per window of prediction time this long */
      performance_window_ms: ms.default(3_600_000),
      /** and the last this many windows are kept (labels for older predictions count as expired) */
      performance_windows: z.number().int().min(1).max(1000).default(24),
      /** labelled pairs kept per window, variant and role (memory bound); later ones are counted, not scored */
      performance_max_pairs: z.number().int().min(100).default(20_000),
      /** recent predictions remembered for the label join, per route (memory bound) */
      label_index_entries: z.number().int().min(100).default(200_000),
      /** a label keyed by unit + ts joins that unit's live prediction closest to ts within this distance */
      label_time_tolerance_ms: ms.default(60_000),
    })
    .default(() => ({ host: '127.0.0.1', port: 9100, window_entries: 1000, window_ms: 60_000, min_entries: 100, lease_ms: 10_000, psi_moderate: 0.1, psi_significant: 0.2, alpha: 0.01, srm_alpha: 0.001, outcome_join_ms: 600_000, experiment_max_units: 200_000, drift_history_windows: 1000, experiment_history_looks: 500, baseline: { ...BASELINE_DEFAULTS }, performance_window_ms: 3_600_000, performance_windows: 24, performance_max_pairs: 20_000, label_index_entries: 200_000, label_time_tolerance_ms: 60_000 })),
});

export const fileSchema = staticSchema.extend({ routes: routesSchema.default({}) });

export type RouteConfig = z.infer<typeof routeSchema>;
export type BaselinePolicy = z.infer<typeof baselineSchema>;
export type RouteInput = z.input<typeof routeSchema>;
export type VariantConfig = z.infer<typeof variantSchema>;
export type ShadowConfig = z.infer<typeof shadowSchema>;
export type PerformanceConfig = z.infer<typeof performanceSchema>;
export type UnitSource = z.infer<typeof unitSchema>;
export type StaticConfig = z.infer<typeof staticSchema>;
export type FileConfig = z.infer<typeof fileSchema>;
