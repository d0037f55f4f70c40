/**
 * A PredictionEvent as one stream entry (DESIGN.md "Prediction log"), pure: the XADD arguments,
 * all strings, and the entry's size in bytes. An entry over `maxEntryBytes` keeps the first
 * instances of `features` and `prediction` that fit (both cut to the same count, so they stay
 * aligned and valid JSON) and gains `truncated: "instances:<kept>/<total>"`. `rid` and `unit`
 * are cut to 128 characters (marked `rid` / `unit` in `truncated`).
 */
import type { PredictionEvent } from './record.ts';
import { extractFeatures, extractPredictions, planFor } from './extract.ts';
import { openaiAnswer } from './openai-output.ts';
import { streamFields } from './stream-entry.ts';

export const SCHEMA_VERSION = '1';
export const MAX_ID_CHARS = 128;

export interface EntryContext {
  /** `<prefix>:predictions:` */
  readonly keyPrefix: string;
  readonly maxlen: string;
  readonly maxEntryBytes: number;
  readonly unit: (unit: string | null) => string;
}

export interface Entry {
  /** XADD arguments: key MAXLEN ~ N * field value ... */
  readonly args: string[];
  /** UTF-8 bytes of the field names and values */
  readonly bytes: number;
}

export const streamKey = (keyPrefix: string, route: string): string => keyPrefix + route;

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

function parseBody(body: Buffer | undefined, limit: number): unknown {
  if (!body || body.length === 0 || body.length > limit) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function cut(s: string, marks: string[], name: string): string {
  if (s.length <= MAX_ID_CHARS) return s;
  marks.push(name);
  return s.slice(0, MAX_ID_CHARS);
}

export function toEntry(ev: PredictionEvent, ctx: EntryContext): Entry {
  const marks: string[] = [];
  const route = ev.route.name;
  const plan = planFor(ev.route);
  // An instance takes at least a few bytes: reading more than this many can never fit.
  const maxInstances = Math.max(1, ctx.maxEntryBytes >> 2);
  let features: unknown[] = [];
  let prediction: unknown[] = [];
  try {
    features = extractFeatures(ev.protocol, ev.request, plan, maxInstances);

    prediction = extractPredictions(ev.protocol, (ev.protocol === 'openai' ? openaiAnswer : parseBody)(ev.response, ctx.maxEntryBytes * 16), plan, maxInstances);
  } catch {
    /* an odd body never loses the entry: log what was extracted */
  }
  // XADD key MAXLEN ~ N * then the fields; the features and prediction values are filled in below
  const args: string[] = [
    ctx.keyPrefix + route, 'MAXLEN', '~', ctx.maxlen, '*',
    'v', SCHEMA_VERSION,
    'ts', String(Math.floor(ev.ts)),
    'rid', cut(ev.rid, marks, 'rid'),
    'route', route,
    'variant', ev.variant,
    'version', ev.version,
    'role', ev.role,
    'assign', ev.assign,
    'unit', cut(ctx.unit(ev.unit), marks, 'unit'),
    'bucket', ev.bucket >= 0 ? String(ev.bucket) : '',
    'status', String(ev.status),
    'latency_ms', ev.latencyMs.toFixed(3),
    'features', '',
    'prediction', '',
    'cfg', String(ev.cfg),
  ];
  if (ev.error !== undefined) args.push('error', ev.error);
  if (ev.protocol === 'grpc') args.push('protocol', 'grpc');
  let fixed = 0;
  for (let i = 5; i < args.length; i++) fixed += byteLength(args[i]);
  let f = JSON.stringify(features);
  let p = JSON.stringify(prediction);
  const total = Math.max(features.length, prediction.length);
  const capped = total >= maxInstances;
  if (capped || fixed + byteLength(f) + byteLength(p) > ctx.maxEntryBytes) {
    const fit = fitInstances(features, prediction, ctx.maxEntryBytes - fixed - TRUNCATED_RESERVE);
    f = fit.f;
    p = fit.p;
    marks.unshift(`instances:${fit.kept}/${total}${capped ? '+' : ''}`);
  }
  args[FEATURES_AT] = f;
  args[PREDICTION_AT] = p;
  let bytes = fixed + byteLength(f) + byteLength(p);
  if (ev.stream) bytes += streamFields(args, ev.stream, ev.response, ctx.maxEntryBytes - bytes - TRUNCATED_RESERVE, marks);
  if (marks.length > 0) {
    const t = marks.join(',');
    args.push('truncated', t);
    bytes += 'truncated'.length + t.length;
  }
  return { args, bytes };
}

const FEATURES_AT = 30;
const PREDICTION_AT = 32;
/** room kept for the `truncated` field itself */
const TRUNCATED_RESERVE = 48;

/** The most leading instances whose features and prediction JSON fit in `room` bytes. */
export function fitInstances(features: unknown[], prediction: unknown[], room: number): { kept: number; f: string; p: string } {
  const enc = (k: number): [string, string] => [JSON.stringify(features.slice(0, k)), JSON.stringify(prediction.slice(0, k))];
  const fits = (e: [string, string]) => byteLength(e[0]) + byteLength(e[1]) <= room;
  const n = Math.max(features.length, prediction.length);
  const whole = enc(n);
  if (fits(whole)) return { kept: n, f: whole[0], p: whole[1] };
  let lo = 0;
  let hi = n - 1;
  let best = enc(0);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const e = enc(mid);
    if (fits(e)) {
      lo = mid;
      best = e;
    } else hi = mid - 1;
  }
  return { kept: lo, f: best[0], p: best[1] };
}
