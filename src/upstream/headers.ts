/**
 * One pass over the client's raw headers: what the gateway needs to know, and the header list
 * to forward. Hop-by-hop headers, headers named in `Connection`, `te`, `expect` and
 * `proxy-authorization` are stripped (RELIABILITY.md: undici throws on some, forwards others).
 */
import { headerName } from './header-name.ts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  // proxy-identity headers: forwarded only from trusted hops (see http/trusted-proxies.ts)
  'forwarded',
  'x-real-ip',
]);

export interface ClientHeaders {
  hostCount: number;
  contentType?: string;
  contentLength?: string;
  requestId?: string;
  forwardedFor?: string;
  host?: string;
  /** the client's `Forwarded` / `X-Real-IP` headers, flat, forwarded only when the peer is trusted */
  proxied?: string[];
  /** headers to forward, flat [name, value, ...] (names lower-cased) */
  forward: string[];
  /** lower-cased name -> value, only for names in `wanted` */
  wanted: Map<string, string>;
}

export function readClientHeaders(raw: readonly string[], wanted: ReadonlySet<string>): ClientHeaders {
  const out: ClientHeaders = { hostCount: 0, forward: [], wanted: new Map() };
  let connectionListed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (wanted.has(name) && !out.wanted.has(name)) out.wanted.set(name, value);
    if (HOP_BY_HOP.has(name)) {
      switch (name) {
        case 'host':
          out.hostCount++;
          out.host = value;
          break;
        case 'content-length':
          out.contentLength = value;
          break;
        case 'x-request-id':
          out.requestId = value;
          break;
        case 'x-forwarded-for':
          out.forwardedFor = out.forwardedFor === undefined ? value : `${out.forwardedFor}, ${value}`;
          break;
        case 'forwarded':
        case 'x-real-ip':
          (out.proxied ??= []).push(name, value);
          break;
        case 'connection':
          for (const t of value.split(',')) (connectionListed ??= new Set()).add(t.trim().toLowerCase());
          break;
      }
      continue;
    }
    if (name === 'content-type') out.contentType = value;
    out.forward.push(name, value);
  }
  if (connectionListed) {
    const f = out.forward;
    out.forward = [];
    for (let i = 0; i < f.length; i += 2) if (!connectionListed.has(f[i])) out.forward.push(f[i], f[i + 1]);
  }
  return out;
}

const RESPONSE_DROP = new Set([...HOP_BY_HOP, 'x-model-variant', 'x-model-version', 'date']);

/** Backend response headers to pass on (raw Buffers from undici), as flat strings. */
export function responseHeaders(raw: readonly Buffer[] | readonly string[] | null): string[] {
  const out: string[] = [];
  if (!raw) return out;
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = headerName(raw[i]);
    if (name === 'connection') for (const t of raw[i + 1].toString('latin1').split(',')) (listed ??= new Set()).add(t.trim().toLowerCase());
    if (RESPONSE_DROP.has(name)) continue;
    out.push(name, raw[i + 1].toString('latin1' as never));
  }
  if (!listed) return out;
  const kept: string[] = [];
  for (let i = 0; i < out.length; i += 2) if (!listed.has(out[i])) kept.push(out[i], out[i + 1]);
  return kept;
}

const VALID_ID = /^[A-Za-z0-9._:@+=-]{1,128}$/;
const PROCESS_TAG = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
let counter = 0;
let lastMs = -1;
let prefix = '';

/** Keeps a valid client `x-request-id`, else makes one unique across replicas: `<process tag>-<ms, base 36>-<counter, base 36>`. */
export function requestIdFor(given: string | undefined): string {
  if (given !== undefined && VALID_ID.test(given)) return given;
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  // base-36 formatting is slow in V8: the time part is made once per millisecond
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    prefix = `${PROCESS_TAG}-${now.toString(36)}-`;
  }
  return prefix + counter.toString(36);
}
