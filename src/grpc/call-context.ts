/**
 * What a routed gRPC call resolves to before it is forwarded (pure apart from reading the
 * config snapshot): the route, the unit, the decision and the request id, or the error code
 * that refuses it.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { ErrorCode } from '../errors.ts';
import type { CompiledConfig, CompiledRoute, CompiledVariant } from '../routing/compile.ts';
import { select, type Decision } from '../routing/select.ts';
import { requestIdFor } from '../upstream/headers.ts';
import { metadataValue, type GrpcRouteRuntime } from './route-runtime.ts';
import type { InferHead } from './wire.ts';

export interface Routed {
  ok: true;
  route: CompiledRoute;
  rt: GrpcRouteRuntime;
  decision: Decision;
  unit: string | null;
  rid: string;
}
export type Resolution = Routed | { ok: false; code: ErrorCode; rid: string; message?: string };

export interface ResolveInput {
  config: CompiledConfig;
  model: string;
  metadata: Metadata;
  body?: Buffer;
  head?: InferHead;
  logThreshold: number;
  runtime: (route: CompiledRoute) => GrpcRouteRuntime;
  /** metadata/ready calls without a unit go to the highest-weight variant, not a random one */
  heaviestWithoutUnit?: boolean;
}

const heaviest = (route: CompiledRoute): CompiledVariant => route.variants.reduce((a, b) => (b.bp > a.bp ? b : a));

export function resolveCall(i: ResolveInput): Resolution {
  const rid = requestIdFor(metadataValue(i.metadata, 'x-request-id'));
  const route = i.config.byModel.get(i.model);
  if (!route) return { ok: false, code: 'MODEL_NOT_FOUND', rid, message: `no route serves model "${i.model}"` };
  const rt = i.runtime(route);
  const unit = rt.unit(i.metadata, i.body, i.head);
  if (unit === null && route.config.on_missing_unit === 'reject' && !i.heaviestWithoutUnit) return { ok: false, code: 'MISSING_UNIT', rid };
  let forced: CompiledVariant | null = null;
  if (rt.overrideHeader) {
    const name = metadataValue(i.metadata, rt.overrideHeader);
    if (name !== undefined && name !== '') {
      const v = route.variantByName.get(name.trim());
      if (!v) return { ok: false, code: 'UNKNOWN_VARIANT', rid };
      forced = v;
    }
  }
  if (!forced && unit === null && i.heaviestWithoutUnit) forced = heaviest(route);
  const decision = select(route, unit, forced, i.logThreshold);
  return { ok: true, route, rt, decision, unit, rid };
}
