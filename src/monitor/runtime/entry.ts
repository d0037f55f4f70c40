/**
 * One prediction-log entry as the monitor sees it (DESIGN.md "Prediction log"), parsed from
 * the flat field list Redis returns. Pure: no I/O. Malformed JSON fields become empty lists,
 * so one bad entry never stops a route.
 */

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
  return {
    id,
    ts: Number(f.ts) || idMillis(id),
    rid: f.rid ?? id,
    variant: f.variant ?? '',
    version: f.version ?? '',
    role: f.role === 'shadow' ? 'shadow' : 'live',
    assign: f.assign ?? '',
    status: Number(f.status) || 0,
    error: f.error || undefined,
    latencyMs: Number(f.latency_ms) || 0,
    featuresJson: f.features ?? '',
    predictionJson: f.prediction ?? '',
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
