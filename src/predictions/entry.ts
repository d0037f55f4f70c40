/**
 * A PredictionEvent as one stream entry (DESIGN.md "Prediction log"), pure: the XADD arguments,
 * all strings, and the entry's size in bytes. The work is bounded whatever the bodies hold:
 * - at most `maxFeatures` features per instance (`truncated: features:<kept>/<widest>`);
 * - features and prediction are encoded instance by instance within the byte budget
 *   (bounded-json.ts, no recursion) and stop at the first instance that does not fit, both cut
 *   to the same count so they stay aligned and valid JSON (`instances:<kept>/<total>`);
 * - a response nested deeper than `maxDepth` is not parsed: `prediction` is `[]`
 *   (`prediction:depth`);
 * - `rid` and `unit` are cut to 128 characters (`rid` / `unit`).
 * `cuts` names what was cut, once each, for the truncation counter.
 */
import { tooDeep } from '../http/json-depth.ts';
import type { TruncationReason } from '../telemetry/log-metrics.ts';
import { stringifyBounded } from './bounded-json.ts';
import type { PredictionEvent } from './record.ts';
import { extractFeatures, extractPredictions, planFor, type FeatureCut } from './extract.ts';
import { openaiAnswer } from './openai-output.ts';
import { JsonText, jsonValue } from './json-text.ts';
import { rawV1Instances } from './raw-instances.ts';
import { FIELDS as F, SCHEMA_VERSION } from './schema.ts';
import { streamFields } from './stream-entry.ts';

export const MAX_ID_CHARS = 128;

export interface EntryContext {
  /** `<prefix>:predictions:` */
  readonly keyPrefix: string;
  readonly maxlen: string;
  readonly maxEntryBytes: number;
  /** features kept per instance (log.max_features) */
  readonly maxFeatures?: number;
  /** a response body nested deeper is not parsed (limits.max_json_depth) */
  readonly maxDepth?: number;
  readonly unit: (unit: string | null) => string;
}

