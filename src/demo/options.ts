/**
 * The demo's flags, checked (pure): a bad value is an error naming what is valid, never a
 * silent no-op. Also where `--port-base N` puts every port.
 */
import { InvalidArgumentError } from 'commander';

export const SHIFTS = ['amount', 'merchant_risk', 'hour', 'country'] as const;
export type Shift = (typeof SHIFTS)[number];

/** offsets from --port-base: data, admin, monitor, the private redis-server, then one per backend */
export const PORT_OFFSETS = { data: 0, admin: 1, monitor: 2, redis: 3, backends: 10 } as const;
export const MAX_BACKENDS = 20;

export function parseRate(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 100_000) throw new InvalidArgumentError('expected requests per second, a number above 0 and at most 100000 (e.g. --traffic 50)');
  return n;
}

export function parseCount(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number of requests, 0 or more (e.g. --shift-after 3000)');
  return n;
}

export function parseShift(v: string): Shift {
  if ((SHIFTS as readonly string[]).includes(v)) return v as Shift;
  throw new InvalidArgumentError(`expected one of ${SHIFTS.join(', ')}`);
}

export function parsePortBase(v: string): number {
  const n = Number(v);
  const max = 65535 - PORT_OFFSETS.backends - MAX_BACKENDS;
  if (!/^\d+$/.test(v.trim()) || n < 1024 || n > max) throw new InvalidArgumentError(`expected a port from 1024 to ${max}: the demo uses N (data), N+1 (admin), N+2 (monitor), N+3 (redis-server), N+10… (model backends)`);
  return n;
}

/** The demo's ports from --port-base: backends keep their order of first appearance. */
export function portsFrom(base: number, backendOrigins: readonly string[]) {
  const backends = new Map<string, number>();
  for (const o of backendOrigins) if (!backends.has(o)) backends.set(o, base + PORT_OFFSETS.backends + backends.size);
  if (backends.size > MAX_BACKENDS) throw new Error(`the demo moves at most ${MAX_BACKENDS} backends with --port-base`);
  return { data: base + PORT_OFFSETS.data, admin: base + PORT_OFFSETS.admin, monitor: base + PORT_OFFSETS.monitor, redis: base + PORT_OFFSETS.redis, backends };
}
