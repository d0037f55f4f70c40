/**
 * `X-Forwarded-For` is extended only when the peer is a configured trusted hop; otherwise it
 * is replaced by the peer's address. Hops are exact IPs or IPv4 CIDRs.
 */
import { BlockList, isIP } from 'node:net';

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
