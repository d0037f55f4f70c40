/**
 * Secrets redacted in every admin dump (config, history, audit diffs): values under secret-
 * looking keys, and query strings or credentials inside URLs. Plain URLs are left as written,
 * so a dumped route can be sent back unchanged.
 */
import { redactUrl } from './allow-backends.ts';

const SECRET_KEY = /(token|secret|password|passwd|api[_-]?key|authorization|hmac)/i;
export const REDACTED = '[redacted]';

function redactString(s: string): string {
  if (!/^https?:\/\//i.test(s)) return s;
  try {
    const u = new URL(s);
    return u.search || u.username || u.password ? redactUrl(s) : s;
  } catch {
    return s;
  }
}

export function redact<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) return value.map((v) => redact(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v != null ? REDACTED : redact(v);
    return out as T;
  }
  return value;
}
