/**
 * The admin API may only point routes at backends the static config allows
 * (`admin.allow_backends`): CIDRs (`127.0.0.0/8`, `fd00::/8`), exact hosts or IPs
 * (`localhost`, `10.1.2.3`, `::1`), `*.suffix` wildcards (any subdomain, not the bare suffix),
 * or `*` for anything. Only the literal host of the URL is checked: nothing is resolved.
 */
import { BlockList, isIP } from 'node:net';
import type { Problem } from '../config/validate.ts';

export interface BackendPolicy {
  allows(backend: string): boolean;
  readonly patterns: readonly string[];
}

/** `[::ffff:7f00:1]` -> `127.0.0.1`; brackets and a trailing dot removed; lower case. */
export function literalHost(hostname: string): string {
  let h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    h = [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  } else if (/^::ffff:\d+\.\d+\.\d+\.\d+$/.test(h)) h = h.slice(7);
  return h;
}

export function backendPolicy(patterns: readonly string[]): { policy: BackendPolicy; problems: Problem[] } {
  const nets = new BlockList();
  const exact = new Set<string>();
  const suffixes: string[] = [];
  const problems: Problem[] = [];
  let any = false;
  patterns.forEach((raw, i) => {
    const p = raw.trim().toLowerCase();
    const slash = p.indexOf('/');
    if (p === '*') any = true;
    else if (slash >= 0) {
      const addr = literalHost(p.slice(0, slash));
      const bits = Number(p.slice(slash + 1));
      const family = isIP(addr);
      if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) problems.push({ path: `admin.allow_backends[${i}]`, message: `"${raw}" is not a CIDR` });
      else nets.addSubnet(addr, bits, family === 4 ? 'ipv4' : 'ipv6');
    } else if (p.startsWith('*.') && p.length > 2) suffixes.push(p.slice(1));
    else if (p && !p.includes('*')) exact.add(literalHost(p));
    else problems.push({ path: `admin.allow_backends[${i}]`, message: `"${raw}" is not a host, CIDR or *.suffix` });
  });
  const allowsHost = (host: string): boolean => {
    if (any || exact.has(host)) return true;
    const family = isIP(host);
    if (family) return nets.check(host, family === 4 ? 'ipv4' : 'ipv6');
    return suffixes.some((s) => host.endsWith(s) && host.length > s.length);
  };
  return {
    problems,
    policy: {
      patterns: [...patterns],
      allows(backend: string) {
        let url: URL;
        try {
          url = new URL(backend);
        } catch {
          return false;
        }
        return allowsHost(literalHost(url.hostname));
      },
    },
  };
}

/** A problem for every backend/shadow URL of a raw route body the policy refuses. */
export function backendProblems(policy: BackendPolicy, raw: unknown, basePath: string): Problem[] {
  const problems: Problem[] = [];
  if (!raw || typeof raw !== 'object') return problems;
  for (const list of ['variants', 'shadows'] as const) {
    const items = (raw as Record<string, unknown>)[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      const b = item && typeof item === 'object' ? (item as { backend?: unknown }).backend : undefined;
      if (typeof b === 'string' && URL.canParse(b) && !policy.allows(b))
        problems.push({ path: `${basePath}.${list}[${i}].backend`, message: `host of ${redactUrl(b)} is not in admin.allow_backends` });
    });
  }
  return problems;
}

/** A URL with any query string values hidden (they may carry keys). */
export function redactUrl(s: string): string {
  try {
    const u = new URL(s);
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, 'redacted');
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}
