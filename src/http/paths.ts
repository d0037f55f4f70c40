/**
 * Parses the data-plane paths the gateway routes (pure): KServe V1 predict/explain/readiness,
 * the Open Inference Protocol V2 model paths (with or without `/versions/{v}`) and the
 * OpenAI-compatible paths. Anything odd in the target — absolute form, dot segments in any
 * encoding, an encoded slash — is refused here, before routing.
 */
import type { Protocol } from '../predictions/record.ts';

/** predict/explain/infer/openai are predictions (POST, logged); the rest are GET lookups. */
export type PathOp = 'predict' | 'explain' | 'infer' | 'openai' | 'metadata' | 'ready' | 'v1-ready';

export type RoutedPath = {
  ok: true;
  protocol: Protocol;
  op: PathOp;
  /** the model in the path ('' for OpenAI paths: it is the body's `model`) */
  model: string;
  query: string;
  /** OIP `/versions/{v}` */
  version?: string;
  /** the OpenAI path as received */
  openai?: string;
};
export type PredictPath = RoutedPath | { ok: false; reason: 'not_predict' | 'bad_target' | 'server' };

const V1 = '/v1/models/';
const V2 = '/v2/models/';
const OPENAI = new Set(['/v1/chat/completions', '/v1/completions', '/v1/embeddings']);
/** OIP server-level paths, answered by the ops app */
const SERVER = new Set(['/v2', '/v2/', '/v2/health/live', '/v2/health/ready']);
const SAFE_NAME = /^[A-Za-z0-9._~!$&'()*+,;=@-]+$/;

const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
};

export function isPredictTarget(url: string): boolean {
  if (url.startsWith(V1) || url.startsWith(V2)) return true;
  if (!url.startsWith('/v')) return false;
  const p = pathOf(url);
  return OPENAI.has(p) || SERVER.has(p);
}

/** Whether a request target is origin-form (starts with "/"): absolute-form and `*` are refused. */
export const isOriginForm = (url: string): boolean => url.charCodeAt(0) === 47 /* / */ && url.charCodeAt(1) !== 47;

/** Whether a parsed path is a prediction (POST, split, logged) rather than a lookup (GET). */
export const isPrediction = (op: PathOp): boolean => op === 'predict' || op === 'infer' || op === 'explain' || op === 'openai';

function decodeName(raw: string): string | undefined {
  let s = raw;
  if (raw.includes('%')) {
    try {
      s = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return s === '' || s === '.' || s === '..' || !SAFE_NAME.test(s) ? undefined : s;
}

export function parsePredictPath(url: string): PredictPath {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (isTraversal(path)) return { ok: false, reason: 'bad_target' };
  if (path.startsWith(V1)) {
    const rest = path.slice(V1.length);
    const colon = rest.lastIndexOf(':');
    const verb = colon < 0 ? '' : rest.slice(colon + 1);
    const op: PathOp | undefined = colon < 0 ? 'v1-ready' : verb === 'predict' ? 'predict' : verb === 'explain' ? 'explain' : undefined;
    if (!op) return { ok: false, reason: 'not_predict' };
    const raw = colon < 0 ? rest : rest.slice(0, colon);
    if (raw.includes('/')) return { ok: false, reason: raw === '' ? 'bad_target' : 'not_predict' };
    const model = decodeName(raw);
    return model === undefined ? { ok: false, reason: 'bad_target' } : { ok: true, protocol: 'v1', op, model, query };
  }
  if (path.startsWith(V2)) {
    const seg = path.slice(V2.length).split('/');
    let op: PathOp = 'metadata';
    const last = seg[seg.length - 1];
    if (seg.length > 1 && (last === 'infer' || last === 'ready')) {
      op = last === 'infer' ? 'infer' : 'ready';
      seg.pop();
    }
    if (seg.length !== 1 && !(seg.length === 3 && seg[1] === 'versions')) return { ok: false, reason: 'not_predict' };
    const model = decodeName(seg[0]);
    const version = seg.length === 3 ? decodeName(seg[2]) : undefined;
    if (model === undefined || (seg.length === 3 && version === undefined)) return { ok: false, reason: 'bad_target' };
    return version === undefined ? { ok: true, protocol: 'v2', op, model, query } : { ok: true, protocol: 'v2', op, model, query, version };
  }
  if (OPENAI.has(path)) return { ok: true, protocol: 'openai', op: 'openai', model: '', query, openai: path };
  if (SERVER.has(path)) return { ok: false, reason: 'server' };
  return { ok: false, reason: 'not_predict' };
}

const memo = new Map<string, PredictPath>();
const MEMO_ENTRIES = 1024;
const MEMO_URL_CHARS = 256;

/**
 * parsePredictPath, remembered for the request targets seen last (clients repeat the same few
 * paths); the results are frozen, so sharing them is safe. The memo holds at most 1,024 targets
 * and starts afresh when full.
 */
export function parsePredictPathCached(url: string): PredictPath {
  let p = memo.get(url);
  if (p !== undefined) return p;
  p = Object.freeze(parsePredictPath(url));
  if (url.length <= MEMO_URL_CHARS) {
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(url, p);
  }
  return p;
}

/** The path sent to a backend for `p`, with the model name the variant (or shadow) serves. */
export function upstreamPath(p: RoutedPath, model: string): string {
  const m = encodeURIComponent(model);
  let s: string;
  switch (p.op) {
    case 'predict':
      s = `/v1/models/${m}:predict`;
      break;
    case 'explain':
      s = `/v1/models/${m}:explain`;
      break;
    case 'v1-ready':
      s = `/v1/models/${m}`;
      break;
    case 'openai':
      s = p.openai as string;
      break;
    default:
      s = `/v2/models/${m}${p.version === undefined ? '' : `/versions/${encodeURIComponent(p.version)}`}${p.op === 'infer' ? '/infer' : p.op === 'ready' ? '/ready' : ''}`;
  }
  return p.query ? `${s}?${p.query}` : s;
}

/** Dot segments, encoded dots or slashes, or backslashes anywhere in the path. */
export function isTraversal(path: string): boolean {
  return /(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(path);
}
