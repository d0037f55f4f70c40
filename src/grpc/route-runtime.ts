/**
 * Per compiled route (so, per config version), what a gRPC call needs: how to read the unit
 * from request metadata (a route's `unit.header` is a metadata key) or from a request
 * `parameters` entry (`unit: { body: /parameters/<name> }`), and the channels of its gRPC
 * variants and shadows. Variants whose backend is not `grpc://` have no channel.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { CompiledRoute } from '../routing/compile.ts';
import { unitReader, type UnitReader } from '../routing/unit.ts';
import { isGrpcUrl, type GrpcBackend, type GrpcBackendRegistry, type GrpcChannelShape } from './backends.ts';
import { parameterValue, type InferHead } from './wire.ts';

export interface GrpcRouteRuntime {
  /** the unit's bytes as a binary string, or null */
  unit(metadata: Metadata, body: Buffer | undefined, head: InferHead | undefined): string | null;
  readonly overrideHeader?: string;
  readonly variants: ReadonlyArray<GrpcBackend | undefined>;
  readonly shadows: ReadonlyArray<GrpcBackend | undefined>;
  readonly timeoutMs: number;
}

const PARAMETER = /^\/parameters\/([^/~]+)$/;

export function metadataValue(metadata: Metadata, name: string): string | undefined {
  const v = metadata.get(name)[0];
  return typeof v === 'string' ? v : undefined;
}

export function buildGrpcRuntime(route: CompiledRoute, registry: GrpcBackendRegistry, shape: Omit<GrpcChannelShape, 'maxInflight'>): GrpcRouteRuntime {
  const source = route.unit;
  const read: UnitReader = unitReader(source);
  const param = source && 'body' in source ? PARAMETER.exec(source.body)?.[1] : undefined;
  const up = route.config.upstream;
  const unit = (metadata: Metadata, body: Buffer | undefined, head: InferHead | undefined): string | null => {
    if (!source) return null;
    if ('header' in source) return read({ header: (n) => metadataValue(metadata, n), query: '' });
    if (param !== undefined && body && head) {
      const v = parameterValue(body, head, param);
      return v === undefined ? null : read({ header: () => undefined, query: '', body: { parameters: { [param]: v } } });
    }
    return null; // cookies, query strings and other body fields do not exist in gRPC
  };
  return {
    unit,
    overrideHeader: route.config.override_header,
    variants: route.variants.map((v) => (isGrpcUrl(v.backend) ? registry.get(v.backend, { ...shape, maxInflight: up.max_inflight }) : undefined)),
    shadows: route.shadows.map((s) => (isGrpcUrl(s.backend) ? registry.get(s.backend, { ...shape, maxInflight: s.config.max_inflight }) : undefined)),
    timeoutMs: up.timeout_ms,
  };
}
