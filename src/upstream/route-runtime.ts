/**
 * Per compiled route (so, per config version): the unit reader, the header names the hot path
 * must capture, and the backend pools of its variants and shadows. Built once, on first use.
 */
import type { CompiledRoute } from '../routing/compile.ts';
import { readsBody, unitReader, type UnitReader } from '../routing/unit.ts';
import type { Backend, BackendRegistry } from './backend.ts';

export interface RouteRuntime {
  readonly unit: UnitReader;
  readonly unitFromBody: boolean;
  readonly wanted: ReadonlySet<string>;
  readonly overrideHeader?: string;
  readonly variantBackends: readonly Backend[];
  readonly shadowBackends: readonly Backend[];
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxResponseBytes: number;
  readonly streamIdleMs: number;
}

/** headers every prediction reads: body encoding and the binary tensor extension */
export const BODY_HEADERS: readonly string[] = ['content-encoding', 'inference-header-content-length'];

export function buildRuntime(route: CompiledRoute, backends: BackendRegistry): RouteRuntime {
  const up = route.config.upstream;
  const wanted = new Set<string>(BODY_HEADERS);
  const u = route.unit;
  if (u && 'header' in u) wanted.add(u.header);
  if (u && 'cookie' in u) wanted.add('cookie');
  if (route.config.override_header) wanted.add(route.config.override_header);
  const liveShape = { connections: up.connections, connectTimeoutMs: up.connect_timeout_ms, timeoutMs: up.timeout_ms, maxInflight: up.max_inflight, keepAliveTimeoutMs: up.keep_alive_timeout_ms };
  return {
    unit: unitReader(u),
    unitFromBody: readsBody(u),
    wanted,
    overrideHeader: route.config.override_header,
    variantBackends: route.variants.map((v) => backends.get(v.backend, liveShape)),
    // a shadow's max_inflight is its only bound: its pool has as many connections, so it never queues below it
    shadowBackends: route.shadows.map((s) =>
      backends.get(s.backend, { connections: s.config.max_inflight, connectTimeoutMs: Math.min(up.connect_timeout_ms, s.config.timeout_ms), timeoutMs: s.config.timeout_ms, maxInflight: s.config.max_inflight, keepAliveTimeoutMs: up.keep_alive_timeout_ms }),
    ),
    timeoutMs: up.timeout_ms,
    retries: up.retries,
    maxResponseBytes: up.max_response_bytes,
    streamIdleMs: up.stream_idle_timeout_ms,
  };
}
