/**
 * Parses the two prediction paths (pure). Anything odd in the target — absolute form, dot
 * segments in any encoding, an encoded slash — is refused here, before routing.
 */
export type PredictPath =
  | { ok: true; protocol: 'v1' | 'v2'; model: string; query: string }
  | { ok: false; reason: 'not_predict' | 'bad_target' };

const V1 = '/v1/models/';
const V2 = '/v2/models/';
const V1_SUFFIX = ':predict';
const V2_SUFFIX = '/infer';
const SAFE_MODEL = /^[A-Za-z0-9._~!$&'()*+,;=@-]+$/;

export function isPredictTarget(url: string): boolean {
  return url.startsWith(V1) || url.startsWith(V2);
}

/** Whether a request target is origin-form (starts with "/"): absolute-form and `*` are refused. */
export const isOriginForm = (url: string): boolean => url.charCodeAt(0) === 47 /* / */ && url.charCodeAt(1) !== 47;

export function parsePredictPath(url: string): PredictPath {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  let protocol: 'v1' | 'v2';
  let raw: string;
  if (path.startsWith(V1) && path.endsWith(V1_SUFFIX)) {
    protocol = 'v1';
    raw = path.slice(V1.length, path.length - V1_SUFFIX.length);
  } else if (path.startsWith(V2) && path.endsWith(V2_SUFFIX)) {
    protocol = 'v2';
    raw = path.slice(V2.length, path.length - V2_SUFFIX.length);
  } else return { ok: false, reason: isTraversal(path) ? 'bad_target' : 'not_predict' };
  let model = raw;
  if (raw.includes('%')) {
    try {
      model = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'bad_target' };
    }
  }
  if (model === '' || model === '.' || model === '..' || !SAFE_MODEL.test(model)) return { ok: false, reason: 'bad_target' };
  return { ok: true, protocol, model, query };
}

/** Dot segments, encoded dots or slashes, or backslashes anywhere in the path. */
export function isTraversal(path: string): boolean {
  return /(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(path);
}
