/**
 * Proxy headers (`X-Forwarded-For`, `Forwarded`, `X-Real-IP`) are believed only when the peer
 * is a configured trusted hop. From a trusted hop `X-Forwarded-For` is extended and the others
 * pass unchanged; from anyone else `X-Forwarded-For` is replaced by the peer's address and the
 * others are stripped. Hops are exact IPs or CIDRs.
 */
import { BlockList, isIP } from 'node:net';
import type { ClientHeaders } from '../upstream/headers.ts';

export function isTrustedHop(hops: readonly string[]): (addr: string | undefined) => boolean {
  if (hops.length === 0) return () => false;
  const list = new BlockList();
  for (const h of hops) {
    const [ip, bits] = h.split('/');
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits !== undefined) list.addSubnet(ip, Number(bits), type);
    else list.addAddress(ip, type);
  }
  return (addr) => {
    if (!addr) return false;
    const a = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
    return list.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Appends the proxy headers the backend gets to `out` (flat name/value list). */
export function appendProxyHeaders(out: string[], h: Pick<ClientHeaders, 'forwardedFor' | 'proxied'>, remote: string, trusted: boolean): void {
  out.push('x-forwarded-for', h.forwardedFor && trusted ? `${h.forwardedFor}, ${remote}` : remote);
  if (trusted && h.proxied) for (let i = 0; i < h.proxied.length; i++) out.push(h.proxied[i]);
}
