/**
 * OpenTelemetry HTTP semantic conventions (stable, v1.2x) for the data plane's spans, pure:
 * what a server span and a client span carry, and how they are named. Query strings are never
 * recorded (`url.query` is opt-in and a unit id may travel in it).
 */

export type Attributes = Record<string, string | number>;

/** the request facts a server span needs, read from node:http's IncomingMessage */
export interface ServerRequestFacts {
  method: string;
  /** the request target as sent (path and query) */
  target: string;
  httpVersion: string;
  headers: { host?: string; userAgent?: string; forwardedFor?: string };
  remoteAddress?: string;
  remotePort?: number;
  localPort?: number;
}

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

/** `http.request.method` is one of the known methods, else `_OTHER` (with the original beside it) */
export function methodAttributes(method: string): { method: string; attrs: Attributes } {
  if (KNOWN_METHODS.has(method)) return { method, attrs: { 'http.request.method': method } };
  return { method: '_OTHER', attrs: { 'http.request.method': '_OTHER', 'http.request.method_original': method } };
}

/** `{method} {http.route}`, `{method}` without a route, `HTTP` for an unknown method */
export function serverSpanName(method: string, route: string | undefined): string {
  const m = KNOWN_METHODS.has(method) ? method : 'HTTP';
  return route ? `${m} ${route}` : m;
}

/** `host`, `host:port`, `[v6]:port` -> host and port */
export function splitHostHeader(host: string): { address: string; port?: number } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim());
  if (!m) return { address: host.trim() };
  const address = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return m[2] !== undefined ? { address, port: Number(m[2]) } : { address };
}

/**
 * The server span's attributes at its start. `client.address` is the original client: the
 * first `X-Forwarded-For` hop when the peer is a trusted proxy, else the peer itself
 * (`network.peer.*` always names the peer).
 */
export function serverAttributes(r: ServerRequestFacts, route: string | undefined, trustedPeer: boolean): Attributes {
  const q = r.target.indexOf('?');
  const attrs: Attributes = {
    ...methodAttributes(r.method).attrs,
    'url.scheme': 'http',
    'url.path': q < 0 ? r.target : r.target.slice(0, q),
    'network.protocol.name': 'http',
    'network.protocol.version': r.httpVersion,
  };
  if (route) attrs['http.route'] = route;
  // server.address/port: as the client named the server (Host), the scheme's port when it names none
  if (r.headers.host) {
    const h = splitHostHeader(r.headers.host);
    if (h.address) attrs['server.address'] = h.address;
    attrs['server.port'] = h.port ?? 80;
  } else if (r.localPort !== undefined) attrs['server.port'] = r.localPort;
  const forwarded = trustedPeer && r.headers.forwardedFor ? r.headers.forwardedFor.split(',')[0].trim() : '';
  if (forwarded) attrs['client.address'] = forwarded;
  else if (r.remoteAddress) {
    attrs['client.address'] = r.remoteAddress;
    if (r.remotePort !== undefined) attrs['client.port'] = r.remotePort;
  }
  if (r.remoteAddress) attrs['network.peer.address'] = r.remoteAddress;
  if (r.remotePort !== undefined) attrs['network.peer.port'] = r.remotePort;
  if (r.headers.userAgent) attrs['user_agent.original'] = r.headers.userAgent;
  return attrs;
}

/** A client span's attributes: the upstream URL without its query, its host and port. */
export function clientAttributes(method: string, url: string): Attributes {
  const q = url.indexOf('?');
  const full = q < 0 ? url : url.slice(0, q);
  const attrs: Attributes = { ...methodAttributes(method).attrs, 'url.full': full, 'network.protocol.version': '1.1' };
  try {
    const u = new URL(full);
    attrs['server.address'] = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    attrs['server.port'] = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
    attrs['url.scheme'] = u.protocol.slice(0, -1);
  } catch {
    /* not a URL: url.full alone */
  }
  return attrs;
}

/**
 * `error.type` for a finished request: the gateway's error code when it failed the request,
 * else the status as a string when the status is an error for this span kind (server: 5xx,
 * client: 4xx and 5xx), else nothing.
 */
export function errorType(kind: 'server' | 'client', status: number, error?: string): string | undefined {
  if (error) return error;
  if (status >= 500 || (kind === 'client' && status >= 400)) return String(status);
  return undefined;
}
