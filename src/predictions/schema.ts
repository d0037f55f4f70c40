/**
 * THE prediction-log stream entry (DESIGN.md "Prediction log"): its schema version, its field
 * names, and the entry as every reader sees it, parsed from the flat field list Redis returns.
 * The writer (entry.ts) builds entries from FIELDS and SCHEMA_VERSION; every reader (the
 * monitor's stream I/O and its analyses) parses them with parseEntry. Pure: no I/O. Malformed
 * JSON fields become empty lists, so one bad entry never stops a route.
 */

/** The entry schema version, field `v`. */
export const SCHEMA_VERSION = '1';

/** Every field an entry can carry (all strings, as Redis stores them). */
export const FIELDS = {
  /** schema version */
  v: 'v',
  /** request start, ms since the epoch */
  ts: 'ts',
  /** request id (the x-request-id the gateway returned) */
  rid: 'rid',
  route: 'route',
  variant: 'variant',
  /** the variant's model version label */
  version: 'version',
  /** live | shadow */
  role: 'role',
  /** hash | forced | random */
  assign: 'assign',
  /** keyed hash of the unit id (log.unit) */
  unit: 'unit',
  /** the unit's bucket 0..9999, empty without a unit */
  bucket: 'bucket',
  /** HTTP status returned (for shadows: the shadow's) */
  status: 'status',
  /** backend round trip as the gateway saw it, decimal ms */
  latencyMs: 'latency_ms',
  /** JSON: array of instances */
  features: 'features',
  /** JSON: array of outputs, one per instance */
  prediction: 'prediction',
  /** config version that routed it */
  cfg: 'cfg',
  /** error code when the gateway failed the request, else absent */
  error: 'error',
  /** what was cut to fit log.max_entry_bytes, when anything was */
  truncated: 'truncated',
  /** `grpc` for gRPC calls, else absent */
  protocol: 'protocol',
  /** streamed answers: `1`, time to first byte, bytes and the answer's first bytes */
  streamed: 'streamed',
  ttfbMs: 'ttfb_ms',
  bytes: 'bytes',
  body: 'body',
} as const;

export type FeatureValue = number | string;
export type Instance = Record<string, FeatureValue>;

export interface LogEntry {
  /** the stream entry id, e.g. "1700000000000-0" */
  readonly id: string;
  readonly ts: number;
  readonly rid: string;
  readonly variant: string;
  readonly version: string;
  readonly role: 'live' | 'shadow';
  readonly assign: string;
  readonly status: number;
  readonly error: string | undefined;
  readonly latencyMs: number;
  /** the `features` JSON field, kept raw until a consumer asks for it */
  readonly featuresJson: string;
  readonly predictionJson: string;
  /** every field as Redis stores it, for consumers that need more */
  readonly fields: Readonly<Record<string, string>>;
}

export function parseEntry(id: string, flat: readonly string[]): LogEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]] = flat[i + 1];
  const F = FIELDS;
  return {
    id,
    ts: Number(f[F.ts]) || idMillis(id),
    rid: f[F.rid] ?? id,
    variant: f[F.variant] ?? '',
    version: f[F.version] ?? '',
    role: f[F.role] === 'shadow' ? 'shadow' : 'live',
    assign: f[F.assign] ?? '',
    status: Number(f[F.status]) || 0,
    error: f[F.error] || undefined,
    latencyMs: Number(f[F.latencyMs]) || 0,
    featuresJson: f[F.features] ?? '',
    predictionJson: f[F.prediction] ?? '',
    fields: f,
  };
}

/** Whether the entry carries a served prediction worth judging (no gateway error, 2xx). */
export function isJudgeable(e: LogEntry): boolean {
  return e.error === undefined && e.status >= 200 && e.status < 300;
}

function parseArray(json: string): unknown[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v : [v];
  } catch {
    return [];
  }
}

/** The entry's instances: objects of feature name to number or string. */
export function entryInstances(e: LogEntry): Instance[] {
  return parseArray(e.featuresJson).filter((x): x is Instance => typeof x === 'object' && x !== null && !Array.isArray(x));
}

/** The entry's outputs, one per instance. */
export function entryOutputs(e: LogEntry): unknown[] {
  return parseArray(e.predictionJson);
}

/** Milliseconds part of a stream id. */
export function idMillis(id: string): number {
  const dash = id.indexOf('-');
  return Number(dash < 0 ? id : id.slice(0, dash));
}

/** Compares two stream ids numerically: negative when a < b. */
export function compareIds(a: string, b: string): number {
  const [am, as] = splitId(a);
  const [bm, bs] = splitId(b);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/** Both parts as numbers: ms timestamps and sequence numbers stay far below 2^53. */
function splitId(id: string): [number, number] {
  const dash = id.indexOf('-');
  if (dash < 0) return [Number(id), 0];
  return [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}
