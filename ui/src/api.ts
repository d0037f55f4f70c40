/**
 * The console's one way to the admin API: same origin, `Authorization: Bearer` from
 * sessionStorage on every call, no cookies (credentials: 'omit'). Errors come back as the
 * API's JSON error shape and are thrown as ApiError.
 */
const KEY = 'modelgate.admin-token';

export const token = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (t: string) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Answer<T> {
  body: T;
  etag: string | null;
}

type Listener = () => void;
const onUnauthorized = new Set<Listener>();
export const whenSignedOut = (l: Listener) => (onUnauthorized.add(l), () => onUnauthorized.delete(l));

export async function call<T = any>(method: string, path: string, o: { body?: unknown; ifMatch?: string | null; tokenOverride?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = o.tokenOverride ?? token.get();
  if (t) headers.authorization = `Bearer ${t}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.ifMatch) headers['if-match'] = o.ifMatch;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `the admin API did not answer (${(e as Error).message})`);
  }
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = body?.error;
    if (res.status === 401 && o.tokenOverride === undefined) for (const l of onUnauthorized) l();
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `${res.status} ${res.statusText}`);
  }
  return { body: body as T, etag: res.headers.get('etag') };
}

export const get = <T = any>(path: string) => call<T>('GET', path).then((a) => a.body);
export const enc = encodeURIComponent;