export interface Entry {
  /** XADD arguments: key MAXLEN ~ N * field value ... */
  readonly args: string[];
  /** UTF-8 bytes of the field names and values */
  readonly bytes: number;
  /** what was cut (empty when nothing was) */
  readonly cuts: readonly TruncationReason[];
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');
const DEFAULT_DEPTH = 64;

function parseBody(body: Buffer | undefined, limit: number, maxDepth: number, cuts: Set<TruncationReason>): unknown {
  if (!body || body.length === 0 || body.length > limit) return undefined;
  if (tooDeep(body, maxDepth)) {
    cuts.add('depth');
    return undefined;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function cut(s: string, marks: string[], cuts: Set<TruncationReason>, name: string): string {
  if (s.length <= MAX_ID_CHARS) return s;
  marks.push(name);
  cuts.add('id');
  return s.slice(0, MAX_ID_CHARS);
}

export function toEntry(ev: PredictionEvent, ctx: EntryContext): Entry {
  const marks: string[] = [];
  const cuts = new Set<TruncationReason>();
  const route = ev.route.name;
  const plan = planFor(ev.route);
  const maxFeatures = ctx.maxFeatures ?? Infinity;
  // An instance takes at least a few bytes: reading more than this many can never fit.
  const maxInstances = Math.max(1, ctx.maxEntryBytes >> 2);
  const fcut: FeatureCut = { widest: 0 };
  let features: unknown[] = [];
  let prediction: unknown[] = [];
  // KServe V1 instance objects: their texts straight from the body, nothing parsed (raw-instances.ts)
  let featureTexts: readonly string[] | undefined;
  try {
    featureTexts = ev.protocol === 'v1' && !plan.features && ev.request instanceof JsonText ? rawV1Instances(ev.request.bytes, maxInstances, maxFeatures)?.texts : undefined;
    features = featureTexts ? (featureTexts as unknown[]) : extractFeatures(ev.protocol, jsonValue(ev.request), plan, maxInstances, maxFeatures, fcut);
    const depth = ctx.maxDepth ?? DEFAULT_DEPTH;
    const answer =
      ev.protocol !== 'openai'
        ? parseBody(ev.response, ctx.maxEntryBytes * 16, depth, cuts)
        : ev.response && tooDeep(ev.response, depth)
          ? (cuts.add('depth'), undefined)
          : openaiAnswer(ev.response, ctx.maxEntryBytes * 16);
    prediction = extractPredictions(ev.protocol, answer, plan, maxInstances);
  } catch {
    /* an odd body never loses the entry: log what was extracted */
  }
  // XADD key MAXLEN ~ N * then the fields; the features and prediction values are filled in below
  const args: string[] = [
    ctx.keyPrefix + route, 'MAXLEN', '~', ctx.maxlen, '*',
    F.v, SCHEMA_VERSION,
    F.ts, String(Math.floor(ev.ts)),
    F.rid, cut(ev.rid, marks, cuts, 'rid'),
    F.route, route,
    F.variant, ev.variant,
    F.version, ev.version,
    F.role, ev.role,
    F.assign, ev.assign,
    F.unit, cut(ctx.unit(ev.unit), marks, cuts, 'unit'),
    F.bucket, ev.bucket >= 0 ? String(ev.bucket) : '',
    F.status, String(ev.status),
    F.latencyMs, ev.latencyMs.toFixed(3),
    F.features, '',
    F.prediction, '',
    F.cfg, String(ev.cfg),
  ];
  if (ev.error !== undefined) args.push(F.error, ev.error);
  if (ev.protocol === 'grpc') args.push(F.protocol, 'grpc');
  let fixed = 0;
  for (let i = 5; i < args.length; i++) fixed += byteLength(args[i]);
  if (fcut.widest > 0) {
    marks.unshift(`features:${maxFeatures}/${fcut.widest}`);
    cuts.add('features');
  }
  if (cuts.has('depth')) marks.push('prediction:depth');
  const total = Math.max(features.length, prediction.length);
  const capped = total >= maxInstances;
  const reserve = marks.length > 0 || capped ? TRUNCATED_RESERVE : 0;
  const fit = fitInstances(features, prediction, ctx.maxEntryBytes - fixed - reserve, ctx.maxEntryBytes - fixed - TRUNCATED_RESERVE, featureTexts);
  if (fit.kept < total || capped) {
    marks.unshift(`instances:${fit.kept}/${total}${capped ? '+' : ''}`);
    cuts.add('instances');
  }
  args[FEATURES_AT] = fit.f;
  args[PREDICTION_AT] = fit.p;
  let bytes = fixed + fit.bytes;
  if (ev.stream) bytes += streamFields(args, ev.stream, ev.response, ctx.maxEntryBytes - bytes - TRUNCATED_RESERVE, marks);
  if (marks.length > 0) {
    const t = marks.join(',');
    args.push(F.truncated, t);
    bytes += F.truncated.length + byteLength(t);
  }
  return { args, bytes, cuts: [...cuts] };
}

const withinChars = (text: string, maxChars: number): string | undefined => (text.length <= maxChars ? text : undefined);

const FEATURES_AT = 30;
const PREDICTION_AT = 32;
/** room kept for the `truncated` field itself */
const TRUNCATED_RESERVE = 48;

/**
 * The most leading instances whose features and prediction JSON fit in `room` bytes, encoded
 * one at a time, so the work is bounded by `room`, not by the lists. When some are left out,
 * the kept ones fit in `cutRoom` (room for the `truncated` mark). `featureTexts`, when given,
 * are the features already as JSON (raw-instances.ts).
 */
export function fitInstances(features: unknown[], prediction: unknown[], room: number, cutRoom = room, featureTexts?: readonly string[]): { kept: number; f: string; p: string; bytes: number } {
  const n = Math.max(features.length, prediction.length);
  const fs: string[] = [];
  const ps: string[] = [];
  const sizes: number[] = [];
  let used = 4; // [] and []
  let kept = 0;
  for (; kept < n; kept++) {
    const sep = kept > 0 ? 1 : 0;
    let size = 0;
    let fi: string | undefined;
    let pi: string | undefined;
    if (kept < features.length) {
      fi = featureTexts ? withinChars(featureTexts[kept], room - used - sep) : stringifyBounded(features[kept], room - used - sep);
      if (fi === undefined || (size = sep + byteLength(fi)) > room - used) break;
    }
    if (kept < prediction.length) {
      pi = stringifyBounded(prediction[kept], room - used - size - sep);
      if (pi === undefined) break;
      size += sep + byteLength(pi);
      if (size > room - used) break;
    }
    if (fi !== undefined) fs.push(fi);
    if (pi !== undefined) ps.push(pi);
    sizes.push(size);
    used += size;
  }
  if (kept < n)
    while (kept > 0 && used > cutRoom) {
      used -= sizes[--kept];
      if (fs.length > kept) fs.pop();
      if (ps.length > kept) ps.pop();
    }
  return { kept, f: `[${fs.join(',')}]`, p: `[${ps.join(',')}]`, bytes: used };
}
