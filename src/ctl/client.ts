/**
 * A small client of the admin API for `modelgate ctl` (and tests): bearer token, JSON, the
 * ETag/If-Match dance for writes, and errors turned into one clear line.
 *
 * It speaks node:http (node:https loaded only for an https URL), not the global fetch: in a
 * short-lived CLI, fetch costs ~100 ms to load undici and its idle keep-alive socket then held
 * the process about 0.5 s after the answer (measured in bench/cli-startup.ts).
 */
import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions, type ClientRequest, type IncomingMessage } from 'node:http';
import { AdminCallError } from '../errors.ts';
export interface AdminClientOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
}

export interface AdminResponse<T = any> {
  status: number;
  etag?: string;
  headers: IncomingHttpHeaders;
  body: T;
}

interface Problem {
  path: string;
  message: string;
}

/** One line (plus one per problem on a 400) that tells the operator what to do. */
export function describeFailure(status: number, code: string, message: string, details?: unknown): string {
  if (status === 401) return `401 unauthorized: ${message} (set MODELGATE_ADMIN_TOKEN or --token)`;
  if (status === 412) return `412 the config changed meanwhile (${message}); read it again and retry`;
  if (status === 428) return `428 ${message}`;
  if (status === 429) return `429 too many failed attempts from this address; wait and retry`;
  const problems = Array.isArray(details) ? (details as Problem[]).filter((p) => p && typeof p.path === 'string') : [];
  const head = `${status} ${code}: ${message}`;
  return problems.length ? [head, ...problems.map((p) => `  - ${p.path}: ${p.message}`)].join('\n') : head;
}

export class AdminClient {
  private readonly base: string;
  constructor(private readonly o: AdminClientOptions) {
    this.base = o.url.replace(/\/+$/, '');
  }

  /** Any call; never throws on an HTTP status (see call()). */
  async raw<T = any>(method: string, path: string, body?: unknown, ifMatch?: string): Promise<AdminResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch !== undefined) headers['if-match'] = ifMatch;
    let res: { status: number; headers: IncomingHttpHeaders; text: string };
    try {
      res = await send(new URL(this.base + path), method, headers, body === undefined ? undefined : JSON.stringify(body), this.o.timeoutMs ?? 10_000);
    } catch (e) {
      const cause = (e as { code?: string }).code ?? (e as Error).message;
      throw new AdminCallError(0, 'UNREACHABLE', `cannot reach the admin API at ${this.base} (${cause}); set MODELGATE_ADMIN_URL or --url`);
    }
    const text = res.text;
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    const etag = res.headers.etag;
    return { status: res.status, etag: typeof etag === 'string' ? etag : undefined, headers: res.headers, body: parsed as T };
  }

  /** A call that throws AdminCallError on any non-2xx status. */
  async call<T = any>(method: string, path: string, body?: unknown, ifMatch?: string): Promise<AdminResponse<T>> {
    const r = await this.raw<T>(method, path, body, ifMatch);
    if (r.status >= 200 && r.status < 300) return r;
    const err = (r.body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const code = err?.code ?? 'HTTP_ERROR';
    const message = err?.message ?? (typeof r.body === 'string' && r.body ? r.body.slice(0, 200) : `HTTP ${r.status}`);
    throw new AdminCallError(r.status, code, describeFailure(r.status, code, message, err?.details), err?.details);
  }

  /** Reads the current ETag (from the route, or the whole config), then writes with If-Match. */
  async write<T = any>(method: string, path: string, body: unknown, etagFrom = '/admin/routes'): Promise<AdminResponse<T>> {
    const current = await this.call('GET', etagFrom);
    return this.call<T>(method, path, body, current.etag);
  }
}

export const routePath = (route: string, rest = '') => `/admin/routes/${encodeURIComponent(route)}${rest}`;

type Requester = (options: RequestOptions, callback: (res: IncomingMessage) => void) => ClientRequest;

/** One HTTP exchange with a deadline over the whole of it; the body read as UTF-8 text. */
async function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw Object.assign(new Error(`unsupported URL scheme ${url.protocol}`), { code: 'BAD_URL' });
  const request: Requester = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request({ method, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || undefined, path: `${url.pathname}${url.search}`, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'TIMEOUT' })), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}
